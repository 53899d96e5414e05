package dev.weir.lifecycle.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** DynamoDB JSON attribute values for the worker's few requests. */
public final class Json {
    private Json() {}

    public static ObjectNode s(String value) {
        ObjectNode n = StoreClient.object();
        n.put("S", value);
        return n;
    }

    public static ObjectNode n(long value) {
        ObjectNode n = StoreClient.object();
        n.put("N", Long.toString(value));
        return n;
    }

    public static ObjectNode n(String digits) {
        ObjectNode n = StoreClient.object();
        n.put("N", digits);
        return n;
    }

    public static ObjectNode bool(boolean value) {
        ObjectNode n = StoreClient.object();
        n.put("BOOL", value);
        return n;
    }

    /** The string of an {@code {"S": ...}} member of an item, or null. */
    public static String string(JsonNode item, String attribute) {
        JsonNode v = item == null ? null : item.get(attribute);
        return v == null || !v.has("S") ? null : v.get("S").asText();
    }

    /** The number of an {@code {"N": ...}} member of an item, or the fallback. */
    public static long number(JsonNode item, String attribute, long fallback) {
        JsonNode v = item == null ? null : item.get(attribute);
        if (v == null || !v.has("N")) return fallback;
        try {
            return Long.parseLong(v.get("N").asText());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static boolean bool(JsonNode item, String attribute) {
        JsonNode v = item == null ? null : item.get(attribute);
        return v != null && v.path("BOOL").asBoolean(false);
    }
}
