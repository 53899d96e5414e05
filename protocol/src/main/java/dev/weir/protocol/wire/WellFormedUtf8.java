package dev.weir.protocol.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 without a NUL byte: exactly the byte strings the JDK's
 * UTF-8 decoder reads without replacing anything (no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF, no truncated sequence), minus those with a 0x00 byte. For such bytes
 * every UTF-8 reader sees the same characters, and Jackson's detection of the encoding can
 * only find UTF-8 (its UTF-16 and UTF-32 guesses need a 0x00, 0xFE or 0xFF byte).
 * {@link ShortBodyJsonFactory} takes its fast path only for them.
 *
 * <p>ASCII is checked eight bytes at a time; the rest byte by byte (Unicode's table 3-7).
 */
final class WellFormedUtf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private WellFormedUtf8() {}

    /** True when {@code bytes[from, from + length)} is well-formed UTF-8 and has no 0x00 byte. */
    static boolean withoutNul(byte[] bytes, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            if (i + 8 <= end) {
                long w = (long) LONGS.get(bytes, i);
                // all eight below 0x80 and none 0x00 (the classic has-zero-byte test, exact when no high bit is set)
                if ((w & HIGH_BITS) == 0 && ((w - LOW_BITS) & ~w & HIGH_BITS) == 0) {
                    i += 8;
                    continue;
                }
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                if (b == 0) return false;
                i++;
                continue;
            }
            int n;        // continuation bytes
            int low = 0x80, high = 0xBF;   // the allowed range of the first continuation byte
            if (b >= 0xC2 && b <= 0xDF) {
                n = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                n = 2;
                if (b == 0xE0) low = 0xA0;          // overlong
                else if (b == 0xED) high = 0x9F;    // a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                n = 3;
                if (b == 0xF0) low = 0x90;          // overlong
                else if (b == 0xF4) high = 0x8F;    // above U+10FFFF
            } else {
                return false;                       // a continuation byte, C0, C1 or F5..FF
            }
            if (i + n >= end) return false;
            int c = bytes[i + 1] & 0xFF;
            if (c < low || c > high) return false;
            for (int k = 2; k <= n; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) return false;
            }
            i += n + 1;
        }
        return true;
    }
}
