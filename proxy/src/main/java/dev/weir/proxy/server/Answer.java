package dev.weir.proxy.server;

import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.http.ContentCoding;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
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

    private static final String FIXED = "Content-Type: " + Target.CONTENT_TYPE + "\r\n";
    private static final String CORS;

    static {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> h : Cors.response(true)) sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        CORS = sb.toString();
    }

    /** The bytes of the answer; the caller owns the buffer. */
    ByteBuf encode(ByteBufAllocator alloc) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        StringBuilder sb = new StringBuilder(200);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(s.reasonPhrase()).append("\r\n").append(FIXED);
        byte[] body = this.body;
        String crc32 = this.crc32;
        if (coding != ContentCoding.IDENTITY && body.length >= ContentCoding.COMPRESS_FROM_BYTES) {
            // As DynamoDB: the checksum is of the bytes sent, the compressed ones.
            body = coding.encode(body);
            crc32 = null;
            sb.append("Content-Encoding: ").append(coding.token()).append("\r\n");
        }
        sb.append(Crc32.HEADER).append(": ").append(isDecimal(crc32) ? crc32 : Crc32.of(body)).append("\r\n");
        sb.append("x-amzn-RequestId: ").append(requestId).append("\r\n");
        if (fromOrigin) sb.append(CORS);
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        if (!keepAlive) sb.append("Connection: close\r\n");
        sb.append("\r\n");
        // One bulk copy of the head (the JDK encodes ASCII in bulk), not one checked write per character.
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = alloc.buffer(head.length + (headOnly ? 0 : body.length));
        out.writeBytes(head);
        if (!headOnly) out.writeBytes(body);
        return out;
    }

    private static boolean isDecimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
