package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * Writing an HTTP/1.1 head, shared by weir's two head writers (the upstream requests', the client
 * answers'): the head is put together in a byte array each thread keeps and reuses (fixed parts
 * as precomputed bytes, checked ASCII text and decimal numbers copied in), then goes into a
 * buffer sized once for the head and the body, in one bulk copy. No head is built as a
 * {@code StringBuilder}, turned into a {@code String} and encoded into a fresh {@code byte[]}
 * any more (issue 16).
 *
 * <p>Why not write each piece straight into the (direct) buffer: a checked write per character
 * into a direct buffer costs more than the copies it saves (measured: {@code ClientFramingCpu},
 * {@code UpstreamFramingCpu}); bulk copies into a heap array and one bulk copy out are cheaper.
 *
 * <p>Use: {@link #start}, the pieces, {@link #finish}; on one thread, one head at a time (the
 * array is the thread's).
 */
public final class HeadWriter {
    private static final FastThreadLocal<HeadWriter> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected HeadWriter initialValue() {
            return new HeadWriter();
        }
    };

    private byte[] bytes = new byte[1024];
    private int length;

    private HeadWriter() {}

    /** This thread's writer, empty. */
    public static HeadWriter start() {
        HeadWriter w = PER_THREAD.get();
        w.length = 0;
        return w;
    }

    /** Appends precomputed bytes. */
    public HeadWriter bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /**
     * Appends {@code text}, one byte per character; the caller has checked every character to be
     * ASCII ({@link #visibleAscii}), for which the low byte is the character.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, a bulk copy for Latin-1 text
    public HeadWriter ascii(String text) {
        int n = text.length();
        room(n);
        text.getBytes(0, n, bytes, length);
        length += n;
        return this;
    }

    /** Appends a line end. */
    public HeadWriter crlf() {
        room(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    /** Appends {@code n} (0 or more) in decimal, as {@code Long.toString} spells it. */
    public HeadWriter decimal(long n) {
        if (n < 0) throw new IllegalArgumentException("a negative length: " + n);
        int digits = 1;
        for (long limit = 10; n >= limit && digits < 19; limit *= 10) digits++;
        room(digits);
        for (int k = length + digits - 1; k >= length; k--) {
            bytes[k] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length += digits;
        return this;
    }

    /** The head so far, in bytes. */
    public int length() {
        return length;
    }

    /** A buffer of exactly the head and {@code body} (none when null); the caller owns it. */
    public ByteBuf finish(ByteBufAllocator alloc, byte[] body) {
        int bodyLength = body == null ? 0 : body.length;
        ByteBuf out = alloc.buffer(length + bodyLength);
        out.writeBytes(bytes, 0, length);
        if (body != null) out.writeBytes(body);
        return out;
    }

    private void room(int n) {
        if (length + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
    }

    /** The bytes of ASCII text known when a class loads (header names with their ": ", fixed lines). */
    public static byte[] bytesOf(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
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
