package dev.weir.protocol.sigv4;

import java.util.List;
import java.util.Map;

/**
 * A request's header names and values read once into two arrays, in arrival order: the
 * verifier looks up Authorization and X-Amz-Date and then every signed header's values, and
 * walking the request's list of entries (an interface call per name and per value) for each of
 * them cost more than these two small arrays.
 */
final class HeaderArrays {
    final String[] names;
    final String[] values;
    /** The names' lengths: most names are told apart by length alone, without touching their text. */
    private final int[] lengths;

    HeaderArrays(List<Map.Entry<String, String>> headers) {
        int n = headers.size();
        names = new String[n];
        values = new String[n];
        lengths = new int[n];
        int i = 0;
        for (Map.Entry<String, String> e : headers) {
            String name = e.getKey();
            names[i] = name;
            lengths[i] = name.length();
            values[i++] = e.getValue();
        }
    }

    /**
     * Whether {@code key} is {@code name[from, from + n)} ignoring case, exactly as
     * {@link String#regionMatches(boolean, int, String, int, int)} decides (key has length n):
     * ASCII letters are folded here, any other difference goes to the JDK (which also matches,
     * say, the Kelvin sign with a k).
     */
    static boolean sameIgnoringCase(String key, String name, int from, int n) {
        for (int i = 0; i < n; i++) {
            char a = key.charAt(i), b = name.charAt(from + i);
            if (a == b) continue;
            int fa = a | 0x20;
            if (a >= 0x80 || b >= 0x80 || fa != (b | 0x20) || fa < 'a' || fa > 'z') {
                return key.regionMatches(true, 0, name, from, n);
            }
        }
        return true;
    }

    /** The first value of the header {@code name} (compared as {@link String#equalsIgnoreCase} does), or null. */
    String first(String name) {
        int n = name.length();
        for (int i = 0; i < names.length; i++) {
            if (lengths[i] == n && sameIgnoringCase(names[i], name, 0, n)) return values[i];
        }
        return null;
    }

    /**
     * Writes the canonical value of the headers named {@code name[from, to)} (compared as
     * {@link String#equalsIgnoreCase} does): every value of that name in arrival order, each
     * canonicalised ({@link ByteText#canonicalValue}), joined by ','.
     */
    void writeValues(ByteText out, String name, int from, int to) {
        int n = to - from;
        boolean first = true;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] != n || !sameIgnoringCase(names[i], name, from, n)) continue;
            if (!first) out.ascii(',');
            first = false;
            out.canonicalValue(values[i]);
        }
    }
}
