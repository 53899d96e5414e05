package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.error.WrongType;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The first pass over a request: every member has the JSON type its shape wants, else a
 * SerializationException worded as DynamoDB's deserializer words it ({@link WrongType}, shared
 * with weir's own request parser). Members are read in the
 * order they appear in the body (DynamoDB reads a stream: the first bad member in the body is
 * the one reported); members the operation does not know, and JSON nulls, are left alone.
 * Values DynamoDB converts are converted in place: a decimal where a whole number is wanted is
 * truncated, the strings {@code true} and {@code false} where a boolean is wanted become one.
 */
final class SerializationCheck {
    private SerializationCheck() {}

    static void check(ObjectNode request, Shape.Struct shape) {
        members(request, shape);
    }

    private static void members(ObjectNode node, Shape.Struct shape) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Member m = shape.member(e.getKey());
            if (m == null || e.getValue().isNull()) continue;
            JsonNode replaced = value(e.getValue(), m.shape(), true);
            if (replaced != e.getValue()) e.setValue(replaced);
        }
    }

    /**
     * Checks {@code v} against {@code shape}; {@code field} is true for a structure's member,
     * false for a list element or a map value (DynamoDB words a misplaced scalar differently).
     * Returns the value to keep (a converted one, or {@code v} itself).
     */
    private static JsonNode value(JsonNode v, Shape shape, boolean field) {
        return switch (shape) {
            case Shape.Text t -> {
                if (!v.isTextual()) throw WrongType.scalar(v, "String");
                yield v;
            }
            case Shape.Whole w -> {
                if (v.isIntegralNumber()) yield v;
                if (v.isNumber()) yield LongNode.valueOf(v.longValue());
                throw WrongType.scalar(v, w.javaName());
            }
            case Shape.Flag f -> {
                if (v.isBoolean()) yield v;
                if (v.isTextual()) {
                    String s = v.textValue().toLowerCase(Locale.ROOT);
                    if (s.equals("true")) yield BooleanNode.TRUE;
                    if (s.equals("false")) yield BooleanNode.FALSE;
                }
                throw WrongType.scalar(v, "Boolean");
            }
            case Shape.Bytes b -> {
                if (v.isTextual()) {
                    base64(v.textValue());
                    yield v;
                }
                if (v.isArray()) throw wrong("Unrecognized collection type class " + b.javaClass());
                if (v.isObject()) throw wrong("Start of structure or map found where not expected");
                throw wrong("only base-64-encoded strings are convertible to bytes");
            }
            case Shape.ListOf l -> {
                if (!v.isArray()) throw WrongType.list(v);
                ArrayNode a = (ArrayNode) v;
                for (int i = 0; i < a.size(); i++) {
                    JsonNode element = a.get(i);
                    if (element.isNull()) continue;
                    JsonNode replaced = value(element, l.element(), false);
                    if (replaced != element) a.set(i, replaced);
                }
                yield v;
            }
            case Shape.MapOf m -> {
                if (!v.isObject()) throw WrongType.structure(v, m.javaClass(), field);
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    if (e.getValue().isNull()) continue;
                    JsonNode replaced = value(e.getValue(), m.value(), false);
                    if (replaced != e.getValue()) e.setValue(replaced);
                }
                yield v;
            }
            case Shape.Struct s -> {
                if (!v.isObject()) throw WrongType.structure(v, "class " + s.javaClass(), field);
                members((ObjectNode) v, s);
                yield v;
            }
        };
    }

    /** The base64 checks DynamoDB makes while reading a blob, in its words. */
    private static void base64(String s) {
        if (s.length() % 4 != 0) {
            throw wrong("Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
        }
        int pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - pad; i++) {
            char c = s.charAt(i);
            if (c == '=') throw wrong("Invalid last non-pad Base64 character dectected");
            if (sextet(c) < 0) throw wrong("Invalid Base64 character: '" + c + "'");
        }
        if (pad > 0 && s.length() > pad) {
            // the bits of the last character before the padding that the decoded bytes do not use must be zero
            int last = sextet(s.charAt(s.length() - pad - 1));
            int unused = pad == 2 ? 0x0f : 0x03;
            if ((last & unused) != 0) throw wrong("Invalid last non-pad Base64 character dectected");
        }
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }

    private static DynamoException wrong(String message) {
        return new DynamoException(DynamoError.serialization(message));
    }
}
