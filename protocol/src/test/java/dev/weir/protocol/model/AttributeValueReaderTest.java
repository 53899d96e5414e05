package dev.weir.protocol.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.wire.JsonBodies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming reader ({@link AttributeValueJson#item(JsonParser, String)}) against the tree
 * path ({@link AttributeValueJson#item(com.fasterxml.jackson.databind.JsonNode, String)}) on
 * seeded random texts, most of them wrong somewhere (a member too many, a repeated member, a
 * number where text belongs, a NULL of false, bad base64, an unknown type, nesting): the same
 * item in the same order, or the same refusal (type and message), every time; and the reader
 * always leaves the parser on the item's last token.
 */
class AttributeValueReaderTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final String[] NAMES = {"a", "b", "c", "id", "é", "S", "M"};
    private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X", ""};
    private static final String[] TEXTS = {"\"x\"", "\"\"", "\"a\\\"b\"", "\"\\u00e9\\n\"", "\"AAE=\"", "\"!!\"", "\"A\"", "\"12\""};

    /** What one reading gave: the item written canonically, or the refusal. */
    private record Outcome(String item, DynamoError refusal) {
        static Outcome of(Map<String, AttributeValue> item) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var g = JSON.getFactory().createGenerator(out)) {
                AttributeValueJson.write(g, item);
            }
            return new Outcome(out.toString(StandardCharsets.UTF_8), null);
        }
    }

    private record DynamoError(String type, String message) {}

    @Test
    void theReaderReadsWhatTheTreeReadsOrRefusesWhatItRefuses() throws Exception {
        Random r = new Random(0x16_5ca1L);
        int refused = 0;
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = item(r, 0);
            Outcome tree = tree(text);
            Outcome stream = stream(text);
            assertEquals(tree, stream, text);
            if (tree.refusal() == null) read++;
            else refused++;
        }
        // the generator reaches both outcomes often
        assertTrue(read > 2_000 && refused > 2_000, read + " read, " + refused + " refused");
    }

    @Test
    void everyTypeIsReadAsTheTreeReadsIt() throws Exception {
        String text = """
                {"s":{"S":"x"},"n":{"N":"1.5"},"b":{"B":"AAE="},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true},
                 "m":{"M":{"a":{"S":"y"}}},"l":{"L":[{"N":"1"},{"S":"2"}]},"ss":{"SS":["a","b"]},
                 "ns":{"NS":["1","2"]},"bs":{"BS":["AA==","AQ=="]},"e":{"M":{}},"el":{"L":[]}}""";
        Outcome stream = stream(text);
        assertNull(stream.refusal());
        assertEquals(tree(text), stream);
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            p.nextToken();
            Map<String, AttributeValue> item = AttributeValueJson.item(p, "Item");
            assertEquals(AttributeValueJson.item(JSON.readTree(text), "Item"), item);
            assertEquals(List.copyOf(item.keySet()), List.of("s", "n", "b", "t", "f", "z", "m", "l", "ss", "ns", "bs", "e", "el"));
        }
    }

    @Test
    void theTreesOrderOfChecksIsKept() throws Exception {
        // two members: refused as such although the first is wrong itself
        assertRefusal("{\"a\":{\"S\":1,\"N\":\"1\"}}", "ValidationException", "more than one datatypes");
        assertRefusal("{\"a\":{\"M\":{\"b\":{\"S\":1}},\"N\":\"1\"}}", "ValidationException", "more than one datatypes");
        // a repeated member: the last one counts
        assertEquals("{\"a\":{\"S\":\"x\"}}", stream("{\"a\":{\"S\":1,\"S\":\"x\"}}").item());
        assertRefusal("{\"a\":{\"S\":\"x\",\"S\":1}}", "SerializationException", "NUMBER_VALUE");
        // a repeated attribute: the last value, the first position
        assertEquals("{\"a\":{\"S\":\"y\"},\"b\":{\"N\":\"1\"}}",
                stream("{\"a\":{\"S\":1},\"b\":{\"N\":\"1\"},\"a\":{\"S\":\"y\"}}").item());
        // of two wrong attributes the first named is reported, in the tree's order
        assertRefusal("{\"a\":{\"S\":\"ok\"},\"b\":{\"NULL\":false},\"a\":{\"X\":1}}", "ValidationException", "is empty");
        // a set with a number and bad base64: the number is reported (every element is text first)
        assertRefusal("{\"a\":{\"BS\":[\"!!\",5]}}", "SerializationException", "only base-64-encoded strings are convertible to bytes");
        assertRefusal("{\"a\":{\"BS\":[\"!!\"]}}", "SerializationException", "Base64");
        assertRefusal("[]", "ValidationException", "Value null at 'Items'");
    }

    @Test
    void malformedJsonIsAnIOException() {
        for (String text : List.of("{\"a\":{\"S\":\"x\"}", "{\"a\":{\"S\":}}", "{\"a\":{\"L\":[{\"S\":\"x\"}}}", "{\"a\"")) {
            assertThrows(IOException.class, () -> stream(text), text);
            assertThrows(IOException.class, () -> JSON.readTree(text), text);
        }
    }

    private static void assertRefusal(String text, String type, String part) throws Exception {
        Outcome stream = stream(text);
        assertEquals(tree(text), stream, text);
        assertEquals(type, stream.refusal() == null ? null : stream.refusal().type(), text);
        assertTrue(stream.refusal().message().contains(part), stream.refusal().message());
    }

    private static Outcome tree(String text) throws IOException {
        try {
            return Outcome.of(AttributeValueJson.item(JSON.readTree(text), "Items"));
        } catch (DynamoException e) {
            return new Outcome(null, new DynamoError(e.error().shortType(), e.error().message()));
        }
    }

    private static Outcome stream(String text) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            p.nextToken();
            JsonToken first = p.currentToken();
            Outcome outcome;
            try {
                outcome = Outcome.of(AttributeValueJson.item(p, "Items"));
            } catch (DynamoException e) {
                outcome = new Outcome(null, new DynamoError(e.error().shortType(), e.error().message()));
            }
            // exactly the one value was consumed, refused or not
            JsonToken last = p.currentToken();
            if (first == JsonToken.START_OBJECT) assertEquals(JsonToken.END_OBJECT, last, text);
            if (first == JsonToken.START_ARRAY) assertEquals(JsonToken.END_ARRAY, last, text);
            assertNull(p.nextToken(), text);
            return outcome;
        }
    }

    // ---- seeded random texts: items and values, right or wrong in many ways ----

    private static String item(Random r, int depth) {
        if (r.nextInt(20) == 0) return json(r, depth + 1);
        List<String> members = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) members.add(quote(NAMES[r.nextInt(NAMES.length)]) + ":" + value(r, depth));
        return "{" + String.join(",", members) + "}";
    }

    private static String value(Random r, int depth) {
        int shape = r.nextInt(40);
        if (shape == 0) return json(r, depth + 1);
        if (shape == 1) return "{}";
        List<String> members = new ArrayList<>();
        members.add(typed(r, depth));
        if (shape == 2) members.add(typed(r, depth)); // two members, maybe the same type twice
        if (shape == 3) members.add(0, typed(r, depth));
        return "{" + String.join(",", members) + "}";
    }

    private static String typed(Random r, int depth) {
        String type = r.nextInt(15) == 0 ? TYPES[r.nextInt(TYPES.length)] : TYPES[r.nextInt(10)];
        boolean wrong = r.nextInt(12) == 0;
        String v;
        if (wrong) {
            v = json(r, depth + 1);
        } else {
            v = switch (type) {
                case "S", "N" -> TEXTS[r.nextInt(4)];
                case "B" -> r.nextInt(10) == 0 ? "\"!!\"" : "\"AAE=\"";
                case "BOOL" -> r.nextBoolean() ? "true" : "false";
                case "NULL" -> r.nextInt(10) == 0 ? "false" : "true";
                case "M" -> depth > 3 ? "{}" : item(r, depth + 1);
                case "L" -> {
                    List<String> els = new ArrayList<>();
                    for (int n = depth > 3 ? 0 : r.nextInt(4); n > 0; n--) els.add(value(r, depth + 1));
                    yield "[" + String.join(",", els) + "]";
                }
                case "SS", "NS", "BS" -> {
                    List<String> els = new ArrayList<>();
                    for (int n = r.nextInt(4); n > 0; n--) els.add(r.nextInt(15) == 0 ? json(r, depth + 1) : TEXTS[4 + r.nextInt(4)]);
                    yield "[" + String.join(",", els) + "]";
                }
                default -> TEXTS[r.nextInt(TEXTS.length)];
            };
        }
        return quote(type) + ":" + v;
    }

    /** Any JSON value: what a store that breaks the protocol might send. */
    private static String json(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 6 : 9);
        return switch (kind) {
            case 0 -> TEXTS[r.nextInt(TEXTS.length)];
            case 1 -> Integer.toString(r.nextInt(100) - 50);
            case 2 -> "1.5e3";
            case 3 -> "true";
            case 4 -> "false";
            case 5 -> "null";
            case 6 -> "[" + json(r, depth + 1) + "," + json(r, depth + 1) + "]";
            case 7 -> "{" + quote(NAMES[r.nextInt(NAMES.length)]) + ":" + json(r, depth + 1) + "}";
            default -> value(r, depth + 1);
        };
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    @Test
    void aValueIsReadAlone() throws Exception {
        try (JsonParser p = JSON.getFactory().createParser("{\"L\":[{\"S\":\"a\"},{\"NULL\":true}]}")) {
            p.nextToken();
            AttributeValue v = AttributeValueJson.value(p);
            assertEquals(new AttributeValue.L(List.of(new AttributeValue.S("a"), new AttributeValue.Null())), v);
        }
    }
}
