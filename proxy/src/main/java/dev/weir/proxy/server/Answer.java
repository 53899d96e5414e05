package dev.weir.proxy.server;

import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.http.ContentCoding;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.http.HeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * The firewall's answer to one request, as it goes on the wire: status line, DynamoDB's
 * headers (content type, {@code x-amz-crc32}, {@code x-amzn-RequestId}, CORS when the request
 * came with an Origin), the length, {@code Connection: close} when the connection ends, and the
 * body (none for a HEAD request). A body of {@link ContentCoding#COMPRESS_FROM_BYTES} or more
 * goes in the coding the request accepts ({@code Accept-Encoding}, as DynamoDB chooses it), with
 * {@code Content-Encoding} saying so and {@code x-amz-crc32} over the bytes sent. {@link AnswerEncoder} writes it; every answer has this one
 * shape, so no header map is built and walked per answer.
 *
 * <p>Every header value is weir's own: ids it made, fixed texts, a length, and a checksum that
 * is used only when it is a decimal number (else it is computed from the body), so nothing in
 * an answer's head comes from a client or can end a header early.
 */
record Answer(int status, byte[] body, String crc32, String requestId, boolean fromOrigin, boolean keepAlive,
              boolean headOnly, ContentCoding coding) {
    Answer(int status, byte[] body, String crc32, String requestId, boolean fromOrigin, boolean keepAlive, boolean headOnly) {
        this(status, body, crc32, requestId, fromOrigin, keepAlive, headOnly, ContentCoding.IDENTITY);
    }

    private static final byte[] FIXED = HeadWriter.bytesOf("Content-Type: " + Target.CONTENT_TYPE + "\r\n");
    private static final byte[] CORS;
    private static final byte[] CONTENT_ENCODING = HeadWriter.bytesOf("Content-Encoding: ");
    private static final byte[] CRC32 = HeadWriter.bytesOf(Crc32.HEADER + ": ");
    private static final byte[] REQUEST_ID = HeadWriter.bytesOf("x-amzn-RequestId: ");
    private static final byte[] CONTENT_LENGTH = HeadWriter.bytesOf("Content-Length: ");
    private static final byte[] CLOSE = HeadWriter.bytesOf("Connection: close\r\n");
    /** The status lines of 100 to 599, each ended, made once: {@code HTTP/1.1 code reason}. */
    private static final byte[][] STATUS_LINES = new byte[500][];

    static {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> h : Cors.response(true)) sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        CORS = HeadWriter.bytesOf(sb.toString());
        for (int code = 100; code < 600; code++) STATUS_LINES[code - 100] = HeadWriter.bytesOf(statusLine(code));
    }

    private static String statusLine(int status) {
        return "HTTP/1.1 " + status + ' ' + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n";
    }

    /**
     * The bytes of the answer; the caller owns the buffer. The head is put together in the
     * thread's {@link HeadWriter} and the buffer sized once for head and body (no intermediate
     * text or fresh bytes, issue 16). A request id that is not
     * visible ASCII (weir makes its ids; it would be a bug) is refused, never written.
     */
    ByteBuf encode(ByteBufAllocator alloc) {
        byte[] statusLine = status >= 100 && status < 600 ? STATUS_LINES[status - 100] : HeadWriter.bytesOf(statusLine(status));
        byte[] body = this.body;
        String crc32 = this.crc32;
        String codingToken = null;
        if (coding != ContentCoding.IDENTITY && body.length >= ContentCoding.COMPRESS_FROM_BYTES) {
            // As DynamoDB: the checksum is of the bytes sent, the compressed ones.
            body = coding.encode(body);
            crc32 = null;
            codingToken = coding.token();
        }
        String checksum = isDecimal(crc32) ? crc32 : Crc32.of(body);
        if (!HeadWriter.visibleAscii(requestId) || !HeadWriter.visibleAscii(checksum)
                || (codingToken != null && !HeadWriter.visibleAscii(codingToken))) {
            throw new IllegalArgumentException("an answer's header value is not visible ASCII");
        }
        HeadWriter w = HeadWriter.start().bytes(statusLine).bytes(FIXED);
        if (codingToken != null) w.bytes(CONTENT_ENCODING).ascii(codingToken).crlf();
        w.bytes(CRC32).ascii(checksum).crlf();
        w.bytes(REQUEST_ID).ascii(requestId).crlf();
        if (fromOrigin) w.bytes(CORS);
        w.bytes(CONTENT_LENGTH).decimal(body.length).crlf();
        if (!keepAlive) w.bytes(CLOSE);
        w.crlf();
        return w.finish(alloc, headOnly ? null : body);
    }

    private static boolean isDecimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
