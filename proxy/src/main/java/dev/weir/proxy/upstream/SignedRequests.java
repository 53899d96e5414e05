package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.http.HeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The bytes of the requests weir sends its upstream store: {@code POST}, the store's host and
 * path, DynamoDB's content type, the operation's target, the SigV4 headers and the body, written
 * straight into one buffer. Every request has this one shape, so its request line and fixed
 * headers are encoded once, and no header map is built, hashed and walked per request (Netty's
 * HTTP encoder did that, about a tenth of weir's time at saturation).
 *
 * <p>Every value written is weir's own (the target of an operation it parsed, the signer's
 * date and Authorization, the configured host), and each is checked to be visible ASCII, so
 * nothing can end a header early: a value that is not is a bug or a bad configuration, and
 * the request is not sent.
 */
final class SignedRequests {
    private final SigV4Signer signer;
    private final String host;
    private final String path;
    private final Clock clock;
    /** {@code POST path HTTP/1.1}, Host and Content-Type, each line ended. */
    private final byte[] head;
    private static final byte[] TARGET = HeadWriter.bytesOf(Target.HEADER + ": ");
    private static final byte[] CONTENT_LENGTH = HeadWriter.bytesOf("Content-Length: ");
    private static final byte[] AMZ_DATE = HeadWriter.bytesOf("X-Amz-Date: ");
    private static final byte[] AUTHORIZATION = HeadWriter.bytesOf("Authorization: ");

    SignedRequests(SigV4Signer signer, String host, String path, Clock clock) {
        this.signer = signer;
        this.host = requireFieldValue("Host", host);
        this.path = requireFieldValue("path", path);
        this.clock = clock;
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + Target.CONTENT_TYPE + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** As {@link #encode(ByteBufAllocator, String, byte[], String)}, the body's hash computed here. */
    ByteBuf encode(ByteBufAllocator alloc, String target, byte[] body) {
        return encode(alloc, target, body, null);
    }

    /**
     * One signed request for the operation named by {@code target}, with {@code body} whose
     * SHA-256 (hex) is {@code payloadHash} (null: computed here); the caller owns the buffer.
     * Every value is checked before it is written; the head is put together in the thread's
     * {@link HeadWriter} and the buffer sized once for head and body (no intermediate text or
     * fresh bytes, issue 16).
     */
    ByteBuf encode(ByteBufAllocator alloc, String target, byte[] body, String payloadHash) {
        requireFieldValue(Target.HEADER, target);
        SigV4Signer.PostHeaders signed = signer.signPostHeaders(path, host, Target.CONTENT_TYPE, target, body, payloadHash,
                clock.instant());
        HeadWriter w = HeadWriter.start().bytes(head).bytes(TARGET).ascii(target).crlf()
                .bytes(AMZ_DATE).bytes(requireFieldValue("X-Amz-Date", signed.amzDate())).crlf()
                .bytes(AUTHORIZATION).bytes(requireFieldValue("Authorization", signed.authorization())).crlf();
        w.bytes(CONTENT_LENGTH).decimal(body.length).crlf().crlf();
        return w.finish(alloc, body);
    }

    /** {@code value}, when every byte is visible ASCII or a space (no control byte can split the header). */
    static byte[] requireFieldValue(String what, byte[] value) {
        if (value.length == 0) throw new IllegalArgumentException("an empty " + what + " for the upstream request");
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            if (b < 0x20 || b > 0x7e) {
                throw new IllegalArgumentException("the upstream request's " + what + " has a character that is not visible ASCII at "
                        + i);
            }
        }
        return value;
    }

    /** {@code value}, when every character is visible ASCII or a space (no control character can split the header). */
    static String requireFieldValue(String what, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("an empty " + what + " for the upstream request");
        if (HeadWriter.visibleAscii(value)) return value;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("the upstream request's " + what + " has a character that is not visible ASCII at "
                        + i);
            }
        }
        return value;
    }
}
