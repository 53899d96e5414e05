package dev.weir.protocol.expr.eval;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Equality, order and size of attribute values, as DynamoDB's expressions see them. */
public final class Values {
    private Values() {}

    /** Whether values of this type can be ordered with {@code <}: numbers, strings and binaries. */
    public static boolean isOrdered(AttributeValue v) {
        return v instanceof AttributeValue.N || v instanceof AttributeValue.S || v instanceof AttributeValue.B;
    }

    /**
     * Orders two values of the same ordered type: numbers numerically, strings by their UTF-8
     * bytes, binaries as unsigned bytes. Throws for other pairs; check {@link #comparable} first.
     */
    public static int compare(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.N n when b instanceof AttributeValue.N m -> number(n.value()).compareTo(number(m.value()));
            case AttributeValue.S s when b instanceof AttributeValue.S t -> compareStrings(s.value(), t.value());
            case AttributeValue.B x when b instanceof AttributeValue.B y ->
                    Arrays.compareUnsigned(x.value().array(), y.value().array());
            default -> throw new IllegalArgumentException("not comparable: " + a.typeTag() + " and " + b.typeTag());
        };
    }

    /** Whether {@link #compare} orders these two: both present, of the same ordered type. */
    public static boolean comparable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && isOrdered(a) && a.typeTag().equals(b.typeTag());
    }

    /** Strings in UTF-8 byte order, which is code point order. */
    public static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    public static BigDecimal number(String text) {
        return DynamoNumber.parse(text);
    }

    /** DynamoDB's equality: same type; numbers by value; sets regardless of order; lists and maps deeply. */
    public static boolean equal(AttributeValue a, AttributeValue b) {
        if (a == null || b == null || !a.typeTag().equals(b.typeTag())) return false;
        return switch (a) {
            case AttributeValue.N n -> number(n.value()).compareTo(number(((AttributeValue.N) b).value())) == 0;
            case AttributeValue.SS s -> sameMembers(s.value(), ((AttributeValue.SS) b).value());
            case AttributeValue.BS s -> sameMembers(s.value(), ((AttributeValue.BS) b).value());
            case AttributeValue.NS s -> {
                List<String> other = ((AttributeValue.NS) b).value();
                yield s.value().size() == other.size() && numbers(s.value()).equals(numbers(other));
            }
            case AttributeValue.L l -> {
                List<AttributeValue> other = ((AttributeValue.L) b).value();
                if (l.value().size() != other.size()) yield false;
                for (int i = 0; i < other.size(); i++) if (!equal(l.value().get(i), other.get(i))) yield false;
                yield true;
            }
            case AttributeValue.M m -> {
                Map<String, AttributeValue> other = ((AttributeValue.M) b).value();
                if (m.value().size() != other.size()) yield false;
                for (Map.Entry<String, AttributeValue> e : m.value().entrySet()) {
                    if (!equal(e.getValue(), other.get(e.getKey()))) yield false;
                }
                yield true;
            }
            default -> a.equals(b);
        };
    }

    private static <T> boolean sameMembers(List<T> a, List<T> b) {
        return a.size() == b.size() && new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b));
    }

    /**
     * The members of a number set by value, each stripped of trailing zeros by
     * {@link DynamoNumber#parse} so that equal values are equal keys: set algebra on number
     * sets in time linear in their sizes (comparing each member with each was quadratic).
     */
    public static Set<BigDecimal> numbers(List<String> members) {
        Set<BigDecimal> out = HashSet.newHashSet(members.size());
        for (String m : members) out.add(number(m));
        return out;
    }

    /** Whether the number set's members include {@code n}, by numeric value. */
    public static boolean containsNumber(List<String> members, String n) {
        BigDecimal value = number(n);
        for (String m : members) if (number(m).compareTo(value) == 0) return true;
        return false;
    }

    /**
     * {@code begins_with(value, prefix)}: two strings (by UTF-16 units, as {@link String#startsWith}) or two
     * binaries; false for anything else, absent values included.
     */
    public static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) {
            return s.value().startsWith(p.value());
        }
        if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
            byte[] bytes = b.value().array();
            byte[] start = p.value().array();
            return start.length <= bytes.length && Arrays.equals(bytes, 0, start.length, start, 0, start.length);
        }
        return false;
    }

    /**
     * {@code contains(container, element)}: a substring of a string or a binary, a member of a
     * set (of the set's element type), an element of a list ({@link #equal}); false for
     * anything else, absent values included.
     */
    public static boolean contains(AttributeValue container, AttributeValue element) {
        if (container == null || element == null) return false;
        return switch (container) {
            case AttributeValue.S s -> element instanceof AttributeValue.S e && Substrings.contains(s.value(), e.value());
            case AttributeValue.SS s -> element instanceof AttributeValue.S e && s.value().contains(e.value());
            case AttributeValue.NS s -> element instanceof AttributeValue.N e && containsNumber(s.value(), e.value());
            case AttributeValue.BS s -> element instanceof AttributeValue.B e && s.value().contains(e.value());
            case AttributeValue.B b -> element instanceof AttributeValue.B e
                    && Substrings.contains(b.value().array(), e.value().array());
            case AttributeValue.L l -> l.value().stream().anyMatch(v -> equal(v, element));
            default -> false;
        };
    }

    /** What {@code size()} returns for a value, or null for types without a size (N, BOOL, NULL). */
    public static Integer size(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> s.value().length();
            case AttributeValue.B b -> b.value().length();
            case AttributeValue.SS s -> s.value().size();
            case AttributeValue.NS s -> s.value().size();
            case AttributeValue.BS s -> s.value().size();
            case AttributeValue.L l -> l.value().size();
            case AttributeValue.M m -> m.value().size();
            default -> null;
        };
    }

    /** A value as DynamoDB shows it in messages: {@code S:abc}, {@code N:5}. */
    public static String describe(AttributeValue v) {
        return v.typeTag() + ":" + switch (v) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.value();
            case AttributeValue.B b -> b.value().base64();
            case AttributeValue.Bool b -> String.valueOf(b.value());
            case AttributeValue.Null n -> "true";
            case AttributeValue.SS s -> s.value().toString();
            case AttributeValue.NS s -> s.value().toString();
            case AttributeValue.BS s -> s.value().stream().map(AttributeValue.Bytes::base64).toList().toString();
            case AttributeValue.L l -> l.value().stream().map(Values::describe).toList().toString();
            case AttributeValue.M m -> m.value().keySet().toString();
        };
    }
}
