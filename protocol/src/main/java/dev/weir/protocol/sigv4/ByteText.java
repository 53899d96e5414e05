package dev.weir.protocol.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that SigV4's texts (canonical request, string to sign) are written
 * into as the UTF-8 bytes that are hashed, with no String in between. Every method writes
 * exactly the bytes that {@code String.getBytes(UTF_8)} gives for the text the older,
 * String-building code produced (a lone surrogate is {@code ?}, as the JDK's encoder replaces
 * it): the pieces written one after the other are always cut at an ASCII character, so
 * encoding piece by piece is encoding the whole (ReferenceSigV4's differential tests check
 * this on random requests). One per thread ({@link Engines}), reused: not thread-safe.
 */
final class ByteText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    ByteText(int capacity) {
        bytes = new byte[capacity];
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    ByteText clear() {
        length = 0;
        return this;
    }

    private void room(int n) {
        if (length + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }

    /** One ASCII character. */
    ByteText ascii(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** {@code b} as they are. */
    ByteText raw(byte[] b, int from, int to) {
        room(to - from);
        System.arraycopy(b, from, bytes, length, to - from);
        length += to - from;
        return this;
    }

    /** The UTF-8 of {@code s}: a long one through the JDK's encoder (vectorised), a short one here. */
    ByteText utf8(String s) {
        if (s.length() < 16) return utf8(s, 0, s.length());
        return raw(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The UTF-8 of {@code s[from, to)}, a lone surrogate as {@code ?}. With {@code sUtf8}, the
     * UTF-8 of all of {@code s} when it has one byte per character (ASCII and lone surrogates
     * only; see {@link #oneBytePerChar}), the range is copied from it; null: encoded here.
     */
    ByteText utf8(String s, int from, int to, byte[] sUtf8) {
        return sUtf8 != null ? raw(sUtf8, from, to) : utf8(s, from, to);
    }

    /**
     * The UTF-8 of {@code s} if it has one byte per character, else null. Then every range of
     * {@code s} encodes to the same range of these bytes: each character is ASCII or a lone
     * surrogate ({@code ?} wherever it stands), as no pair and nothing else encodes to one byte.
     */
    static byte[] oneBytePerChar(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length == s.length() ? b : null;
    }

    /** {@code b} as they are. */
    ByteText raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    /** The UTF-8 of {@code s[from, to)}, a lone surrogate as {@code ?}. */
    ByteText utf8(String s, int from, int to) {
        room(to - from);
        int i = from;
        // The common case, ASCII, one byte per character.
        while (i < to) {
            char c = s.charAt(i);
            if (c >= 0x80) break;
            bytes[length++] = (byte) c;
            i++;
        }
        while (i < to) i = utf8Char(s, i, to);
        return this;
    }

    /** Writes the character at {@code i} (a surrogate pair within {@code to} as one code point); returns the next index. */
    private int utf8Char(String s, int i, int to) {
        char c = s.charAt(i);
        room(4);
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xc0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isSurrogate(c)) {
            char low;
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(low = s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, low);
                bytes[length++] = (byte) (0xf0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (cp & 0x3f));
                return i + 2;
            }
            bytes[length++] = '?';
        } else {
            bytes[length++] = (byte) (0xe0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        }
        return i + 1;
    }

    /**
     * A header value as SigV4 canonicalises it: trimmed as {@link String#trim} trims (anything
     * up to {@code ' '} at either end), each run of spaces inside as one space.
     */
    ByteText canonicalValue(String v) {
        int n = v.length();
        // The common value has nothing to trim or collapse: its bytes as they are.
        if (n > 0 && v.charAt(0) > ' ' && v.charAt(n - 1) > ' ' && v.indexOf("  ") < 0) return utf8(v);
        int from = 0, to = n;
        while (from < to && v.charAt(from) <= ' ') from++;
        while (to > from && v.charAt(to - 1) <= ' ') to--;
        room(to - from);
        boolean space = false;
        for (int i = from; i < to; ) {
            char c = v.charAt(i);
            if (c == ' ') {
                if (!space) bytes[length++] = ' ';
                space = true;
                i++;
            } else {
                space = false;
                if (c < 0x80) {
                    bytes[length++] = (byte) c;
                    i++;
                } else {
                    i = utf8Char(v, i, to);
                }
            }
        }
        return this;
    }

    /**
     * The canonical URI of a raw (still percent-encoded) path for services other than S3: each
     * segment's UTF-8 percent-encoded once more (RFC 3986 unreserved characters stay), the
     * slashes kept; an empty path is {@code /}.
     */
    ByteText canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) return ascii('/');
        for (int i = 0, n = rawPath.length(); i < n; ) {
            char c = rawPath.charAt(i);
            if (c == '/' || unreserved(c)) {
                ascii(c);
                i++;
            } else {
                int start = length;
                i = utf8Char(rawPath, i, n);
                int end = length;
                // Percent-encode the bytes just written, in place (from the end: each becomes three).
                room(2 * (end - start));
                for (int k = end - 1, at = start + 3 * (end - start) - 3; k >= start; k--, at -= 3) {
                    int b = bytes[k] & 0xff;
                    bytes[at] = '%';
                    bytes[at + 1] = HEX_UPPER[b >> 4];
                    bytes[at + 2] = HEX_UPPER[b & 0xf];
                }
                length = start + 3 * (end - start);
            }
        }
        return this;
    }

    static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    /** {@code b[0, n)} in lower-case hex. */
    ByteText hex(byte[] b, int n) {
        room(2 * n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = HEX[(b[i] >> 4) & 0xf];
            bytes[length++] = HEX[b[i] & 0xf];
        }
        return this;
    }

    /** Writes the lower-case hex of {@code b[0, n)} into {@code out} at {@code at}. */
    static void hex(byte[] b, int n, byte[] out, int at) {
        for (int i = 0; i < n; i++) {
            out[at + 2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[at + 2 * i + 1] = HEX[b[i] & 0xf];
        }
    }

    /** The lower-case hex of {@code b[0, n)} as a String. */
    static String hexString(byte[] b, int n) {
        byte[] out = new byte[2 * n];
        hex(b, n, out, 0);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * As {@link #isHexOf(String, int, int, byte[], int)} for a String whose UTF-8 {@code sUtf8}
     * has one byte per character (null: compared as characters).
     */
    static boolean isHexOf(String s, byte[] sUtf8, int from, int to, byte[] b, int n) {
        if (sUtf8 == null) return isHexOf(s, from, to, b, n);
        if (to - from != 2 * n) return false;
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= sUtf8[from + 2 * i] ^ HEX[(b[i] >> 4) & 0xf];
            diff |= sUtf8[from + 2 * i + 1] ^ HEX[b[i] & 0xf];
        }
        return diff == 0;
    }

    /** Whether {@code s[from, to)} is exactly the lower-case hex of {@code b[0, n)}, in time independent of where they differ. */
    static boolean isHexOf(String s, int from, int to, byte[] b, int n) {
        if (to - from != 2 * n) return false;
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= s.charAt(from + 2 * i) ^ HEX[(b[i] >> 4) & 0xf];
            diff |= s.charAt(from + 2 * i + 1) ^ HEX[b[i] & 0xf];
        }
        return diff == 0;
    }
}
