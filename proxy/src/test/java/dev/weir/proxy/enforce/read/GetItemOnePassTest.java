package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReadAnswer#showGetItem}, the one-pass GetItem answer, against the tree path it
 * replaces ({@link ReadAnswer#show} written by Jackson): on seeded random answers, plain and
 * odd, through a restricted view with and without a projection and through an unrestricted
 * one, the one pass either declines (null, or throws) or gives the tree's bytes and counts;
 * and where it throws, the tree refuses too.
 */
class GetItemOnePassTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final List<ReadAnswer.Shape> SHAPES = List.of(
            new ReadAnswer.Shape(Views.view("reader", "t"), null),
            new ReadAnswer.Shape(Views.view("reader", "t"),
                    new ExpressionContext(Map.of("#n", "name", "#r", "region"), null).projection("#n, secret, #r, tags[1], m.a")),
            new ReadAnswer.Shape(Views.view("admin", "t"), null));

    @Test
    void theOnePassGivesTheTreesBytesOrDeclines() throws Exception {
        Random rnd = new Random(20261206);
        int fast = 0, declined = 0, refusedByBoth = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] answer = answer(rnd);
            ReadAnswer.Shape shape = SHAPES.get(rnd.nextInt(SHAPES.size()));
            ReadAnswer.ShownBytes one;
            Throwable oneFailed = null;
            try {
                one = ReadAnswer.showGetItem(answer, shape);
            } catch (Exception | AssertionError e) {
                one = null;
                oneFailed = e;
            }
            byte[] treeBytes = null;
            int kept = -1, dropped = -1;
            try {
                ReadAnswer.Shown tree = ReadAnswer.show(Operation.GetItem, JSON.readTree(answer), Map.of(), List.of(shape), false);
                treeBytes = JSON.writeValueAsBytes(tree.body());
                kept = tree.kept();
                dropped = tree.dropped();
            } catch (Exception treeRefused) {
                // compared below
            }
            String what = new String(answer, StandardCharsets.UTF_8);
            if (oneFailed != null) {
                assertEquals(null, treeBytes, "the one pass threw (" + oneFailed + ") where the tree answered: " + what);
                refusedByBoth++;
            } else if (one == null) {
                declined++;
            } else {
                assertNotNull(treeBytes, "the one pass answered where the tree refuses: " + what);
                String treeText = new String(treeBytes, StandardCharsets.UTF_8);
                assertArrayEquals(treeBytes, one.body(), () -> "bytes differ for " + what + "\n tree " + treeText);
                assertEquals(kept, one.kept(), what);
                assertEquals(dropped, one.dropped(), what);
                fast++;
            }
        }
        assertTrue(fast > 3_000, "most answers are plain and take the one pass: " + fast);
        assertTrue(declined > 300, "odd answers are declined: " + declined);
        assertTrue(refusedByBoth > 50, "malformed items are refused by both: " + refusedByBoth);
    }

    /** A store's GetItem answer: mostly plain, sometimes odd (a member twice, trailing text, bad UTF-8, a malformed item). */
    private static byte[] answer(Random rnd) throws Exception {
        int kind = rnd.nextInt(20);
        String item = itemJson(rnd);
        String capacity = "\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5}";
        String text = switch (kind) {
            case 0 -> "{}";
            case 1 -> "{" + capacity + "}";
            case 2 -> "{\"Item\":" + item + ",\"Item\":" + itemJson(rnd) + "}";
            case 3 -> "{\"Item\":null}";
            case 4 -> "{\"Item\":[1]}";
            case 5 -> "{\"Item\":" + item + "} {\"more\":1}";
            case 6 -> "[" + item + "]";
            case 7 -> "{\"Item\":{\"pk\":{\"S\":\"1\",\"N\":\"2\"}}}";
            case 8 -> "{\"Item\":{\"pk\":{\"Q\":\"1\"}}}";
            case 9 -> "{\"Extra\":{\"Item\":" + item + "},\"Item\":" + item + ",\"Count\":1}";
            case 10 -> "{\"Item\":" + item + ",\"Item\":" + item;
            default -> rnd.nextBoolean() ? "{\"Item\":" + item + "," + capacity + "}" : "{" + capacity + ",\"Item\":" + item + "}";
        };
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(25) == 0) {
            // A byte that is not UTF-8 inside a string value.
            int at = text.indexOf("\"S\":\"");
            if (at > 0) {
                bytes = Arrays.copyOf(bytes, bytes.length);
                bytes[at + 5] = (byte) 0xC3;
            }
        }
        return bytes;
    }

    private static String itemJson(Random rnd) throws Exception {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", new AttributeValue.S(String.valueOf(rnd.nextInt(100))));
        if (rnd.nextInt(6) != 0) item.put("region", new AttributeValue.S(rnd.nextBoolean() ? "eu" : "us"));
        if (rnd.nextBoolean()) item.put("name", new AttributeValue.S(text(rnd)));
        if (rnd.nextBoolean()) item.put("secret", new AttributeValue.S(text(rnd)));
        if (rnd.nextBoolean()) {
            List<AttributeValue> tags = new ArrayList<>();
            for (int i = rnd.nextInt(4); i > 0; i--) tags.add(new AttributeValue.S(text(rnd)));
            item.put("tags", new AttributeValue.L(tags));
        }
        if (rnd.nextBoolean()) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            m.put("a", new AttributeValue.N(String.valueOf(rnd.nextInt(1000) - 500)));
            m.put(text(rnd), new AttributeValue.Bool(rnd.nextBoolean()));
            m.put("z", new AttributeValue.Null());
            item.put("m", new AttributeValue.M(m));
        }
        if (rnd.nextInt(4) == 0) item.put("ss", new AttributeValue.SS(List.of("a", text(rnd) + "b")));
        if (rnd.nextInt(4) == 0) item.put("ns", new AttributeValue.NS(List.of("1", "2.5")));
        if (rnd.nextInt(4) == 0) item.put(text(rnd) + "k", new AttributeValue.S(text(rnd)));
        return JSON.writeValueAsString(AttributeValueJson.toJson(item));
    }

    /** Text with the characters JSON writers differ on: quotes, backslashes, controls, non-ASCII, surrogate pairs. */
    private static String text(Random rnd) {
        String[] pieces = {"a", "Zoë", "\"", "\\", "\n", "\t", "\u0001", "\u007f", "\u2028", "😀", "/", " ", "é", "中"};
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(6); i > 0; i--) sb.append(pieces[rnd.nextInt(pieces.length)]);
        return sb.toString();
    }
}
