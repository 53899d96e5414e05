package dev.weir.protocol.expr.eval;

/**
 * Substring search in time linear in the text and the pattern, for {@code contains()} on
 * strings and binaries. A naive search costs the product of the two lengths in the worst
 * case: a 400 KB item string searched for a 200 KB pattern that almost matches everywhere
 * ({@code aaa...ab}) is some 10^10 comparisons per item, from one FilterExpression. Short
 * patterns keep the library's search (its worst case is a small multiple of the text); long
 * ones use Knuth-Morris-Pratt, whose table is linear in the pattern.
 */
final class Substrings {
    /** Patterns up to this long are searched by the JDK: at most this many comparisons per text position. */
    static final int SHORT = 32;

    private Substrings() {}

    /** Whether {@code text} contains {@code pattern} (as UTF-16 units, like {@link String#contains}). */
    static boolean contains(String text, String pattern) {
        if (pattern.length() <= SHORT) return text.contains(pattern);
        if (pattern.length() > text.length()) return false;
        int[] fail = new int[pattern.length()];
        for (int i = 1, k = 0; i < pattern.length(); i++) {
            while (k > 0 && pattern.charAt(i) != pattern.charAt(k)) k = fail[k - 1];
            if (pattern.charAt(i) == pattern.charAt(k)) k++;
            fail[i] = k;
        }
        for (int i = 0, k = 0; i < text.length(); i++) {
            while (k > 0 && text.charAt(i) != pattern.charAt(k)) k = fail[k - 1];
            if (text.charAt(i) == pattern.charAt(k)) k++;
            if (k == pattern.length()) return true;
        }
        return false;
    }

    /** Whether {@code text} contains the bytes of {@code pattern}. */
    static boolean contains(byte[] text, byte[] pattern) {
        if (pattern.length == 0) return true;
        if (pattern.length > text.length) return false;
        if (pattern.length <= SHORT) return naive(text, pattern);
        int[] fail = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) k = fail[k - 1];
            if (pattern[i] == pattern[k]) k++;
            fail[i] = k;
        }
        for (int i = 0, k = 0; i < text.length; i++) {
            while (k > 0 && text[i] != pattern[k]) k = fail[k - 1];
            if (text[i] == pattern[k]) k++;
            if (k == pattern.length) return true;
        }
        return false;
    }

    private static boolean naive(byte[] text, byte[] pattern) {
        outer:
        for (int i = 0; i <= text.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (text[i + j] != pattern[j]) continue outer;
            return true;
        }
        return false;
    }
}
