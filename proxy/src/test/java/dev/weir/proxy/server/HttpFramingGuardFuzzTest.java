package dev.weir.proxy.server;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The framing guard in the pipeline ProxyServer builds (guard, HttpServerCodec, aggregator,
 * with small limits so that they are reached) on arbitrary bytes, delivered in reads of
 * arbitrary sizes. Invariants: no exception reaches the end of the pipeline (the firewall
 * handler would only close); every request head Netty reads undamaged is
 * unambiguous (at most one Content-Length, never with Transfer-Encoding, which may only be
 * {@code chunked}); Netty frames requests exactly as {@link ReferenceFramer}, written from the
 * guard's rules, does: the n-th request head Netty reads is the reference's n-th, and the
 * request the handler gets from it has the body the reference reads (a request that parsers
 * could frame differently, smuggling, would break this); and the guard refuses with 400 (505
 * for an HTTP version other than 1.0 and 1.1) exactly the byte streams the reference finds broken (unless a size limit or the closed connection
 * came first), whatever sizes the reads have.
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
        List<HttpRequest> heads = new ArrayList<>();
        List<FullHttpRequest> requests = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new HttpFramingGuard(new HttpFramingGuard.Settings(LIMITS.maxInitialLine() + LIMITS.maxHeaderBytes(),
                        LIMITS.maxBodyBytes(), LIMITS.requestTimeoutMillis(), LIMITS.idleTimeoutMillis(), LIMITS.firstByteTimeoutMillis())),
                new HttpServerCodec(LIMITS.maxInitialLine(), LIMITS.maxHeaderBytes(), 64 * 1024),
                new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpRequest head) heads.add(head);
                        ctx.fireChannelRead(msg);
                    }
                },
                new HttpObjectAggregator(LIMITS.maxBodyBytes()),
                new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        FullHttpRequest request = (FullHttpRequest) msg;
                        requests.add(request.copy());
                        request.release();
                        // As FirewallHandler: a request that did not frame cleanly gets 400 and a close.
                        if (request.decoderResult().isFailure()) ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // Once the connection is closing (the client left, or the guard or this handler
                        // refused a request) the aggregator reports it, or a write that came too late:
                        // that is the close itself. An exception on an open connection is a finding.
                        if (ctx.channel().isOpen() && !(cause instanceof PrematureChannelClosureException)) errors.add(cause);
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
        if (framing.broken() && readAll && refused != 413 && refused != 431) {
            assertEquals(framing.status(), refused, () -> "the guard passed what the reference refuses, or refused it otherwise: "
                    + text(input));
        }
        for (int h = 0; h < heads.size(); h++) {
            HttpRequest head = heads.get(h);
            if (head.decoderResult().isFailure()) break;
            int i = h;
            assertTrue(i < expected.size(), () -> "Netty read a request head the reference does not: "
                    + head.method() + " " + head.uri() + " in " + text(input));
            List<String> lengths = head.headers().getAll("Content-Length");
            List<String> encodings = head.headers().getAll("Transfer-Encoding");
            assertTrue(lengths.size() <= 1, () -> "two Content-Length headers passed: " + text(input));
            assertTrue(lengths.isEmpty() || encodings.isEmpty(), () -> "Content-Length and Transfer-Encoding passed: " + text(input));
            assertTrue(encodings.isEmpty() || encodings.size() == 1 && encodings.getFirst().strip().equalsIgnoreCase("chunked"),
                    () -> "Transfer-Encoding " + encodings + " passed: " + text(input));
            // The request the aggregator made of this head (it shares the head's headers), unless
            // the aggregator answered the head itself (417 to an unknown Expect, say).
            for (FullHttpRequest request : requests) {
                if (request.headers() != head.headers() || request.decoderResult().isFailure()) continue;
                byte[] body = expected.get(i);
                assertTrue(body != null, () -> "request " + i + " reached the handler before its body was complete: " + text(input));
                assertArrayEquals(body, ByteBufUtil.getBytes(request.content()),
                        () -> "request " + i + " has another body than the reference reads in " + text(input));
            }
        }
        requests.forEach(FullHttpRequest::release);
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
