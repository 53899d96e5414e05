package dev.weir.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of request members. A member of the wrong JSON type is a
 * SerializationException, as in DynamoDB; a missing member (or JSON null) reads as null.
 */
public final class RequestFields {
    private RequestFields() {}

    public static String text(JsonNode parent, String field) {
        JsonNode v = member(parent, field);
        if (v == null) return null;
        if (!v.isTextual()) throw wrongType(v, "String");
        return v.textValue();
    }

    public static Long integer(JsonNode parent, String field) {
        JsonNode v = member(parent, field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(v, "Long");
        return v.longValue();
    }

    public static Boolean bool(JsonNode parent, String field) {
        JsonNode v = member(parent, field);
        if (v == null) return null;
        if (!v.isBoolean()) throw wrongType(v, "Boolean");
        return v.booleanValue();
    }

    /** An object member, or null. */
    public static JsonNode object(JsonNode parent, String field) {
        JsonNode v = member(parent, field);
        if (v == null) return null;
        if (!v.isObject()) throw wrongType(v, "Structure");
        return v;
    }

    /** The elements of a list member, or null if absent. */
    public static List<JsonNode> list(JsonNode parent, String field) {
        JsonNode v = member(parent, field);
        if (v == null) return null;
        if (!v.isArray()) throw wrongType(v, "List");
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** Fails with a SerializationException unless {@code v} is a JSON object. */
    public static JsonNode requireObject(JsonNode v) {
        if (!v.isObject()) throw wrongType(v, "Structure");
        return v;
    }

    public static boolean present(JsonNode parent, String field) {
        return member(parent, field) != null;
    }

    private static JsonNode member(JsonNode parent, String field) {
        if (parent == null) return null;
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static DynamoException wrongType(JsonNode v, String expected) {
        String message;
        if (v.isObject()) message = "Start of structure or map found where not expected.";
        else if (v.isArray()) message = "Start of list found where not expected";
        else message = v.asToken() + " cannot be converted to " + expected;
        return new DynamoException(DynamoError.serialization(message));
    }
}
