package dev.weir.proxy.enforce;

import dev.weir.policy.predicate.StoreCondition;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;

/**
 * A condition weir adds to one of a request's expressions (AND-ed with the client's own),
 * with the placeholders ({@code #weirN}, {@code :weirN}) it uses, unused ones already dropped.
 */
record Conjunct(StoreCondition.Rendered.Expression expression, Map<String, String> names, Map<String, AttributeValue> values) {
    Conjunct {
        names = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(names));
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The rendered condition with the placeholders it still uses after constants were folded away. */
    static Conjunct of(StoreCondition.Rendered.Expression e, StoreCondition.Placeholders ph) {
        Map<String, String> names = new java.util.LinkedHashMap<>(ph.names());
        Map<String, AttributeValue> values = new java.util.LinkedHashMap<>(ph.values());
        names.keySet().removeIf(p -> !uses(e.text(), p));
        values.keySet().removeIf(p -> !uses(e.text(), p));
        return new Conjunct(e, names, values);
    }

    /** Whether {@code expression} uses the placeholder (not just one that starts with it). */
    static boolean uses(String expression, String placeholder) {
        for (int i = expression.indexOf(placeholder); i >= 0; i = expression.indexOf(placeholder, i + 1)) {
            int end = i + placeholder.length();
            if (end == expression.length() || !(Character.isLetterOrDigit(expression.charAt(end)) || expression.charAt(end) == '_')) {
                return true;
            }
        }
        return false;
    }
}
