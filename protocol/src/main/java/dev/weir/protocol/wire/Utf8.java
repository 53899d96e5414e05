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
            int c = bytes[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c < 0xC2) {
                return false; // a continuation byte first, or an overlong two-byte form
            } else if (c < 0xE0) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) return false;
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= n) return false;
                int c1 = bytes[i + 1] & 0xFF;
                if (!continuation(c1) || !continuation(bytes[i + 2])) return false;
                if (c == 0xE0 && c1 < 0xA0) return false; // overlong
                if (c == 0xED && c1 >= 0xA0) return false; // a surrogate
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= n) return false;
                int c1 = bytes[i + 1] & 0xFF;
                if (!continuation(c1) || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) return false;
                if (c == 0xF0 && c1 < 0x90) return false; // overlong
                if (c == 0xF4 && c1 >= 0x90) return false; // above U+10FFFF
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
