package dev.weir.policy.predicate;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime values a condition works on, and how they compare. A value is one of:
 * {@code null} (absent); an item value, kept as its {@link AttributeValue}; or a value of the
 * request or the policy text: {@link String}, {@link BigDecimal}, {@link Boolean},
 * {@link #NULL}, a {@code List<String>} (a principal attribute, {@code ctx.tls.san}), a
 * {@code Set<String>} ({@code principal.roles}), a {@code byte[]} IP address, an
 * {@link java.time.Instant} or a {@link CidrBlock}.
 *
 * <p><b>Item values follow DynamoDB exactly.</b> Whenever one side of a test is an item value,
 * the other side is taken as the DynamoDB value it stands for ({@link #asItem}: a string is
 * an S, a number an N, a boolean a BOOL, {@code null} a NULL, a principal attribute with one
 * value its string, with several a list L of strings; an address, a time or a block is no
 * DynamoDB value and equals nothing) and the test is DynamoDB's own
 * ({@link dev.weir.protocol.expr.eval.Values}): same type, numbers by value, sets regardless of
 * order, lists and maps deeply; an item's list or set is never its single element. This is
 * what lets {@link Residual} hand the store a condition that decides exactly as the policy.
 *
 * <p>Between request and policy values, a principal attribute with one value is that value
 * (principal attributes are lists of strings, and {@code region: eu} is a plain value), and
 * types never mix: a string never equals a number.
 */
final class Values {
    /** The NULL value (present, but null), as opposed to an absent one. */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    private Values() {}

    /**
     * The DynamoDB value a runtime value stands for when it meets an item value, or null when
     * it stands for none (absent, an address, a time, a block, a number DynamoDB cannot hold).
     */
    static AttributeValue asItem(Object v) {
        return switch (v) {
            case null -> null;
            case AttributeValue a -> a;
            case String s -> new AttributeValue.S(s);
            case BigDecimal n -> number(n);
            case Boolean b -> new AttributeValue.Bool(b);
            case List<?> l when l.size() == 1 -> asItem(l.getFirst());
            case Collection<?> c -> {
                List<AttributeValue> out = new ArrayList<>(c.size());
                for (Object o : c instanceof Set<?> ? new TreeSet<>(c) : c) {
                    AttributeValue e = asItem(o);
                    if (e == null) yield null;
                    out.add(e);
                }
                yield new AttributeValue.L(out);
            }
            case Object o when o == NULL -> new AttributeValue.Null();
            default -> null;
        };
    }

    /** A number as an N, or null when DynamoDB cannot hold it (more than 38 digits, out of range). */
    private static AttributeValue number(BigDecimal n) {
        try {
            return new AttributeValue.N(dev.weir.protocol.value.DynamoNumber.canonical(n.toString()));
        } catch (DynamoException e) {
            return null;
        }
    }

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) return false;
        if (a instanceof AttributeValue || b instanceof AttributeValue) {
            AttributeValue x = asItem(a), y = asItem(b);
            return x != null && y != null && dev.weir.protocol.expr.eval.Values.equal(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        if (a instanceof List<?> l && l.size() == 1 && !(b instanceof List<?>)) return equal(l.getFirst(), b);
        if (b instanceof List<?> l && l.size() == 1 && !(a instanceof List<?>)) return equal(a, l.getFirst());
        if (a instanceof byte[] x && b instanceof byte[] y) return java.util.Arrays.equals(x, y);
        if (a instanceof byte[] ip && b instanceof CidrBlock c) return c.contains(ip);
        if (b instanceof byte[] ip && a instanceof CidrBlock c) return c.contains(ip);
        return a.equals(b);
    }

    /** Negative, zero or positive; or {@link Integer#MIN_VALUE} when the two cannot be ordered. */
    static int compare(Object a, Object b) {
        if (a instanceof AttributeValue || b instanceof AttributeValue) {
            AttributeValue x = asItem(a), y = asItem(b);
            if (!dev.weir.protocol.expr.eval.Values.comparable(x, y)) return Integer.MIN_VALUE;
            return Integer.signum(dev.weir.protocol.expr.eval.Values.compare(x, y));
        }
        a = plain(a);
        b = plain(b);
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return Integer.signum(x.compareTo(y));
        if (a instanceof String x && b instanceof String y) return Integer.signum(codePointCompare(x, y));
        return Integer.MIN_VALUE;
    }

    /** A principal attribute with one value as that value; anything else as it is. */
    static Object plain(Object v) {
        return v instanceof List<?> l && l.size() == 1 ? l.getFirst() : v;
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

    /**
     * {@code contains(container, element)}. An item container: DynamoDB's {@code contains}
     * (a substring of a string or a binary, a member of a set, an element of a list). A string
     * of the request: a substring. A principal attribute or the roles: a member.
     */
    static boolean contains(Object container, Object element) {
        if (container == null || element == null) return false;
        if (container instanceof AttributeValue c) return dev.weir.protocol.expr.eval.Values.contains(c, asItem(element));
        if (container instanceof String s) {
            Object e = element instanceof AttributeValue.S x ? x.value() : element;
            return e instanceof String sub && s.contains(sub);
        }
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (equal(o, element)) return true;
        }
        return false;
    }

    /**
     * {@code value in container}. An item container: an element of its list or a member of its
     * set (a string, a number or a map is no container). A principal attribute or the roles: one
     * of their values. Any other value: equal to it (a plain value is a one-element list).
     */
    static boolean member(Object container, Object value) {
        if (container == null || value == null) return false;
        if (container instanceof AttributeValue c) {
            boolean collection = c instanceof AttributeValue.L || c instanceof AttributeValue.SS
                    || c instanceof AttributeValue.NS || c instanceof AttributeValue.BS;
            return collection && dev.weir.protocol.expr.eval.Values.contains(c, asItem(value));
        }
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (equal(o, value)) return true;
            return false;
        }
        return equal(container, value);
    }

    /**
     * {@code begins_with(a, b)}: with an item value, DynamoDB's (two strings or two binaries);
     * otherwise two strings.
     */
    static boolean beginsWith(Object a, Object b) {
        if (a instanceof AttributeValue || b instanceof AttributeValue) {
            return dev.weir.protocol.expr.eval.Values.beginsWith(asItem(a), asItem(b));
        }
        return plain(a) instanceof String s && plain(b) instanceof String p && s.startsWith(p);
    }

    /** size(): characters of a string, bytes of a binary, elements of a set, list or map; else null. */
    static BigDecimal size(Object v) {
        return switch (v) {
            case String s -> BigDecimal.valueOf(s.codePointCount(0, s.length()));
            case Collection<?> c -> BigDecimal.valueOf(c.size());
            case AttributeValue.S s -> BigDecimal.valueOf(s.value().codePointCount(0, s.value().length()));
            case AttributeValue.B b -> BigDecimal.valueOf(b.value().length());
            case AttributeValue.SS s -> BigDecimal.valueOf(s.value().size());
            case AttributeValue.NS s -> BigDecimal.valueOf(s.value().size());
            case AttributeValue.BS s -> BigDecimal.valueOf(s.value().size());
            case AttributeValue.L l -> BigDecimal.valueOf(l.value().size());
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
