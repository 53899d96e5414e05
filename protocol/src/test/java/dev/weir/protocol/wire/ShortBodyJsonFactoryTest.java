package dev.weir.protocol.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.ReaderBasedJsonParser;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short-body fast path of {@link JsonBodies#shortBodyFactory()} reads exactly what the char
 * path ({@link JsonBodies#factory()}) reads: the same trees, the same refusals, on seeded random bodies (well-formed, mutated, with duplicate
 * names, trailing content, escapes, non-ASCII names, BOMs); it is taken only where that holds,
 * and it keeps no names between parses.
 */
class ShortBodyJsonFactoryTest {
    private static final String[] NAMES = {"TableName", "Key", "id", "S", "N", "M", "L", "a", "é", "naïve", "名前", "\ud83d\ude00",
            "#n", ":v", "x\\u0041y", "\\u00e9", "\\ud83d\\ude00", "\\n", "tab\\t", "\\ud800", ""};

    /** A mapper as RequestParser configures it, over {@code factory}. */
    private static ObjectMapper strict(JsonFactory factory) {
        return new ObjectMapper(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }


    @Test
    void wellFormedUtf8IsWhatTheJdkDecoderReadsWithoutReplacing() {
        SplittableRandom random = new SplittableRandom(16);
        int valid = 0;
        for (int run = 0; run < 200_000; run++) {
            byte[] bytes = randomBytes(random);
            int from = bytes.length == 0 ? 0 : random.nextInt(Math.min(3, bytes.length + 1));
            int length = bytes.length - from - (bytes.length - from > 0 ? random.nextInt(Math.min(3, bytes.length - from + 1)) : 0);
            boolean expected = jdkDecodes(bytes, from, length) && !hasNul(bytes, from, length);
            assertEquals(expected, WellFormedUtf8.withoutNul(bytes, from, length), () -> hex(bytes, from, length));
            if (expected) valid++;
        }
        assertTrue(valid > 20_000 && valid < 180_000, "both outcomes are exercised: " + valid);
    }

    @Test
    void theFastPathReadsTheSameTreesAndErrorsAsTheCharPath() throws Exception {
        ObjectMapper fast = strict(JsonBodies.shortBodyFactory());
        ObjectMapper slow = strict(JsonBodies.factory());
        SplittableRandom random = new SplittableRandom(61);
        int trees = 0, errors = 0, fastPath = 0;
        for (int run = 0; run < 30_000; run++) {
            byte[] body = randomBody(random);
            if (fast.getFactory().createParser(body) instanceof UTF8StreamJsonParser) fastPath++;
            JsonNode a = null, b = null;
            String aError = null, bError = null;
            try {
                a = fast.readTree(body);
            } catch (JsonProcessingException e) {
                aError = e.getClass().getSimpleName() + ": " + e.getOriginalMessage();
            }
            try {
                b = slow.readTree(body);
            } catch (JsonProcessingException e) {
                bError = e.getClass().getSimpleName() + ": " + e.getOriginalMessage();
            }
            String what = new String(body, StandardCharsets.ISO_8859_1);
            if (bError == null) {
                assertEquals(null, aError, what);
                assertEquals(slow.writeValueAsString(b), fast.writeValueAsString(a), what);   // member order too
                assertEquals(b, a, what);
                trees++;
            } else {
                // Refused by both, as the same kind of error; the two errors weir names are worded alike.
                assertTrue(aError != null, what);
                assertEquals(kind(bError), kind(aError), what);
                if (bError.contains("Duplicate field") || bError.contains("Trailing token")
                        || aError.contains("Duplicate field") || aError.contains("Trailing token")) {
                    assertEquals(bError, aError, what);
                }
                errors++;
            }
        }
        assertTrue(trees > 5_000 && errors > 5_000 && fastPath > 15_000, trees + " trees, " + errors + " errors, "
                + fastPath + " on the fast path");
    }

    @Test
    void onlyShortWellFormedBodiesTakeTheFastPath() throws Exception {
        JsonFactory f = JsonBodies.shortBodyFactory();
        assertInstanceOf(UTF8StreamJsonParser.class, f.createParser("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(UTF8StreamJsonParser.class, f.createParser(("{\"a\":\"" + "x".repeat(8184) + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(ReaderBasedJsonParser.class, f.createParser(("{\"a\":\"" + "x".repeat(8185) + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(ReaderBasedJsonParser.class, f.createParser(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}));
        assertInstanceOf(ReaderBasedJsonParser.class, f.createParser(new byte[] {'{', '"', 'a', '"', ':', '"', 0, '"', '}'}));
        assertInstanceOf(ReaderBasedJsonParser.class, f.createParser("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE)));
        // Invalid UTF-8 in a short body reads as before: replaced by U+FFFD (the char path's decoder), not refused.
        JsonNode replaced = JsonBodies.shortBodyMapper().readTree(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'});
        assertEquals("\ufffd", replaced.get("a").textValue());
    }

    @Test
    void noNameIsKeptBetweenParses() throws Exception {
        ShortBodyJsonFactory f = (ShortBodyJsonFactory) JsonBodies.shortBodyFactory();
        ObjectMapper json = new ObjectMapper(f);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = json.readTree(("{\"name-" + i + "-" + "n".repeat(100) + "\":{\"S\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
            assertEquals(1, tree.size());
        }
        assertEquals(0, f.keptNames());
        assertFalse(f.isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES));
    }

    private static String kind(String error) {
        return error.substring(0, error.indexOf(':'));
    }

    // ---- generators ----

    /** Random bytes biased towards UTF-8's edges: ASCII, lead and continuation bytes, the boundary values. */
    private static byte[] randomBytes(SplittableRandom random) {
        int n = random.nextInt(24);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(4) == 0) out.writeBytes("ascii prefix..".getBytes(StandardCharsets.US_ASCII));   // the 8-byte loop
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> out.write(0x20 + random.nextInt(0x5F));
                case 1 -> out.write(random.nextInt(256));
                case 2 -> out.write(new int[] {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
                        0x8F, 0x90, 0x9F, 0xA0}[random.nextInt(19)]);
                default -> {
                    int cp = switch (random.nextInt(4)) {
                        case 0 -> 0x80 + random.nextInt(0x780);
                        case 1 -> 0x800 + random.nextInt(0xF800);      // surrogates included: the encoder replaces them
                        case 2 -> 0x10000 + random.nextInt(0x100000);
                        default -> random.nextInt(0x80);
                    };
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out.toByteArray();
    }

    private static boolean jdkDecodes(byte[] bytes, int from, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean hasNul(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) if (bytes[i] == 0) return true;
        return false;
    }

    /** A JSON body like a request's, sometimes broken: duplicates, trailing content, a BOM, a flipped or cut byte. */
    private static byte[] randomBody(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(20) == 0) sb.append('\ufeff');
        object(sb, random, 0);
        switch (random.nextInt(12)) {
            case 0 -> sb.append(" {}");
            case 1 -> sb.append(" x");
            case 2 -> sb.append("\n ");
            default -> { }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
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
            case 0 -> sb.append('"').append(NAMES[random.nextInt(NAMES.length)]).append("-value\"");
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

    private static String hex(byte[] bytes, int from, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + length; i++) sb.append(String.format("%02x ", bytes[i] & 0xFF));
        return sb.toString();
    }
}
