package dev.weir.audit.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A compact JSON writer into a growable byte array, for the audit records a shipper formats
 * once per event (issue 16: Jackson's generator cost about 1.2 µs per ECS record of the load
 * benchmark's events, and the default configuration formatted every event twice). It writes
 * exactly what Jackson's {@code UTF8JsonGenerator} writes with its default settings, byte for byte
 * ({@code JsonBytesTest} holds it to that): no spaces; UTF-8 for every character but the
 * quote, the backslash and the control characters below U+0020, which are escaped as
 * {@code \b \t \n \f \r} or as a {@code \}{@code u} escape of four upper-case hex digits
 * (U+0001 as {@code \}{@code u0001}), and the surrogates (the halves of a character beyond
 * U+FFFF, or a lone one), each as its own {@code \}{@code u} escape (U+1F600 as
 * {@code \}{@code uD83D\}{@code uDE00});
 * a null string as {@code null}. So the text always reads back as the same Java string.
 *
 * <p>One writer per thread, reused: {@link #reset} before each record.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /**
     * For each ASCII character: 0 written as is, else the letter of its short escape, or 'u' for a
     * {@code \}{@code u00} escape with two hex digits.
     */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPE[c] = 'u';
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    /** The largest buffer kept between records. */
    private static final int KEEP = 64 << 10;

    private byte[] buf;
    private int len;
    /** A string's characters, copied here in one call, so the escaping loop reads an array rather than calling {@code charAt}. */
    private char[] chars = new char[256];
    /** True right after a '{', a '[' or a member's name: the next value or name takes no comma. */
    private boolean first = true;

    JsonBytes(int capacity) {
        buf = new byte[capacity];
    }

    /** A field name as it is written: {@code "name":}; names are given as constants, so they are encoded once. */
    static byte[] name(String name) {
        JsonBytes j = new JsonBytes(name.length() * 6 + 3);
        j.string(name);
        j.put((byte) ':');
        return j.toByteArray();
    }

    /** Empties the writer for the next record; a buffer a rare large record grew is let go. */
    JsonBytes reset() {
        if (buf.length > KEEP) buf = new byte[KEEP / 64];
        if (chars.length > KEEP) chars = new char[256];
        len = 0;
        first = true;
        return this;
    }

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    JsonBytes startObject() {
        comma();
        put((byte) '{');
        first = true;
        return this;
    }

    JsonBytes endObject() {
        put((byte) '}');
        first = false;
        return this;
    }

    JsonBytes startArray() {
        comma();
        put((byte) '[');
        first = true;
        return this;
    }

    JsonBytes endArray() {
        put((byte) ']');
        first = false;
        return this;
    }

    /** A member's name, given as {@link #name} made it. */
    JsonBytes field(byte[] encodedName) {
        comma();
        raw(encodedName);
        first = true;
        return this;
    }

    JsonBytes value(String s) {
        comma();
        string(s);
        first = false;
        return this;
    }

    /** A constant value written as {@link #constant} encoded it (its quotes included). */
    JsonBytes value(byte[] encoded) {
        comma();
        raw(encoded);
        first = false;
        return this;
    }

    /** A string value, encoded once: {@code "text"}. */
    static byte[] constant(String text) {
        JsonBytes j = new JsonBytes(text.length() * 6 + 2);
        j.string(text);
        return j.toByteArray();
    }

    JsonBytes value(long v) {
        comma();
        number(v);
        first = false;
        return this;
    }

    /** The string {@code prefix + ":" + n} (an event's id), without making it. */
    JsonBytes value(String prefix, char separator, long n) {
        comma();
        if (prefix == null) prefix = "null";  // what the concatenation gives
        ensure(prefix.length() * 6 + 24);
        put((byte) '"');
        chars(prefix);
        put((byte) separator);
        number(n);
        put((byte) '"');
        first = false;
        return this;
    }

    JsonBytes values(List<String> list) {
        startArray();
        for (int i = 0, n = list.size(); i < n; i++) value(list.get(i));
        return endArray();
    }

    private void comma() {
        if (!first) put((byte) ',');
    }

    private void put(byte b) {
        if (len == buf.length) ensure(1);
        buf[len++] = b;
    }

    /** Bytes already encoded. */
    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private void string(String s) {
        if (s == null) {
            raw(NULL);
            return;
        }
        ensure(s.length() * 6 + 2);  // the longest a character can grow (an escape), so no check per character
        buf[len++] = '"';
        chars(s);
        buf[len++] = '"';
    }

    /** The characters of {@code s}, escaped; room for six bytes per character is there. */
    private void chars(String s) {
        int end = s.length();
        if (chars.length < end) chars = new char[Math.max(end, chars.length * 2)];
        char[] cs = chars;
        s.getChars(0, end, cs, 0);
        byte[] b = buf;
        int n = len;
        for (int i = 0; i < end; i++) {
            char c = cs[i];
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    b[n++] = (byte) c;
                } else {
                    b[n++] = '\\';
                    if (e == 'u') {
                        b[n++] = 'u';
                        b[n++] = '0';
                        b[n++] = '0';
                        b[n++] = HEX[c >> 4];
                        b[n++] = HEX[c & 0xF];
                    } else {
                        b[n++] = e;
                    }
                }
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {  // each half of a pair, or a lone one, as its escape (as Jackson)
                b[n++] = '\\';
                b[n++] = 'u';
                b[n++] = HEX[c >> 12];
                b[n++] = HEX[(c >> 8) & 0xF];
                b[n++] = HEX[(c >> 4) & 0xF];
                b[n++] = HEX[c & 0xF];
            } else {
                b[n++] = (byte) (0xE0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        len = n;
    }

    private void number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {  // no positive counterpart
                raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) digits++;
        int at = len + digits;
        len = at;
        while (v > Integer.MAX_VALUE) {
            buf[--at] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        int small = (int) v;  // most numbers (a status, a port, a duration) are here: int division is cheaper
        do {
            buf[--at] = (byte) ('0' + small % 10);
            small /= 10;
        } while (small != 0);
    }
}
