package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.sigv4.SigV4Verifier;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written upstream request is the HTTP request Netty's decoder reads, and its signature verifies. */
class SignedRequestsTest {
    private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");
    private static final Credentials WEIR = new Credentials("AKIDWEIRUPSTREAM", "weir-upstream-secret");
    private final SignedRequests requests = new SignedRequests(new SigV4Signer(WEIR, "us-east-1", "dynamodb"),
            "127.0.0.1:8000", "/", Clock.fixed(T, ZoneOffset.UTC));

    @Test
    void decodesAsTheSignedRequestWithItsBodyIntact() {
        byte[] body = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-\\u00e9 \\r\\n\"}}}".getBytes(StandardCharsets.UTF_8);
        FullHttpRequest req = decode(requests.encode(ByteBufAllocator.DEFAULT, "DynamoDB_20120810.GetItem", body));
        try {
            assertEquals("POST", req.method().name());
            assertEquals("/", req.uri());
            assertEquals("127.0.0.1:8000", req.headers().get("Host"));
            assertEquals(Target.CONTENT_TYPE, req.headers().get("Content-Type"));
            assertEquals("DynamoDB_20120810.GetItem", req.headers().get(Target.HEADER));
            assertEquals(Integer.toString(body.length), req.headers().get("Content-Length"));
            assertArrayEquals(body, ByteBufUtil.getBytes(req.content()));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            req.headers().forEach(headers::add);
            var verified = new SigV4Verifier(k -> k.equals(WEIR.accessKeyId()) ? WEIR.secretAccessKey() : null, "dynamodb",
                    Clock.fixed(T, ZoneOffset.UTC)).verify(new HttpRequestView("POST", "/", "", headers, body));
            assertInstanceOf(SigV4Verifier.Verified.class, verified, verified.toString());
        } finally {
            req.release();
        }
    }

    @Test
    void anEmptyBodyAndABigOneFrameExactly() {
        for (int size : new int[] {0, 1, 70_000}) {
            byte[] body = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
            FullHttpRequest req = decode(requests.encode(ByteBufAllocator.DEFAULT, "DynamoDB_20120810.PutItem", body));
            try {
                assertEquals(size, req.content().readableBytes());
            } finally {
                req.release();
            }
        }
    }

    @Test
    void aValueThatCouldSplitAHeaderIsNeverWritten() {
        assertThrows(IllegalArgumentException.class,
                () -> requests.encode(ByteBufAllocator.DEFAULT, "DynamoDB_20120810.GetItem\r\nX-Injected: 1", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new SignedRequests(new SigV4Signer(WEIR, "us-east-1", "dynamodb"),
                "store\nX: y", "/", Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> new SignedRequests(new SigV4Signer(
                new Credentials("AKID\r\nX-Injected: 1", "secret"), "us-east-1", "dynamodb"), "store", "/", Clock.systemUTC())
                .encode(ByteBufAllocator.DEFAULT, "DynamoDB_20120810.GetItem", new byte[0]));
        // A region beyond ASCII reaches the Authorization: Latin-1 (one byte, not visible ASCII) and beyond (UTF-8) are refused alike.
        for (String region : new String[] {"eu-\u00e9ast-1", "eu-east-1\u2028X-Injected: 1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SignedRequests(new SigV4Signer(WEIR,
                    region, "dynamodb"), "store", "/", Clock.systemUTC()).encode(ByteBufAllocator.DEFAULT, "DynamoDB_20120810.GetItem",
                    new byte[0]));
            assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
        }
    }

    private static FullHttpRequest decode(ByteBuf bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20));
        assertTrue(ch.writeInbound(bytes));
        FullHttpRequest req = ch.readInbound();
        assertTrue(req.decoderResult().isSuccess(), String.valueOf(req.decoderResult()));
        ch.finishAndReleaseAll();
        return req;
    }
}
