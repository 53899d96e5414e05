package dev.weir.store.codec;

import java.math.BigDecimal;

/**
 * Order-preserving, self-delimiting encodings of key components: comparing the encoded bytes
 * as unsigned bytes orders the values as DynamoDB orders them (strings by UTF-8 bytes, binary
 * bytewise, numbers numerically). Because every component is self-delimiting, components can
 * be concatenated (hash key, then range key) and a shorter value sorts before every longer
 * value it is a prefix of.
 */
public final class OrderedBytes {
    /** Escape for a 0x00 byte inside a byte string: 0x00 0xFF. */
    private static final int ESCAPED_ZERO = 0xFF;
    /** End of a byte string: 0x00 0x01, lower than any escaped or plain continuation. */
    private static final int TERMINATOR = 0x01;

    private static final int NEGATIVE = 0x01;
    private static final int ZERO = 0x02;
    private static final int POSITIVE = 0x03;
    private static final int EXPONENT_BIAS = 0x8000;

    private OrderedBytes() {}

    /** A byte string (UTF-8 of an S, or the bytes of a B), escaped and terminated. */
    public static void writeBytes(ByteWriter out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) out.write(ESCAPED_ZERO);
        }
        out.write(0).write(TERMINATOR);
    }

    /** The escaped bytes without the terminator: every encoding of a byte string starting with {@code bytes} starts with these. */
    public static void writeBytesPrefix(ByteWriter out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) out.write(ESCAPED_ZERO);
        }
    }

    /** The length of the encoded component starting at {@code offset} of {@code key}. */
    public static int componentLength(byte[] key, int offset, boolean number) {
        if (number) {
            int sign = key[offset] & 0xFF;
            if (sign == ZERO) return 1;
            int end = sign == NEGATIVE ? 0xFF : 0x00;
            int i = offset + 3;
            while ((key[i] & 0xFF) != end) i++;
            return i + 1 - offset;
        }
        int i = offset;
        while (true) {
            if (key[i] == 0) {
                if ((key[i + 1] & 0xFF) == TERMINATOR) return i + 2 - offset;
                i += 2;
            } else {
                i++;
            }
        }
    }

    /**
     * A number, as sign, then the decimal exponent, then the significand's digits two per
     * byte and a terminator; for negative numbers exponent and digits are complemented so
     * that larger magnitudes sort first. The value must be in canonical form (no trailing
     * zeros in the significand), which {@code DynamoNumber} guarantees.
     */
    public static void writeNumber(ByteWriter out, BigDecimal value) {
        int sign = value.signum();
        if (sign == 0) {
            out.write(ZERO);
            return;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        // value = 0.d1d2d3... x 10^exponent
        int exponent = stripped.precision() - stripped.scale();
        int biased = exponent + EXPONENT_BIAS;
        if (biased < 0 || biased > 0xFFFF) throw new IllegalArgumentException("exponent out of range: " + exponent);
        int flip = sign < 0 ? 0xFF : 0x00;
        out.write(sign < 0 ? NEGATIVE : POSITIVE);
        out.write((biased >>> 8) ^ flip).write((biased & 0xFF) ^ flip);
        for (int i = 0; i < digits.length(); i += 2) {
            int hi = digits.charAt(i) - '0';
            int lo = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0;
            out.write((1 + hi * 10 + lo) ^ flip); // 1..100, so 0 stays free for the terminator
        }
        out.write(flip);
    }
}
