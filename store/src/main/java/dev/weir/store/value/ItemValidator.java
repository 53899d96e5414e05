package dev.weir.store.value;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.AttributeName;
import dev.weir.protocol.value.DynamoNumber;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks attribute values as DynamoDB does before it stores them, and returns them in
 * canonical form: numbers (also inside sets, maps and lists) in their canonical text, within
 * DynamoDB's limits ({@link DynamoNumber}: one scan of the text before any value is made),
 * sets non-empty and without duplicates, attribute names (of items and maps) within 64 KB
 * ({@link AttributeName}), documents within 32 levels.
 */
public final class ItemValidator {
    private static final String INVALID = "One or more parameter values were invalid: ";
    /** DynamoDB's deepest document: an attribute is level 1, each map or list adds one. */
    public static final int MAX_NESTING = 32;

    private ItemValidator() {}

    public static Map<String, AttributeValue> canonicalItem(Map<String, AttributeValue> item) {
        return canonicalMap(item, 1);
    }

    public static AttributeValue canonical(AttributeValue value) {
        return canonical(value, 1);
    }

    /** Refuses an item above DynamoDB's 400 KB, with the message PutItem ({@code update} false) or UpdateItem gives. */
    public static void checkSize(Map<String, AttributeValue> item, boolean update) {
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw DynamoException.validation(update ? "Item size to update has exceeded the maximum allowed size"
                    : "Item size has exceeded the maximum allowed size");
        }
    }

    private static Map<String, AttributeValue> canonicalMap(Map<String, AttributeValue> item, int level) {
        Map<String, AttributeValue> out = LinkedHashMap.newLinkedHashMap(item.size());
        item.forEach((name, value) -> {
            AttributeName.check(name);
            out.put(name, canonical(value, level));
        });
        return out;
    }

    private static AttributeValue canonical(AttributeValue value, int level) {
        return switch (value) {
            case AttributeValue.N n -> new AttributeValue.N(DynamoNumber.canonical(n.value()));
            case AttributeValue.M m -> new AttributeValue.M(canonicalMap(m.value(), deeper(level)));
            case AttributeValue.L l -> {
                int inner = deeper(level);
                List<AttributeValue> list = new ArrayList<>(l.value().size());
                for (AttributeValue el : l.value()) list.add(canonical(el, inner));
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

    private static int deeper(int level) {
        if (level >= MAX_NESTING) {
            throw DynamoException.validation("Nesting Levels have exceeded supported limits: "
                    + "Attributes in the item have nested levels beyond supported limit");
        }
        return level + 1;
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
