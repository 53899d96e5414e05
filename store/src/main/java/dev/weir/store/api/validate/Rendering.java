package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A value as DynamoDB quotes it in a validation message ({@code Value '...' at ...}): the text
 * of a string, the digits of a number, Java's {@code [a, b]} for a list and {@code {k=v}} for a
 * map or structure, as the service's Java model prints them.
 */
final class Rendering {
    private Rendering() {}

    static String of(JsonNode v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, JsonNode v) {
        if (v == null || v.isNull()) {
            sb.append("null");
        } else if (v.isTextual()) {
            sb.append(v.textValue());
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) sb.append(", ");
                append(sb, v.get(i));
            }
            sb.append(']');
        } else if (v.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append('=');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else {
            sb.append(v.asText());
        }
    }
}
