package dev.weir.store.value;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks attribute values as DynamoDB does before it stores them, and returns them in
 * canonical form: numbers (also inside sets, maps and lists) in their canonical text, sets
 * non-empty and without duplicates.
 */
public final class ItemValidator {
    private static final String INVALID = "One or more parameter values were invalid: ";

    private ItemValidator() {}

    public static Map<String, AttributeValue> canonicalItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = LinkedHashMap.newLinkedHashMap(item.size());
        item.forEach((name, value) -> out.put(name, canonical(value)));
        return out;
    }

    public static AttributeValue canonical(AttributeValue value) {
        return switch (value) {
            case AttributeValue.N n -> new AttributeValue.N(DynamoNumber.canonical(n.value()));
            case AttributeValue.M m -> new AttributeValue.M(canonicalItem(m.value()));
            case AttributeValue.L l -> {
                List<AttributeValue> list = new ArrayList<>(l.value().size());
                for (AttributeValue el : l.value()) list.add(canonical(el));
                yield new AttributeValue.L(list);
            }
            case AttributeValue.SS ss -> {
                nonEmpty(ss.value(), "string");
                unique(ss.value(), ss.value());
                yield ss;
            }
            case AttributeValue.NS ns -> {
                nonEmpty(ns.value(), "number");
                List<String> canonical = new ArrayList<>(ns.value().size());
                for (String s : ns.value()) canonical.add(DynamoNumber.canonical(s));
                unique(canonical, ns.value());
                yield new AttributeValue.NS(canonical);
            }
            case AttributeValue.BS bs -> {
                nonEmpty(bs.value(), "binary");
                unique(bs.value(), bs.value().stream().map(AttributeValue.Bytes::base64).toList());
                yield bs;
            }
            case AttributeValue.S s -> s;
            case AttributeValue.B b -> b;
            case AttributeValue.Bool b -> b;
            case AttributeValue.Null n -> n;
        };
    }

    private static void nonEmpty(List<?> set, String kind) {
        if (set.isEmpty()) throw DynamoException.validation(INVALID + "An " + kind + " set  may not be empty");
    }

    private static void unique(List<?> members, List<String> shown) {
        Set<Object> seen = new HashSet<>();
        for (Object m : members) {
            if (!seen.add(m)) {
                throw DynamoException.validation(INVALID + "Input collection [" + String.join(", ", shown)
                        + "] contains duplicates.");
            }
        }
    }
}
