package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.verdict.Refusal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BodyTree} against Jackson as weir used it before ({@link RequestJson#readStrictly}):
 * every body it reads, Jackson reads to a tree equal node for node (same classes, same member
 * order); every body Jackson refuses, it declines. Seeded random bodies cover names and text
 * with escapes, non-ASCII and broken UTF-8, numbers of every form, literals cut or glued to
 * other bytes, nesting, duplicates, whitespace, byte-order marks and bytes cut or flipped. The
 * bodies clients send (the SDK's shapes) must be read, not declined, or the fast path is gone.
 */
class BodyTreeTest {
    private static final String[] NAMES = {"TableName", "Key", "id", "S", "N", "M", "L", "BOOL", "NULL", "a", "é", "名前",
            "#n", ":v", "x\\u0041y", "xAy", "\\u00e9", "\\n", "", "\\ud83d\\ude00", "😀", "\\ud800", "q\\\"q", "s\\/l",
            "\\b\\f\\r\\t"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "123456789012345678", "1234567890123456789", "-999999999999999999", "01", "00", "-", "1.5", "1e3", "1E+3", "-0.0",
            "+1", ".5", "1.", "0x10", "9223372036854775807", "99999999999999999999"};
    private static final String[] TEXTS = {"plain", "", "tab\\there", "quote\\\"d", "ünïcödé", "日本", "\\u0000", "\\u00zz",
            "\\x", "raw\ttab", "emoji 😀", "\\uD83D\\uDE00", "\\udfff", "back\\\\slash", "sl\\/ash"};

    @Test
    void whatItReadsJacksonReadsAlikeAndWhatJacksonRefusesItDeclines() {
        SplittableRandom random = new SplittableRandom(2316);
        int read = 0, declinedButAccepted = 0, refused = 0;
        for (int run = 0; run < 40_000; run++) {
            byte[] body = mutate(randomBody(random), random);
            ObjectNode mine = BodyTree.read(body);
            ObjectNode jackson;
            try {
                jackson = RequestJson.readStrictly(body);
            } catch (Refusal r) {
                jackson = null;
            }
            if (mine != null) {
                if (jackson == null) fail("read a body Jackson refuses: " + new String(body, StandardCharsets.ISO_8859_1));
                assertAlike(jackson, mine, body);
                read++;
            } else if (jackson != null) {
                declinedButAccepted++;
            } else {
                refused++;
            }
        }
        assertTrue(read > 10_000 && declinedButAccepted > 500 && refused > 5_000,
                read + " read, " + declinedButAccepted + " declined and left to Jackson, " + refused + " refused");
    }

    @Test
    void theBodiesClientsSendAreReadNotDeclined() {
        String[] bodies = {
            "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-000042\"}}}",
            "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}},\"ProjectionExpression\":\"#n, email\","
                    + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ConsistentRead\":true}",
            "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"p-1\"},\"age\":{\"N\":\"42\"},\"tags\":{\"SS\":[\"a\",\"b\"]},"
                    + "\"address\":{\"M\":{\"city\":{\"S\":\"Zürich\"},\"lines\":{\"L\":[{\"S\":\"Bahnhofstr. 1\"},{\"NULL\":true}]}}},"
                    + "\"photo\":{\"B\":\"aGVsbG8=\"},\"active\":{\"BOOL\":false}},\"ReturnValues\":\"ALL_OLD\"}",
            "{\n  \"TableName\" : \"people\",\n  \"KeyConditionExpression\" : \"region = :r\",\n  \"ExpressionAttributeValues\" : "
                    + "{ \":r\" : { \"S\" : \"eu\" } },\n  \"Limit\" : 25,\n  \"ScanIndexForward\" : false\n}\n",
            "{\"TableName\":\"people\",\"Segment\":1,\"TotalSegments\":4,\"Limit\":100,\"ExclusiveStartKey\":{\"id\":{\"S\":\"p\\\"9\"}}}",
            "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}},\"UpdateExpression\":\"SET #a = :v\","
                    + "\"ConditionExpression\":\"attribute_exists(id)\",\"ExpressionAttributeNames\":{\"#a\":\"age\"},"
                    + "\"ExpressionAttributeValues\":{\":v\":{\"N\":\"43\"}},\"ReturnValues\":\"UPDATED_NEW\"}",
        };
        for (String text : bodies) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            ObjectNode mine = BodyTree.read(body);
            assertNotNull(mine, text);
            assertAlike(RequestJson.readStrictly(body), mine, body);
            assertSame(mine.getClass(), RequestJson.read(body).getClass());
        }
    }

    @Test
    void declinesWhatItLeavesToJackson() {
        for (String text : new String[] {"\ufeff{}", "{\"a\":1,\"a\":2}", "{} {}", "{\"a\":1.5}", "{\"a\":1e2}",
                "{\"a\":1234567890123456789}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}", "[]",
                "{\"a\":[1,]}", "{\"a\":{}", "{\"a\"", "{\"a\":01}", "{\"a\":-}", "{'a':1}", "{\"a\":1}//"}) {
            assertNull(BodyTree.read(text.getBytes(StandardCharsets.UTF_8)), text);
        }
        StringBuilder deep = new StringBuilder("{\"a\":");
        for (int k = 0; k < BodyTree.MAX_DEPTH; k++) deep.append("{\"a\":");
        deep.append("1").append("}".repeat(BodyTree.MAX_DEPTH + 1));
        byte[] tooDeep = deep.toString().getBytes(StandardCharsets.UTF_8);
        assertNull(BodyTree.read(tooDeep));
        assertEquals(RequestJson.readStrictly(tooDeep), RequestJson.read(tooDeep));
        assertNull(BodyTree.read(new byte[] {'{', '"', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'}), "overlong UTF-8");
        assertNull(BodyTree.read(("{\"" + "n".repeat(BodyTree.MAX_NAME_BYTES + 1) + "\":1}").getBytes(StandardCharsets.UTF_8)));
    }

    /** Equal trees, member order and node classes included. */
    private static void assertAlike(JsonNode expected, JsonNode actual, byte[] body) {
        String context = new String(body, StandardCharsets.UTF_8);
        assertEquals(expected.getClass(), actual.getClass(), context);
        assertEquals(expected, actual, context);
        if (expected.isContainerNode()) {
            assertEquals(expected.size(), actual.size(), context);
            if (expected.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> e = expected.properties().iterator();
                Iterator<Map.Entry<String, JsonNode>> a = actual.properties().iterator();
                while (e.hasNext()) {
                    Map.Entry<String, JsonNode> x = e.next(), y = a.next();
                    assertEquals(x.getKey(), y.getKey(), context);
                    assertAlike(x.getValue(), y.getValue(), body);
                }
            } else {
                for (int k = 0; k < expected.size(); k++) assertAlike(expected.get(k), actual.get(k), body);
            }
        }
    }

    private static byte[] randomBody(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(40) == 0) sb.append('\ufeff');
        space(sb, random);
        object(sb, random, 0);
        space(sb, random);
        if (random.nextInt(30) == 0) sb.append(random.nextBoolean() ? "{}" : "x");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void object(StringBuilder sb, SplittableRandom random, int depth) {
        sb.append('{');
        int n = random.nextInt(depth > 3 ? 2 : 5);
        String previous = null;
        for (int k = 0; k < n; k++) {
            if (k > 0) sb.append(',');
            space(sb, random);
            String name = previous != null && random.nextInt(25) == 0 ? previous : pick(NAMES, 20, random);
            previous = name;
            sb.append('"').append(name).append('"');
            space(sb, random);
            sb.append(':');
            space(sb, random);
            value(sb, random, depth + 1);
            space(sb, random);
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 4 ? 4 : 7)) {
            case 0 -> sb.append('"').append(pick(TEXTS, 7, random)).append('"');
            case 1 -> sb.append(pick(NUMBERS, 10, random));
            case 2 -> sb.append(pick(new String[] {"true", "false", "null", "tru", "nul", "falsey"}, 3, random));
            case 3 -> sb.append('"').append(pick(NAMES, 20, random)).append('"');
            case 4, 5 -> object(sb, random, depth);
            default -> {
                sb.append('[');
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    if (k > 0) sb.append(',');
                    space(sb, random);
                    value(sb, random, depth + 1);
                }
                if (random.nextInt(40) == 0) sb.append(',');
                sb.append(']');
            }
        }
    }

    /** Mostly one of the first {@code plain} choices (well-formed, read by BodyTree), sometimes any. */
    private static String pick(String[] choices, int plain, SplittableRandom random) {
        return choices[random.nextInt(random.nextInt(6) == 0 ? choices.length : plain)];
    }

    private static void space(StringBuilder sb, SplittableRandom random) {
        if (random.nextInt(4) == 0) sb.append(pick(new String[] {" ", "\n", "\r\n\t", "  ", "\f", "\u00a0"}, 4, random));
    }

    /** Sometimes a byte cut, flipped, dropped or invalid UTF-8 put in. */
    private static byte[] mutate(byte[] body, SplittableRandom random) {
        if (random.nextInt(8) != 0 || body.length == 0) return body;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(body.length);
        switch (random.nextInt(5)) {
            case 0 -> out.write(body, 0, at);
            case 1 -> {
                byte[] copy = body.clone();
                copy[at] = (byte) random.nextInt(256);
                return copy;
            }
            case 2 -> {
                out.write(body, 0, at);
                out.write(body, at + 1, body.length - at - 1);
            }
            case 3 -> {
                out.write(body, 0, at);
                byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}};
                byte[] b = bad[random.nextInt(bad.length)];
                out.write(b, 0, b.length);
                out.write(body, at, body.length - at);
            }
            default -> {
                out.write(body, 0, at);
                out.write('\\');
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }
}
