package dev.weir.proxy.enforce;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;

/**
 * Checks that a write touches only fields the caller's allow-list covers: a field the plan
 * would remove from the caller's view may not be written either.
 */
final class WriteGuard {
    private WriteGuard() {}

    static void requireWritable(FieldPlan plan, Map<String, AttributeValue> item, String principal, String table) {
        if (plan.isIdentity()) return;
        String hidden = firstRemoved("", item, plan.redact(item));
        if (hidden != null) {
            throw new DynamoException(DynamoError.accessDenied("User: " + principal + " is not authorized to write the field '"
                    + hidden + "' of table " + table + ": it is outside the caller's allow-list"));
        }
    }

    private static String firstRemoved(String prefix, Map<String, AttributeValue> original,
                                       Map<String, AttributeValue> visible) {
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
