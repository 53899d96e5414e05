package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Writing an HTTP/1.1 head straight into the buffer that carries it, shared by weir's two head
 * writers (the upstream requests', the client answers'): fixed parts as precomputed bytes,
 * checked ASCII text and decimal numbers written in place, so no head is built as a
 * {@code StringBuilder}, turned into a {@code String}, encoded into a {@code byte[]} and copied
 * again (issue 16). A writer sizes its buffer first (the lengths below), then writes.
 */
public final class HeadWriter {
    private HeadWriter() {}

    /** {@code CRLF} as one big-endian short. */
    private static final int CRLF = ('\r' << 8) | '\n';

    /** The bytes of ASCII text known when the class loads (header names with their ": ", fixed lines). */
    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes {@code text}, whose characters the caller has checked to be ASCII, one byte each. */
    public static void writeAscii(ByteBuf out, String text) {
        ByteBufUtil.writeAscii(out, text);
    }

    /** Writes a line end. */
    public static void writeCrlf(ByteBuf out) {
        out.writeShort(CRLF);
    }

    /** How many characters {@code n} (0 or more) has in decimal. */
    public static int decimalLength(long n) {
        if (n < 0) throw new IllegalArgumentException("a negative length: " + n);
        int digits = 1;
        for (long limit = 10; n >= limit && digits < 19; limit *= 10) digits++;
        return digits;
    }

    /** Writes {@code n} (0 or more) in decimal, as {@code Long.toString} spells it. */
    public static void writeDecimal(ByteBuf out, long n) {
        int digits = decimalLength(n);
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int k = digits - 1; k >= 0; k--) {
            out.setByte(at + k, (int) ('0' + n % 10));
            n /= 10;
        }
        out.writerIndex(at + digits);
    }

    /** True if every character of {@code s} is visible ASCII or a space (nothing that could end a header line). */
    public static boolean visibleAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }
}
