package dev.weir.protocol.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8, as the JDK's decoder judges it: no overlong forms, no encoded surrogates, nothing
 * above U+10FFFF, no sequence cut short. Jackson's byte parser decodes some malformed bytes
 * (an overlong form, an encoded surrogate) where the JDK's decoder, which Jackson's reader-based
 * parser goes through, puts U+FFFD; on text this accepts the two read the same characters.
 */
public final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** Whether {@code bytes} are strict UTF-8; ASCII runs are checked eight bytes at a time. */
    public static boolean isStrict(byte[] bytes) {
        return isStrict(bytes, 0, bytes.length);
    }

    /** Whether {@code bytes[from..to)} are strict UTF-8 (a sequence must end by {@code to}). */
    public static boolean isStrict(byte[] bytes, int from, int to) {
        int n = to;
        int i = from;
        while (i < n) {
            while (i + 8 <= n && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) i += 8;
            if (i >= n) break;
            if (bytes[i] >= 0) {
                i++;
            } else {
                int length = sequence(bytes, i, n);
                if (length == 0) return false;
                i += length;
            }
        }
        return true;
    }

    /**
     * The length (2, 3 or 4) of the strict UTF-8 sequence whose lead byte, not ASCII, is at
     * {@code bytes[i]} and which ends by {@code to}; 0 when there is none (a continuation byte
     * first, an overlong form, an encoded surrogate, above U+10FFFF, cut short). For scanners
     * that check the bytes as they pass them instead of in a pass of their own.
     */
    public static int sequence(byte[] bytes, int i, int to) {
        int c = bytes[i] & 0xFF;
        if (c < 0xC2) return 0; // a continuation byte first, or an overlong two-byte form (or ASCII: not a sequence)
        if (c < 0xE0) return i + 1 < to && continuation(bytes[i + 1]) ? 2 : 0;
        if (c < 0xF0) {
            if (i + 2 >= to) return 0;
            int c1 = bytes[i + 1] & 0xFF;
            if (!continuation(c1) || !continuation(bytes[i + 2])) return 0;
            if (c == 0xE0 && c1 < 0xA0) return 0; // overlong
            if (c == 0xED && c1 >= 0xA0) return 0; // a surrogate
            return 3;
        }
        if (c < 0xF5) {
            if (i + 3 >= to) return 0;
            int c1 = bytes[i + 1] & 0xFF;
            if (!continuation(c1) || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) return 0;
            if (c == 0xF0 && c1 < 0x90) return 0; // overlong
            if (c == 0xF4 && c1 >= 0x90) return 0; // above U+10FFFF
            return 4;
        }
        return 0;
    }

    private static boolean continuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
