package dev.weir.proxy.server;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The framing guard, the only request parser of the pipeline ProxyServer builds (with small
 * limits so that they are reached), on arbitrary bytes, delivered in reads of arbitrary sizes.
 * Invariants: no exception reaches the end of the pipeline (the firewall handler would only
 * close); every request the guard hands on is unambiguous (at most one Content-Length, no
 * Transfer-Encoding left: a chunked body goes on de-chunked); the guard frames requests
 * exactly as {@link ReferenceFramer}, written from the guard's rules, does: the n-th request it
 * hands on has the n-th body the reference reads, and when it refuses nothing it hands on
 * every request the reference reads complete (a request that parsers could frame differently,
 * smuggling, would break this); and the guard refuses with 400 (505 for an HTTP version other
 * than 1.0 and 1.1) exactly the byte streams the reference finds broken (unless a size limit,
 * an unsupported expectation's 417 or the closed connection came first), whatever sizes the
 * reads have. {@code HttpRequestFramerOracleTest} holds the requests to what Netty's decoder
 * and aggregator make of the same bytes.
 *
 * <p>The input is the raw bytes a client sends. Regression inputs live in
 * {@code HttpFramingGuardFuzzTestInputs/<method>/}; {@code ./weir fuzz http-framing} fuzzes.
 */
class HttpFramingGuardFuzzTest {
    private static final ProxyServer.Limits LIMITS = ProxyServer.Limits.builder().maxInitialLine(256).maxHeaderBytes(512)
            .maxBodyBytes(1024).maxConnections(10).build();

    @FuzzTest
    @DictionaryFile(resourcePath = "http.dict")
    void framingIsUnambiguous(byte[] input) {
        List<FramedRequest> requests = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new HttpFramingGuard(new HttpFramingGuard.Settings(LIMITS.maxInitialLine() + LIMITS.maxHeaderBytes(),
                        LIMITS.maxBodyBytes(), LIMITS.requestTimeoutMillis(), LIMITS.idleTimeoutMillis(), LIMITS.firstByteTimeoutMillis())),
                new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof FramedRequest request) {
                            requests.add(request);
                            // Answered at once, as InOrder says of a written answer: the guard holds its
                            // own refusals while a request it handed on is unanswered.
                            ctx.pipeline().fireUserEventTriggered(InOrder.ANSWERED);
                        } else {
                            errors.add(new AssertionError("the guard handed on " + msg));
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // Once the connection is closing (the client left, or the guard refused a
                        // request), a write that came too late is the close itself. An exception on
                        // an open connection is a finding.
                        if (ctx.channel().isOpen()) errors.add(cause);
                        ctx.close();
                    }
                });
        // Reads of sizes drawn from the input itself, so that a finding replays exactly.
        Random reads = new Random(Arrays.hashCode(input));
        int at = 0;
        while (at < input.length && ch.isOpen()) {
            int n = Math.min(input.length - at, reads.nextInt(4) == 0 ? 1 + reads.nextInt(8) : input.length);
            ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
            at += n;
        }
        boolean readAll = at == input.length;
        StringBuilder answered = new StringBuilder();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            answered.append(((ByteBuf) out).toString(StandardCharsets.ISO_8859_1));
            ((ByteBuf) out).release();
        }
        ch.finishAndReleaseAll();

        if (!errors.isEmpty()) fail("an exception reached the handler", errors.getFirst());
        ReferenceFramer.Framing framing = ReferenceFramer.frame(input);
        List<byte[]> expected = framing.bodies();
        int refused = guardStatus(answered.toString());
        if (refused == 400 || refused == 505) {
            assertTrue(framing.broken(), () -> "the guard refused what the reference reads as well framed: " + text(input));
        }
        if (framing.broken() && readAll && refused != 413 && refused != 431 && refused != 417) {
            assertEquals(framing.status(), refused, () -> "the guard passed what the reference refuses, or refused it otherwise: "
                    + text(input));
        }
        for (int r = 0; r < requests.size(); r++) {
            FramedRequest request = requests.get(r);
            int i = r;
            assertTrue(i < expected.size(), () -> "the guard handed on a request the reference does not read: "
                    + request.method() + " " + request.rawPath() + " in " + text(input));
            long lengths = request.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length")).count();
            assertTrue(lengths <= 1, () -> "two Content-Length headers passed: " + text(input));
            assertTrue(request.header("Transfer-Encoding") == null, () -> "Transfer-Encoding passed: " + text(input));
            byte[] body = expected.get(i);
            assertTrue(body != null, () -> "request " + i + " reached the handler before its body was complete: " + text(input));
            assertArrayEquals(body, request.body(), () -> "request " + i + " has another body than the reference reads in " + text(input));
        }
        if (refused == 0 && readAll) {
            long complete = expected.stream().filter(b -> b != null).count();
            assertEquals(complete, requests.size(), () -> "the guard handed on another number of requests than the reference reads: "
                    + text(input));
        }
    }

    /** The status of the guard's own refusal among the bytes sent back, or 0 if it refused nothing. */
    private static int guardStatus(String answered) {
        int at = answered.indexOf("weir refused the request:");
        if (at < 0) return 0;
        int status = answered.lastIndexOf("HTTP/1.1 ", at);
        return Integer.parseInt(answered.substring(status + 9, status + 12));
    }

    private static String text(byte[] input) {
        return "'" + new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n") + "'";
    }
}
