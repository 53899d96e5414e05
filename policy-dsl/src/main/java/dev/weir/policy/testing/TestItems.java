package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items in test files are plain YAML: a string is S, a number N, true/false BOOL, null NULL,
 * a map M, a list L. Sets and binaries are written as a one-key map:
 * {@code {$SS: [a, b]}}, {@code {$NS: [1, 2]}}, {@code {$B: base64}}, {@code {$BS: [..]}}.
 */
final class TestItems {
    private TestItems() {}

    static Map<String, AttributeValue> item(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("an item must be a map");
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    static AttributeValue value(JsonNode v) {
        if (v == null || v.isNull()) return new AttributeValue.Null();
        if (v.isTextual()) return new AttributeValue.S(v.asText());
        if (v.isNumber()) return new AttributeValue.N(new BigDecimal(v.asText()).toPlainString());
        if (v.isBoolean()) return new AttributeValue.Bool(v.booleanValue());
        if (v.isArray()) {
            List<AttributeValue> out = new ArrayList<>();
            v.forEach(e -> out.add(value(e)));
            return new AttributeValue.L(out);
        }
        if (v.size() == 1) {
            String key = v.fieldNames().next();
            JsonNode inner = v.get(key);
            switch (key) {
                case "$SS" -> { return new AttributeValue.SS(strings(inner)); }
                case "$NS" -> { return new AttributeValue.NS(strings(inner)); }
                case "$B" -> { return new AttributeValue.B(AttributeValue.Bytes.ofBase64(inner.asText())); }
                case "$BS" -> { return new AttributeValue.BS(strings(inner).stream().map(AttributeValue.Bytes::ofBase64).toList()); }
                default -> { }
            }
        }
        return new AttributeValue.M(item(v));
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null) list.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** An item written back in the same plain form, for messages. */
    static String show(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (out.length() > 1) out.append(", ");
            out.append(e.getKey()).append(": ").append(show(e.getValue()));
        }
        return out.append('}').toString();
    }

    private static String show(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> "\"" + s.value() + "\"";
            case AttributeValue.N n -> n.value();
            case AttributeValue.Bool b -> String.valueOf(b.value());
            case AttributeValue.Null n -> "null";
            case AttributeValue.M m -> show(m.value());
            case AttributeValue.L l -> l.value().stream().map(TestItems::show).toList().toString();
            case AttributeValue.SS ss -> "{$SS: " + ss.value() + "}";
            case AttributeValue.NS ns -> "{$NS: " + ns.value() + "}";
            case AttributeValue.B b -> "{$B: " + b.value().base64() + "}";
            case AttributeValue.BS bs -> "{$BS: " + bs.value().stream().map(AttributeValue.Bytes::base64).toList() + "}";
        };
    }
}
