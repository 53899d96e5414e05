package dev.weir.proxy.server;

import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written answer is the HTTP response Netty's decoder reads, with DynamoDB's headers. */
class AnswerTest {
    private static final byte[] BODY = "{\"Item\":{\"id\":{\"S\":\"p-1\"}}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anAnswerDecodesWithItsStatusHeadersAndBody() {
        FullHttpResponse r = decode(new Answer(200, BODY, Crc32.of(BODY), "REQ1", false, true, false));
        try {
            assertEquals(200, r.status().code());
            assertEquals("OK", r.status().reasonPhrase());
            assertEquals(Target.CONTENT_TYPE, r.headers().get("Content-Type"));
            assertEquals(Crc32.of(BODY), r.headers().get(Crc32.HEADER));
            assertEquals("REQ1", r.headers().get("x-amzn-RequestId"));
            assertEquals(Integer.toString(BODY.length), r.headers().get("Content-Length"));
            assertNull(r.headers().get("Connection"));
            assertNull(r.headers().get("Access-Control-Allow-Origin"));
            assertArrayEquals(BODY, ByteBufUtil.getBytes(r.content()));
        } finally {
            r.release();
        }
    }

    @Test
    void anErrorThatClosesFromAnOriginCarriesCorsAndConnectionClose() {
        byte[] body = "{\"__type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = decode(new Answer(400, body, null, "REQ2", true, false, false));
        try {
            assertEquals(400, r.status().code());
            assertEquals("close", r.headers().get("Connection"));
            assertEquals("*", r.headers().get("Access-Control-Allow-Origin"));
            assertTrue(r.headers().get("Access-Control-Expose-Headers").contains("x-amzn-RequestId"));
            assertEquals(Crc32.of(body), r.headers().get(Crc32.HEADER), "computed when none was given");
        } finally {
            r.release();
        }
    }

    @Test
    void aChecksumThatIsNotADecimalNumberIsReplacedByTheBodysOwn() {
        FullHttpResponse r = decode(new Answer(200, BODY, "1\r\nX-Injected: yes", "REQ3", false, true, false));
        try {
            assertEquals(Crc32.of(BODY), r.headers().get(Crc32.HEADER));
            assertFalse(r.headers().contains("X-Injected"));
        } finally {
            r.release();
        }
    }

    @Test
    void aHeadRequestGetsTheLengthButNoBody() {
        var bytes = new Answer(403, BODY, null, "REQ4", false, true, true).encode(ByteBufAllocator.DEFAULT);
        try {
            String text = bytes.toString(StandardCharsets.US_ASCII);
            assertTrue(text.endsWith("\r\n\r\n"), text);
            assertTrue(text.contains("Content-Length: " + BODY.length + "\r\n"), text);
        } finally {
            bytes.release();
        }
    }

    private static FullHttpResponse decode(Answer a) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        assertTrue(ch.writeInbound(a.encode(ByteBufAllocator.DEFAULT)));
        FullHttpResponse r = ch.readInbound();
        assertTrue(r.decoderResult().isSuccess(), String.valueOf(r.decoderResult()));
        ch.finishAndReleaseAll();
        return r;
    }
}
