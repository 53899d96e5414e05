package dev.weir.policy.decision;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No deny forbade the request and these rules allowed it, with obligations:
 *
 * @param ruleIds      the matching allows, and the denies whose {@code rows where} narrowed the rows; sorted
 * @param fields       what of each item the caller sees (and may write)
 * @param rows         which stored items the caller may read, or change: filter a read's items
 *                     through it; a write may only replace or update an item that passes
 * @param requirements what an item the caller writes must satisfy (PutItem's item, the item an
 *                     UpdateItem produces); see {@link #refusesWrite}
 */
public record Allowed(List<String> ruleIds, FieldPlan fields, RowFilter rows, RowFilter requirements)
        implements Decision {
    public Allowed {
        ruleIds = List.copyOf(ruleIds);
    }

    /** Every row, no requirements. */
    public Allowed(List<String> ruleIds, FieldPlan fields) {
        this(ruleIds, fields, RowFilter.ALL, RowFilter.ALL);
    }

    /**
     * Whether {@link #refusesWrite} looks at the item at all: not when every field may be written
     * and no requirement is set, and then it refuses nothing (a caller that must still check the
     * item is well formed need not read it into the item model for it).
     */
    public boolean judgesWrittenItems() {
        return !fields.isIdentity() || !requirements.isAll();
    }

    /**
     * Why the caller may not write this item, or empty when it may: a field (or nested field)
     * the caller may not see may not be written either, and the item must satisfy
     * {@link #requirements()}.
     */
    public Optional<String> refusesWrite(DecisionRequest request, Map<String, AttributeValue> item) {
        if (!fields.isIdentity()) {
            String hidden = firstHidden(item);
            if (hidden != null) return Optional.of("the field '" + hidden + "' is outside the caller's allow-list");
        }
        if (!requirements.test(request, item)) {
            return Optional.of("the item does not satisfy the policy's requirement: " + requirements);
        }
        return Optional.empty();
    }

    /**
     * The first path of the item, in its order, that the field plan removes. Each top-level
     * attribute's {@link FieldPlan#treatment} decides it where it can (shown: nothing under it is
     * removed; removed: it is that path); an attribute only {@link FieldPlan#redact} can judge is
     * redacted on its own, which is what redacting the whole item does to it (the plan redacts
     * members one by one). So no copy of the whole item is made to check a put.
     */
    private String firstHidden(Map<String, AttributeValue> item) {
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            switch (fields.treatment(e.getKey())) {
                case SHOWN -> { }
                case REMOVED -> {
                    return e.getKey();
                }
                case REDACTED -> {
                    Map<String, AttributeValue> one = java.util.Collections.singletonMap(e.getKey(), e.getValue());
                    String hidden = firstRemoved("", one, fields.redact(one));
                    if (hidden != null) return hidden;
                }
            }
        }
        return null;
    }

    private static String firstRemoved(String prefix, Map<String, AttributeValue> original, Map<String, AttributeValue> visible) {
        for (Map.Entry<String, AttributeValue> e : original.entrySet()) {
            String path = prefix + e.getKey();
            AttributeValue seen = visible.get(e.getKey());
            if (seen == null) return path;
            if (e.getValue() instanceof AttributeValue.M m && seen instanceof AttributeValue.M sm) {
                String nested = firstRemoved(path + ".", m.value(), sm.value());
                if (nested != null) return nested;
            }
        }
        return null;
    }
}
