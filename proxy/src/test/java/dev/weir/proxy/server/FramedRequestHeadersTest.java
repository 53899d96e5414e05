package dev.weir.proxy.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The headers a framed request carries: the guard's list is handed on without a copy and is
 * read-only from then on; names keep the case they were sent in (a common name is a shared
 * constant only when its bytes are exactly the constant's); a list from elsewhere is copied.
 */
class FramedRequestHeadersTest {
    @Test
    void theGuardsHeadersAreHandedOnReadOnlyWithTheirCaseAsSent() {
        List<FramedRequest> got = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpFramingGuard(new HttpFramingGuard.Settings(4096, 1000, 30_000, 60_000, 5_000)),
                new SimpleChannelInboundHandler<FramedRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FramedRequest msg) {
                        got.add(msg);
                    }
                });
        ch.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: store\r\nX-AMZ-DATE: 20261207T000000Z\r\n"
                + "x-amz-target: DynamoDB_20120810.GetItem\r\nContent-Type: application/x-amz-json-1.0\r\nX-Odd-Name:  v \r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertEquals(1, got.size());
        List<Map.Entry<String, String>> headers = got.getFirst().headers();
        assertEquals(List.of(Map.entry("Host", "store"), Map.entry("X-AMZ-DATE", "20261207T000000Z"),
                Map.entry("x-amz-target", "DynamoDB_20120810.GetItem"), Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Odd-Name", "v"), Map.entry("content-length", "2")), headers);
        assertSame("Host", headers.get(0).getKey(), "a common name's exact bytes give its constant");
        assertSame("application/x-amz-json-1.0", headers.get(3).getValue());
        assertEquals("DynamoDB_20120810.GetItem", got.getFirst().header("X-Amz-Target"));
        assertThrows(UnsupportedOperationException.class, () -> headers.add(Map.entry("X-Injected", "1")));
        assertThrows(UnsupportedOperationException.class, () -> headers.set(0, Map.entry("Host", "elsewhere")));
        assertThrows(UnsupportedOperationException.class, () -> headers.remove(0));
        assertThrows(UnsupportedOperationException.class, headers::clear);
        assertThrows(IllegalStateException.class,
                () -> ((FramedRequest.Headers) headers).append(Map.entry("X-Injected", "1")), "sealed once the request is made");
        assertEquals(6, headers.size());
        ch.finishAndReleaseAll();
    }

    @Test
    void aListFromElsewhereIsCopied() {
        List<Map.Entry<String, String>> mine = new ArrayList<>(List.of(Map.entry("Host", "store")));
        FramedRequest r = new FramedRequest("POST", "/", "", mine, new byte[0], true);
        mine.add(Map.entry("X-Later", "1"));
        assertEquals(1, r.headers().size());
        assertThrows(UnsupportedOperationException.class, () -> r.headers().add(Map.entry("X", "1")));
    }
}
