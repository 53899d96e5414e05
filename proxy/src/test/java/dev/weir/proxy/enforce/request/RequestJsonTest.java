package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.verdict.Refusal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding duplicate members where the tree is built refuses exactly the bodies the streaming
 * reader's detection refused, with the same words, and reads the same trees: seeded random
 * bodies (duplicates at every depth, trailing content, BOMs, flipped and cut bytes, bodies over
 * 8 KB that the reader streams, invalid UTF-8, values that are no objects), and by hand the
 * cases where the two meet a body's problems in another order.
 */
class RequestJsonTest {
    private static final String[] NAMES = {"TableName", "Key", "id", "S", "N", "M", "L", "a", "é", "名前", "#n", ":v",
            "x\\u0041y", "xAy", "\\u00e9", "\\n", ""};

    private record Outcome(String tree, String refusal) {}

    private static Outcome outcome(java.util.function.Supplier<ObjectNode> read) {
        try {
            return new Outcome(read.get().toString(), null);
        } catch (Refusal r) {
            return new Outcome(null, r.kind() + " " + r.error().type() + " " + r.error().message());
        }
    }

    @Test
    void theSameBodiesAreReadAndRefusedWithTheSameWords() {
        SplittableRandom random = new SplittableRandom(1616);
        int trees = 0, duplicates = 0, other = 0;
        for (int run = 0; run < 30_000; run++) {
            byte[] body = randomBody(random);
            Outcome expected = outcome(() -> RequestJson.readStrictly(body));
            Outcome actual = outcome(() -> RequestJson.read(body));
            assertEquals(expected, actual, () -> new String(body, StandardCharsets.ISO_8859_1));
            if (expected.tree() != null) trees++;
            else if (expected.refusal().contains("more than once")) duplicates++;
            else other++;
        }
        assertTrue(trees > 5_000 && duplicates > 1_500 && other > 5_000, trees + " trees, " + duplicates + " duplicates, "
                + other + " other refusals");
    }

    @Test
    void aDuplicateBeforeASyntaxErrorIsStillTheDuplicate() {
        for (String body : new String[] {"{\"a\":1,\"a\":}", "{\"a\":1,\"a\":{\"b\":}", "{\"a\":{},\"a\":[1,}", "{\"k\":{\"a\":1,\"a\":x}}",
                "{\"a\":1,\"a\":2} trailing", "{\"a\":1,\"a\":\"" + "x".repeat(9000) + "\u0000\"}"}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Refusal r = assertThrows(Refusal.class, () -> RequestJson.read(bytes), body);
            assertEquals("The request body names a member more than once.", r.error().message(), body);
        }
        Refusal trailing = assertThrows(Refusal.class, () -> RequestJson.read("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("The request body has content after its JSON object.", trailing.error().message());
        assertEquals("{}", RequestJson.read(new byte[0]).toString());
    }

    /** A JSON body like a request's, sometimes broken. */
    private static byte[] randomBody(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(20) == 0) sb.append('\ufeff');
        switch (random.nextInt(40)) {
            case 0 -> sb.append("[1]");
            case 1 -> sb.append("null");
            default -> object(sb, random, 0);
        }
        switch (random.nextInt(12)) {
            case 0 -> sb.append(" {}");
            case 1 -> sb.append(" x");
            case 2 -> sb.append("\n ");
            default -> { }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            default -> { }
        }
        return bytes;
    }

    private static void object(StringBuilder sb, SplittableRandom random, int depth) {
        sb.append('{');
        int members = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < members; i++) {
            if (i > 0) sb.append(random.nextInt(10) == 0 ? " , " : ",");
            String name = NAMES[random.nextInt(NAMES.length)];
            if (random.nextBoolean()) name = name + random.nextInt(5);   // fewer duplicates, still some
            sb.append('"').append(name).append("\":");
            value(sb, random, depth);
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, SplittableRandom random, int depth) {
        switch (depth > 3 ? random.nextInt(4) : random.nextInt(6)) {
            case 0 -> sb.append('"').append(NAMES[random.nextInt(NAMES.length)])
                    .append(random.nextInt(40) == 0 ? "x".repeat(9_000) : "").append("-value\"");   // over 8 KB: streamed
            case 1 -> sb.append(random.nextInt(1000) - 500).append(random.nextBoolean() ? ".25e3" : "");
            case 2 -> sb.append(random.nextBoolean() ? "true" : "null");
            case 3 -> sb.append("\"p").append(random.nextInt(1_000_000)).append('"');
            case 4 -> {
                sb.append('[');
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    if (i > 0) sb.append(',');
                    value(sb, random, depth + 1);
                }
                sb.append(']');
            }
            default -> object(sb, random, depth + 1);
        }
    }
}
