package dev.weir.protocol.error;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DynamoDB's SerializationException for a request member of the wrong JSON type, in the words
 * of DynamoDB's deserializer (as dynalite's tests record its answers): one place for the
 * bundled store's request validator, the legacy parameters and weir's own request parser.
 * A scalar member quotes the token it got ({@code TRUE_VALUE cannot be converted to String}),
 * a container where a scalar was wanted is an unrecognized collection or a misplaced
 * structure; a scalar where a list, map or structure was wanted is an unexpected field type,
 * or, inside a list or map, an unexpected value type.
 */
public final class WrongType {
    private WrongType() {}

    /** The name DynamoDB's JSON reader gives a scalar token: TRUE_VALUE, FALSE_VALUE, NUMBER_VALUE, DECIMAL_VALUE or STRING_VALUE. */
    public static String token(JsonNode v) {
        if (v.isBoolean()) return v.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE";
        if (v.isIntegralNumber()) return "NUMBER_VALUE";
        if (v.isNumber()) return "DECIMAL_VALUE";
        return "STRING_VALUE";
    }

    /**
     * {@code v} where a scalar of Java type {@code javaName} ({@code String}, {@code Boolean},
     * {@code Integer}, {@code Long}) was wanted. A string for a Boolean is
     * {@code Unexpected token received from parser}.
     */
    public static DynamoException scalar(JsonNode v, String javaName) {
        if (v.isObject()) return of("Start of structure or map found where not expected");
        if (v.isArray()) return of("Unrecognized collection type class java.lang." + javaName);
        if (v.isTextual() && javaName.equals("Boolean")) return of("Unexpected token received from parser");
        return of(token(v) + " cannot be converted to " + javaName);
    }

    /** {@code v} where a list was wanted. */
    public static DynamoException list(JsonNode v) {
        return of(v.isObject() ? "Start of structure or map found where not expected" : "Unexpected field type");
    }

    /**
     * {@code v} where a structure or map was wanted; {@code javaClass} names it in the message
     * for an array ({@code class com.amazonaws.dynamodb.v20120810.Condition},
     * {@code java.util.Map<java.lang.String, ...>}); {@code field}: a structure's member (else a
     * list element or map value).
     */
    public static DynamoException structure(JsonNode v, String javaClass, boolean field) {
        if (v.isArray()) return of("Unrecognized collection type " + javaClass);
        return of(field ? "Unexpected field type" : "Unexpected value type in payload");
    }

    private static DynamoException of(String message) {
        return new DynamoException(DynamoError.serialization(message));
    }
}
