package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.error.WrongType;

import java.util.List;

/**
 * Typed reads of legacy request members, with DynamoDB's errors: a member of the wrong JSON
 * type is a SerializationException, a constraint broken is a ValidationException worded like
 * DynamoDB's ({@code 1 validation error detected: Value 'x' at 'path' failed to satisfy ...}).
 */
final class Members {
    static final String INVALID = "One or more parameter values were invalid: ";

    private Members() {}

    /** The member, or null when it is absent or JSON null. */
    static JsonNode get(JsonNode parent, String field) {
        if (parent == null) return null;
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static boolean present(JsonNode parent, String field) {
        return get(parent, field) != null;
    }

    static JsonNode object(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v != null && !v.isObject()) throw wrongType(v, "Structure");
        return v;
    }

    static JsonNode array(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v != null && !v.isArray()) throw wrongType(v, "List");
        return v;
    }

    static String text(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v == null) return null;
        if (!v.isTextual()) throw wrongType(v, "String");
        return v.textValue();
    }

    static Boolean bool(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v == null) return null;
        if (!v.isBoolean()) throw wrongType(v, "Boolean");
        return v.booleanValue();
    }

    /** The text of an enum member, refused unless it is one of {@code allowed} (listed in DynamoDB's order). */
    static String oneOf(JsonNode parent, String field, String path, List<String> allowed) {
        String v = text(parent, field);
        if (v != null && !allowed.contains(v)) {
            throw constraint("'" + v + "'", path, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        }
        return v;
    }

    static DynamoException constraint(String shownValue, String path, String constraint) {
        return DynamoException.validation("1 validation error detected: Value " + shownValue + " at '" + path
                + "' failed to satisfy constraint: " + constraint);
    }

    static DynamoException invalid(String message) {
        return DynamoException.validation(INVALID + message);
    }

    /**
     * A member of the wrong JSON type, in DynamoDB's deserializer's words ({@link WrongType}):
     * {@code expected} is {@code String} or {@code Boolean} for a scalar, {@code List}, or
     * {@code Structure} for a map or structure member of the request.
     */
    static DynamoException wrongType(JsonNode v, String expected) {
        return switch (expected) {
            case "List" -> WrongType.list(v);
            case "Structure" -> v.isArray() ? new DynamoException(DynamoError.serialization("Start of list found where not expected"))
                    : WrongType.structure(v, "", true);
            default -> WrongType.scalar(v, expected);
        };
    }

    /** A map's value (a Condition, an ExpectedAttributeValue) that is no JSON object. */
    static DynamoException wrongValue(JsonNode v) {
        return v.isArray() ? new DynamoException(DynamoError.serialization("Start of list found where not expected"))
                : WrongType.structure(v, "", false);
    }

    /** DynamoDB's member paths start lower-case: {@code ScanFilter} is {@code scanFilter}. */
    static String camel(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }
}
