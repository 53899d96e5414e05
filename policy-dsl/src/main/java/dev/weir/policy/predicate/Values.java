package dev.weir.policy.predicate;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The runtime values a condition works on, and how they compare. A value is one of:
 * {@code null} (absent), {@link String}, {@link BigDecimal}, {@link Boolean}, {@link #NULL},
 * a {@code byte[]} IP address, an {@link java.time.Instant}, a {@code List<?>} of values (a
 * principal's multi-valued attribute, an item's list or set), or an {@link AttributeValue}
 * that has no plainer form (binary, map).
 *
 * <p>Types never mix: a string never equals a number, as in DynamoDB.
 */
final class Values {
    /** The NULL value (present, but null), as opposed to an absent one. */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    private Values() {}

    /** An item value in runtime form. */
    static Object of(AttributeValue v) {
        return switch (v) {
            case null -> null;
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> number(n.value());
            case AttributeValue.Bool b -> b.value();
            case AttributeValue.Null n -> NULL;
            case AttributeValue.SS ss -> ss.value();
            case AttributeValue.NS ns -> ns.value().stream().map(Values::number).toList();
            case AttributeValue.L l -> l.value().stream().map(Values::of).toList();
            default -> v;
        };
    }

    static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) return false;
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        if (a instanceof List<?> l && l.size() == 1 && !(b instanceof List<?>)) return equal(l.getFirst(), b);
        if (b instanceof List<?> l && l.size() == 1 && !(a instanceof List<?>)) return equal(a, l.getFirst());
        if (a instanceof byte[] x && b instanceof byte[] y) return java.util.Arrays.equals(x, y);
        if (a instanceof byte[] ip && b instanceof dev.weir.policy.ast.CidrBlock c) return c.contains(ip);
        if (b instanceof byte[] ip && a instanceof dev.weir.policy.ast.CidrBlock c) return c.contains(ip);
        return a.equals(b);
    }

    /** Negative, zero or positive; or {@link Integer#MIN_VALUE} when the two cannot be ordered. */
    static int compare(Object a, Object b) {
        if (a instanceof List<?> l && l.size() == 1) a = l.getFirst();
        if (b instanceof List<?> l && l.size() == 1) b = l.getFirst();
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return Integer.signum(x.compareTo(y));
        if (a instanceof String x && b instanceof String y) return Integer.signum(codePointCompare(x, y));
        return Integer.MIN_VALUE;
    }

    /** Code point order, which is UTF-8 byte order (DynamoDB's order for strings). */
    static int codePointCompare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Whether {@code container} holds {@code element}: a list or set member, or a substring. */
    static boolean contains(Object container, Object element) {
        if (container instanceof String s) return element instanceof String e && s.contains(e);
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (equal(o, element)) return true;
        }
        return false;
    }

    /** size(): characters of a string, bytes of a binary, elements of a collection or map; else null. */
    static BigDecimal size(Object v) {
        return switch (v) {
            case String s -> BigDecimal.valueOf(s.codePointCount(0, s.length()));
            case Collection<?> c -> BigDecimal.valueOf(c.size());
            case AttributeValue.B b -> BigDecimal.valueOf(b.value().length());
            case AttributeValue.BS bs -> BigDecimal.valueOf(bs.value().size());
            case AttributeValue.M m -> BigDecimal.valueOf(m.value().size());
            case null, default -> null;
        };
    }

    /** The item value at a path of keys ({@code String}) and indexes ({@code Integer}), or null. */
    static AttributeValue at(Map<String, AttributeValue> item, Object[] path) {
        if (item == null || path.length == 0) return null;
        AttributeValue cur = item.get((String) path[0]);
        for (int i = 1; i < path.length && cur != null; i++) {
            Object step = path[i];
            if (step instanceof String key) {
                cur = cur instanceof AttributeValue.M m ? m.value().get(key) : null;
            } else {
                int index = (Integer) step;
                cur = cur instanceof AttributeValue.L l && index < l.value().size() ? l.value().get(index) : null;
            }
        }
        return cur;
    }
}
