package dev.weir.proxy.server;

import dev.weir.protocol.http.ContentCoding;
import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Answer#encode} writes its head straight into the buffer (issue 16): for many answers
 * (every status weir can give and odd ones, bodies empty to compressed, checksums given, bad and
 * absent, CORS, close, HEAD) its bytes are exactly those of the encoder it replaced (kept here as
 * {@link #reference}: a StringBuilder, a String, its ASCII bytes), into heap and direct buffers,
 * and the buffer is sized exactly (never grown while writing).
 */
class AnswerEncodingTest {
    private static final String[] CHECKSUMS = {null, "", "0", "4294967295", "12345678901", "12a", " 1", "1\r\nX-Injected: yes"};
    private static final int[] STATUSES = {200, 400, 403, 404, 408, 413, 500, 503, 100, 204, 299, 418, 451, 599, 600, 799};

    @Test
    void theBytesAreTheReplacedEncodersForManyAnswers() {
        Random random = new Random(16);
        ByteBufAllocator[] allocators = {UnpooledByteBufAllocator.DEFAULT, new UnpooledByteBufAllocator(true), PooledByteBufAllocator.DEFAULT};
        for (int n = 0; n < 3_000; n++) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(200);
                case 2 -> ContentCoding.COMPRESS_FROM_BYTES - 2 + random.nextInt(4);
                default -> random.nextInt(70_000);
            };
            byte[] body = new byte[size];
            for (int k = 0; k < size; k++) body[k] = (byte) "{\"Item\":[1,2] \u00e9x".charAt(random.nextInt(15));
            Answer a = new Answer(STATUSES[random.nextInt(STATUSES.length)], body, CHECKSUMS[random.nextInt(CHECKSUMS.length)],
                    "R" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(), random.nextBoolean(),
                    random.nextBoolean(), random.nextInt(5) == 0, ContentCoding.values()[random.nextInt(3)]);
            byte[] expected = reference(a);
            ByteBufAllocator alloc = allocators[n % allocators.length];
            ByteBuf out = a.encode(alloc);
            try {
                assertArrayEquals(expected, ByteBufUtil.getBytes(out), a::toString);
                if (alloc instanceof UnpooledByteBufAllocator) assertEquals(out.readableBytes(), out.capacity(), "sized exactly once");
            } finally {
                out.release();
            }
        }
    }

    @Test
    void aRequestIdThatCouldEndAHeaderIsNeverWritten() {
        for (String id : new String[] {"R1\r\nX-Injected: yes", "R\u00e9", "R\t"}) {
            Answer a = new Answer(200, new byte[3], null, id, false, true, false);
            assertThrows(IllegalArgumentException.class, () -> a.encode(UnpooledByteBufAllocator.DEFAULT));
        }
    }

    /** The encoder {@link Answer#encode} replaced, verbatim. */
    static byte[] reference(Answer a) {
        StringBuilder cors = new StringBuilder();
        for (Map.Entry<String, String> h : Cors.response(true)) cors.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        HttpResponseStatus s = HttpResponseStatus.valueOf(a.status());
        StringBuilder sb = new StringBuilder(200);
        sb.append("HTTP/1.1 ").append(a.status()).append(' ').append(s.reasonPhrase()).append("\r\n")
                .append("Content-Type: " + Target.CONTENT_TYPE + "\r\n");
        byte[] body = a.body();
        String crc32 = a.crc32();
        if (a.coding() != ContentCoding.IDENTITY && body.length >= ContentCoding.COMPRESS_FROM_BYTES) {
            body = a.coding().encode(body);
            crc32 = null;
            sb.append("Content-Encoding: ").append(a.coding().token()).append("\r\n");
        }
        sb.append(Crc32.HEADER).append(": ").append(isDecimal(crc32) ? crc32 : Crc32.of(body)).append("\r\n");
        sb.append("x-amzn-RequestId: ").append(a.requestId()).append("\r\n");
        if (a.fromOrigin()) sb.append(cors);
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        if (!a.keepAlive()) sb.append("Connection: close\r\n");
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + (a.headOnly() ? 0 : body.length)];
        System.arraycopy(head, 0, out, 0, head.length);
        if (!a.headOnly()) System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static boolean isDecimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
