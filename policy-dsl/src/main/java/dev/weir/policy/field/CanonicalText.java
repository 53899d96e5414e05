package dev.weir.policy.field;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The one text of a DynamoDB value that a mask on a whole map, list or set works on: its
 * DynamoDB JSON with no spaces, map keys sorted and set elements sorted, so equal values
 * always give the same text (and the same hash), whatever order the store returned them in.
 * <p>
 * Keys and strings sort by code point; numbers in a number set by value (then by their text,
 * so {@code 1} and {@code 1.0} still have one order); binary values by unsigned bytes. Strings
 * are escaped as JSON requires ({@code "}, {@code \}, and control characters as
 * {@code \}{@code u00XX}), nothing else. Example: {@code {"M":{"a":{"S":"x"},"b":{"NS":["2","10"]}}}}.
 */
public final class CanonicalText {
    private static final Comparator<String> CODE_POINTS = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };
    private static final Comparator<String> NUMBERS = Comparator.comparing(CanonicalText::numberOrNull,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(CODE_POINTS);
    private static final Comparator<AttributeValue.Bytes> BYTES =
            (a, b) -> Arrays.compareUnsigned(a.toArray(), b.toArray());

    private CanonicalText() {}

    /** The canonical text of {@code value}. */
    public static String of(AttributeValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(AttributeValue value, StringBuilder out) {
        out.append("{\"").append(value.typeTag()).append("\":");
        switch (value) {
            case AttributeValue.S s -> string(s.value(), out);
            case AttributeValue.N n -> string(n.value(), out);
            case AttributeValue.B b -> string(b.value().base64(), out);
            case AttributeValue.Bool b -> out.append(b.value());
            case AttributeValue.Null n -> out.append("true");
            case AttributeValue.M m -> {
                List<String> keys = new ArrayList<>(m.value().keySet());
                keys.sort(CODE_POINTS);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) out.append(',');
                    string(keys.get(i), out);
                    out.append(':');
                    write(m.value().get(keys.get(i)), out);
                }
                out.append('}');
            }
            case AttributeValue.L l -> {
                out.append('[');
                for (int i = 0; i < l.value().size(); i++) {
                    if (i > 0) out.append(',');
                    write(l.value().get(i), out);
                }
                out.append(']');
            }
            case AttributeValue.SS ss -> strings(sorted(ss.value(), CODE_POINTS), out);
            case AttributeValue.NS ns -> strings(sorted(ns.value(), NUMBERS), out);
            case AttributeValue.BS bs -> strings(sorted(bs.value(), BYTES).stream().map(AttributeValue.Bytes::base64).toList(), out);
        }
        out.append('}');
    }

    private static <T> List<T> sorted(List<T> values, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(values);
        copy.sort(order);
        return copy;
    }

    private static void strings(List<String> values, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            string(values.get(i), out);
        }
        out.append(']');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static BigDecimal numberOrNull(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
