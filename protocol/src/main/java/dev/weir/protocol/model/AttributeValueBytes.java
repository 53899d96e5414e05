package dev.weir.protocol.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A growing byte buffer that items and attribute values are written into as DynamoDB JSON,
 * byte for byte as {@link AttributeValueJson#write} writes them through a default Jackson
 * generator, without the generator: weir sizes and writes every page of a restricted read
 * this way, and the generator's per-value bookkeeping was most of that cost.
 *
 * <p>Jackson's output, which this reproduces (and {@code AttributeValueBytesTest} checks on
 * seeded random items): no spaces; in names and strings {@code "} and {@code \} escaped with a
 * backslash, the controls {@code \b \t \n \f \r} as such and the other characters below U+0020
 * as {@code \}{@code u00XX} (upper-case hex), every UTF-16 surrogate (paired or not) as
 * {@code \}{@code uXXXX}, everything else as UTF-8 (U+007F and U+2028 included, unescaped).
 */
public final class AttributeValueBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;
    /** Per ASCII character: 0 written as is, -1 written {@code \}{@code u00XX}, else written backslash and this. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPES[c] = -1;
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private static final byte[] S = ascii("{\"S\":");
    private static final byte[] N = ascii("{\"N\":");
    private static final byte[] B = ascii("{\"B\":");
    private static final byte[] BOOL_TRUE = ascii("{\"BOOL\":true}");
    private static final byte[] BOOL_FALSE = ascii("{\"BOOL\":false}");
    private static final byte[] NULL = ascii("{\"NULL\":true}");
    private static final byte[] M = ascii("{\"M\":");
    private static final byte[] L = ascii("{\"L\":[");
    private static final byte[] SS = ascii("{\"SS\":[");
    private static final byte[] NS = ascii("{\"NS\":[");
    private static final byte[] BS = ascii("{\"BS\":[");

    private byte[] buf;
    private int len;

    public AttributeValueBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** How many bytes were written. */
    public int size() {
        return len;
    }

    /** Forgets what was written after the first {@code size} bytes. */
    public void truncate(int size) {
        if (size < 0 || size > len) throw new IllegalArgumentException("cannot truncate " + len + " bytes to " + size);
        len = size;
    }

    /** The bytes written, copied. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Makes room for {@code more} bytes at once (a page whose size is about known), instead of growing by doubling. */
    public void reserve(int more) {
        ensure(Math.max(0, more));
    }

    /** One byte, such as a bracket or a comma between items. */
    public void writeByte(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    /** An item, as {@link AttributeValueJson#write(com.fasterxml.jackson.core.JsonGenerator, Map)} writes it. */
    public void item(Map<String, AttributeValue> item) {
        writeByte('{');
        // forEach, not entrySet: an unmodifiable map's entry set wraps every entry it gives out
        item.forEach(this::member);
        writeByte('}');
    }

    /**
     * One member of an item, after a {@code '{'} written with {@link #writeByte}: every value
     * ends with '}', so a '{' last means it is the first (no comma).
     */
    public void member(String name, AttributeValue value) {
        if (buf[len - 1] != '{') writeByte(',');
        string(name);
        writeByte(':');
        value(value);
    }

    /**
     * One member copied from bytes that are already exactly what {@link #member} would write:
     * {@code "name":value}, the name's UTF-8 at {@code nameAt} (a name that needs no escape)
     * and the value's DynamoDB JSON at {@code valueAt}. The caller vouches for the bytes.
     */
    public void member(byte[] src, int nameAt, int nameLength, int valueAt, int valueLength) {
        ensure(nameLength + valueLength + 4L);
        name(src, nameAt, nameLength);
        System.arraycopy(src, valueAt, buf, len, valueLength);
        len += valueLength;
    }

    /**
     * A member's name and colon copied from bytes, {@code "name":}, after a {@code '{'} written
     * with {@link #writeByte} (a comma first unless it is the first member): the name's UTF-8
     * at {@code nameAt}, a name that needs no escape; the caller vouches for the bytes and
     * writes the value next.
     */
    public void name(byte[] src, int nameAt, int nameLength) {
        ensure(nameLength + 4L);
        byte[] b = buf;
        int at = len;
        if (b[at - 1] != '{') b[at++] = ',';
        b[at++] = '"';
        System.arraycopy(src, nameAt, b, at, nameLength);
        at += nameLength;
        b[at++] = '"';
        b[at++] = ':';
        len = at;
    }

    /** Bytes copied as they are: JSON the caller vouches is exactly what this writer would write there. */
    public void raw(byte[] src, int from, int length) {
        ensure(length);
        System.arraycopy(src, from, buf, len, length);
        len += length;
    }

    /** A value, as {@link AttributeValueJson#write(com.fasterxml.jackson.core.JsonGenerator, AttributeValue)} writes it. */
    public void value(AttributeValue value) {
        switch (value) {
            case AttributeValue.S s -> scalar(S, s.value());
            case AttributeValue.N n -> scalar(N, n.value());
            case AttributeValue.B b -> scalar(B, b.value().base64());
            case AttributeValue.Bool b -> raw(b.value() ? BOOL_TRUE : BOOL_FALSE);
            case AttributeValue.Null ignored -> raw(NULL);
            case AttributeValue.M m -> {
                raw(M);
                item(m.value());
                writeByte('}');
            }
            case AttributeValue.L l -> {
                raw(L);
                List<AttributeValue> values = l.value();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) writeByte(',');
                    value(values.get(i));
                }
                writeByte(']');
                writeByte('}');
            }
            case AttributeValue.SS ss -> strings(SS, ss.value());
            case AttributeValue.NS ns -> strings(NS, ns.value());
            case AttributeValue.BS bs -> {
                raw(BS);
                List<AttributeValue.Bytes> values = bs.value();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) writeByte(',');
                    string(values.get(i).base64());
                }
                writeByte(']');
                writeByte('}');
            }
        }
    }

    private void scalar(byte[] head, String text) {
        raw(head);
        string(text);
        writeByte('}');
    }

    private void strings(byte[] head, List<String> values) {
        raw(head);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) writeByte(',');
            string(values.get(i));
        }
        writeByte(']');
        writeByte('}');
    }

    /**
     * A quoted, escaped string. Most strings need no escape: their UTF-8 (the JDK's encoder,
     * fast for Latin-1 text) is copied as it is, once {@link #plain} finds nothing in it that
     * Jackson writes otherwise; the others are written character by character.
     */
    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (plain(utf8)) {
            ensure(utf8.length + 2L);
            buf[len++] = '"';
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
            buf[len++] = '"';
        } else {
            escaped(s);
        }
    }

    /**
     * Whether UTF-8 bytes hold nothing Jackson escapes: no control character, quote or
     * backslash, no four-byte form (a surrogate pair, which Jackson writes as two escapes) and
     * no '?' (which the JDK's encoder puts for a lone surrogate). Eight bytes at a time.
     */
    static boolean plain(byte[] u) {
        int n = u.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONGS.get(u, i);
            if ((x & HIGH) != 0) {
                for (int j = i; j < i + 8; j++) if (!plainByte(u[j])) return false;
                continue;
            }
            long below20 = (x - 0x2020202020202020L) & ~x;
            long flags = below20 | zeroByte(x ^ 0x2222222222222222L) | zeroByte(x ^ 0x5C5C5C5C5C5C5C5CL)
                    | zeroByte(x ^ 0x3F3F3F3F3F3F3F3FL);
            if ((flags & HIGH) != 0) return false;
        }
        for (; i < n; i++) if (!plainByte(u[i])) return false;
        return true;
    }

    /** High bit set in each byte of {@code v} that is zero (and maybe in some above a zero byte: only "any" is asked). */
    private static long zeroByte(long v) {
        return (v - 0x0101010101010101L) & ~v;
    }

    private static boolean plainByte(byte b) {
        if (b < 0) return (b & 0xF8) != 0xF0;
        return b >= 0x20 && b != '"' && b != '\\' && b != '?';
    }

    /** A quoted string written character by character; at most 6 bytes per character (an escape), so room is made once. */
    private void escaped(String s) {
        int n = s.length();
        ensure(6L * n + 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPES[c];
                if (e == 0) {
                    b[at++] = (byte) c;
                } else if (e > 0) {
                    b[at++] = '\\';
                    b[at++] = e;
                } else {
                    at = unicodeEscape(b, at, c);
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                at = unicodeEscape(b, at, c);
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[at++] = '"';
        len = at;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
        b[at++] = '\\';
        b[at++] = 'u';
        b[at++] = HEX[(c >> 12) & 0xF];
        b[at++] = HEX[(c >> 8) & 0xF];
        b[at++] = HEX[(c >> 4) & 0xF];
        b[at++] = HEX[c & 0xF];
        return at;
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(long more) {
        long need = len + more;
        if (need <= buf.length) return;
        if (need > Integer.MAX_VALUE - 16) throw new IllegalStateException("an item too large to write: " + need + " bytes");
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * buf.length)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
