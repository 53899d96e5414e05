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

    HeaderArrays(List<Map.Entry<String, String>> headers) {
        int n = headers.size();
        names = new String[n];
        values = new String[n];
        int i = 0;
        for (Map.Entry<String, String> e : headers) {
            names[i] = e.getKey();
            values[i++] = e.getValue();
        }
    }

    /** The first value of the header {@code name} (compared as {@link String#equalsIgnoreCase} does), or null. */
    String first(String name) {
        int n = name.length();
        for (int i = 0; i < names.length; i++) {
            if (names[i].length() == n && names[i].regionMatches(true, 0, name, 0, n)) return values[i];
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
        for (int i = 0; i < names.length; i++) {
            String key = names[i];
            if (key.length() != n || !key.regionMatches(true, 0, name, from, n)) continue;
            if (!first) out.ascii(',');
            first = false;
            out.canonicalValue(values[i]);
        }
    }
}
