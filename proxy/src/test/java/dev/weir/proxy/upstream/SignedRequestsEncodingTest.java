package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SignedRequests#encode} writes the head straight into the buffer (issue 16): for many
 * requests (hosts, paths, targets, bodies from empty to large, the hash given or computed) its
 * bytes are exactly those of the encoder it replaced (kept here as {@link #reference}), into heap
 * and direct buffers, and the buffer is sized exactly.
 */
class SignedRequestsEncodingTest {
    private static final String[] HOSTS = {"127.0.0.1:8000", "dynamodb.eu-west-1.amazonaws.com", "store", "[::1]:9000"};
    private static final String[] PATHS = {"/", "/dynamodb", "/a%20b/c"};
    private static final String[] TARGETS = {"DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query", "DynamoDB_20120810.TransactWriteItems",
            "DynamoDBStreams_20120810.GetRecords", "X"};

    @Test
    void theBytesAreTheReplacedEncodersForManyRequests() throws Exception {
        Random random = new Random(16);
        ByteBufAllocator[] allocators = {UnpooledByteBufAllocator.DEFAULT, new UnpooledByteBufAllocator(true), PooledByteBufAllocator.DEFAULT};
        for (int n = 0; n < 600; n++) {
            Instant at = Instant.parse("2026-12-06T12:00:00Z").plusSeconds(random.nextInt(1_000_000));
            SigV4Signer signer = new SigV4Signer(new Credentials("AKID" + random.nextInt(1000), "secret-" + n),
                    random.nextBoolean() ? "us-east-1" : "eu-west-1", "dynamodb");
            String host = HOSTS[random.nextInt(HOSTS.length)], path = PATHS[random.nextInt(PATHS.length)];
            SignedRequests requests = new SignedRequests(signer, host, path, Clock.fixed(at, ZoneOffset.UTC));
            int size = switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> random.nextInt(100);
                default -> random.nextInt(100_000);
            };
            byte[] body = new byte[size];
            random.nextBytes(body);
            String hash = random.nextBoolean() ? null : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            String target = TARGETS[random.nextInt(TARGETS.length)];
            byte[] expected = reference(signer, host, path, at, target, body, hash);
            ByteBufAllocator alloc = allocators[n % allocators.length];
            ByteBuf out = requests.encode(alloc, target, body, hash);
            try {
                assertArrayEquals(expected, ByteBufUtil.getBytes(out), () -> host + path + target + body.length);
                if (alloc instanceof UnpooledByteBufAllocator) assertEquals(out.readableBytes(), out.capacity(), "sized exactly once");
            } finally {
                out.release();
            }
        }
    }

    /** The encoder {@link SignedRequests#encode} replaced, verbatim. */
    static byte[] reference(SigV4Signer signer, String host, String path, Instant at, String target, byte[] body, String payloadHash) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + Target.CONTENT_TYPE + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Map.Entry<String, String>> signed = signer.signPost(path, host, Target.CONTENT_TYPE, target, body, payloadHash, at);
        StringBuilder sb = new StringBuilder(320);
        sb.append(Target.HEADER).append(": ").append(target).append("\r\n");
        for (Map.Entry<String, String> h : signed) sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headers = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + headers.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(headers, 0, out, head.length, headers.length);
        System.arraycopy(body, 0, out, head.length + headers.length, body.length);
        return out;
    }
}
