package dev.weir.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AttributeValueJson#checkItem} refuses exactly what {@link AttributeValueJson#item}
 * refuses, with the same error, and accepts the rest: items of every type, well formed and not
 * (a wrong type name, several or none, values of the wrong JSON kind, NULL false, base64 that
 * is none, nested maps and lists holding any of these), seeded.
 */
class AttributeValueCheckTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X", "s"};

    @Test
    void checkingAnItemRefusesWhatReadingItRefuses() {
        Random random = new Random(1617);
        int good = 0, bad = 0;
        for (int n = 0; n < 40_000; n++) {
            JsonNode item = random.nextInt(20) == 0 ? any(random, 2) : item(random, 0);
            String read = outcome(() -> AttributeValueJson.item(item, "Item"));
            String checked = outcome(() -> AttributeValueJson.checkItem(item, "Item"));
            assertEquals(read, checked, item::toString);
            if (read.equals("ok")) good++;
            else bad++;
        }
        assertTrue(good > 8_000 && bad > 8_000, good + " well formed, " + bad + " refused");
    }

    private static String outcome(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (DynamoException e) {
            return "refused: " + e.error();
        } catch (RuntimeException e) {
            return "failed: " + e.getClass().getName();
        }
    }

    private static ObjectNode item(Random random, int depth) {
        ObjectNode item = NODES.objectNode();
        for (int k = random.nextInt(4); k > 0; k--) item.set("a" + random.nextInt(6), value(random, depth));
        return item;
    }

    private static JsonNode value(Random random, int depth) {
        int shape = random.nextInt(30);
        if (shape == 0) return NODES.objectNode();                      // no type
        if (shape == 1) return any(random, depth);                       // not an object at all
        ObjectNode v = NODES.objectNode();
        if (shape == 2) v.set(TYPES[random.nextInt(TYPES.length)], any(random, depth)); // a second type
        String type = random.nextInt(15) == 0 ? TYPES[10 + random.nextInt(2)] : TYPES[random.nextInt(10)];
        boolean wrongKind = random.nextInt(8) == 0;
        if (wrongKind) {
            v.set(type, any(random, depth));
            return v;
        }
        switch (type) {
            case "S" -> v.put(type, "x" + random.nextInt(9));
            case "N" -> v.put(type, Integer.toString(random.nextInt(999)));
            case "B" -> v.put(type, base64(random));
            case "BOOL" -> v.put(type, random.nextBoolean());
            case "NULL" -> v.put(type, random.nextInt(6) > 0);
            case "M" -> v.set(type, depth < 3 ? item(random, depth + 1) : NODES.objectNode());
            case "L" -> {
                ArrayNode list = v.putArray(type);
                for (int k = random.nextInt(4); k > 0 && depth < 3; k--) list.add(value(random, depth + 1));
            }
            case "SS", "NS" -> {
                ArrayNode list = v.putArray(type);
                for (int k = random.nextInt(4); k > 0; k--) {
                    if (random.nextInt(8) == 0) list.add(any(random, depth));
                    else list.add(Integer.toString(random.nextInt(99)));
                }
            }
            case "BS" -> {
                ArrayNode list = v.putArray(type);
                for (int k = random.nextInt(4); k > 0; k--) {
                    if (random.nextInt(8) == 0) list.add(any(random, depth));
                    else list.add(base64(random));
                }
            }
            default -> v.put(type, "x");
        }
        return v;
    }

    private static String base64(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "not base64!";
            case 1 -> "QQ=";
            default -> java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) random.nextInt(), (byte) random.nextInt()});
        };
    }

    /** A JSON value of any kind. */
    private static JsonNode any(Random random, int depth) {
        return switch (random.nextInt(depth < 3 ? 8 : 6)) {
            case 0 -> NODES.textNode("t");
            case 1 -> NODES.numberNode(random.nextInt(9));
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.arrayNode();
            case 5 -> NODES.numberNode(1.5);
            case 6 -> NODES.arrayNode().add(value(random, depth + 1));
            default -> item(random, depth + 1);
        };
    }
}
