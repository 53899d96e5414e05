package dev.weir.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The framing guard in the real pipeline: good requests reach the handler, ambiguous ones never do. */
class HttpFramingGuardTest {
    private final List<String> received = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(
                new HttpFramingGuard(new HttpFramingGuard.Settings(1024, 100, 30_000, 60_000, 5_000)),
                new SimpleChannelInboundHandler<FramedRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FramedRequest msg) {
                        received.add(msg.rawPath() + (msg.rawQuery().isEmpty() ? "" : "?" + msg.rawQuery()) + " "
                                + new String(msg.body(), StandardCharsets.UTF_8));
                        if (answerAtOnce) ctx.pipeline().fireUserEventTriggered(InOrder.ANSWERED);  // as InOrder says of a written answer
                    }
                });
    }

    /** Whether the handler's answer to each request counts as written at once (else the test says when). */
    private boolean answerAtOnce = true;

    /**
     * While a request the guard handed on is unanswered, the guard's own refusal of what came
     * after it (here a 408 for a head cut short in the same read) waits, and so does the idle
     * close: they go out once the answer is written.
     */
    @Test
    void aRefusalWaitsWhileAnEarlierRequestIsUnanswered() {
        answerAtOnce = false;
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("GET /served HTTP/1.1\r\nHost: h\r\n\r\nGET /cut HTTP/1.1\r\nHo"));
        assertEquals(List.of("/served "), received);
        ch.advanceTimeBy(120, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertNull(ch.readOutbound(), "nothing is written ahead of the served request's answer");
        assertTrue(ch.isOpen(), "nor is the connection closed under it");
        ch.pipeline().fireUserEventTriggered(InOrder.ANSWERED);
        assertTrue(response(ch).startsWith("HTTP/1.1 408 Request Timeout"));
    }

    @Test
    void wellFramedRequestsPassIncludingPipelinedAndChunkedOnes() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n"));
        assertEquals(List.of("/a hello", "/b ", "/c abcde"), received);
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
    }

    @Test
    void aRequestSplitAcrossReadsPasses() {
        EmbeddedChannel ch = channel();
        String req = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n";
        for (char c : req.toCharArray()) ch.writeInbound(bytes(String.valueOf(c)));
        assertEquals(List.of("/a wxyz"), received);
    }

    /** The head is found wherever reads split it, even between the CR and LF of its blank line. */
    @Test
    void headsSplitAnywhereAndPipelinedBodiesPass() {
        String two = "POST /a HTTP/1.1\r\nHost: h\r\ncontent-LENGTH:  3 \r\n\r\nxyz"
                + "POST /b HTTP/1.1\r\nHost: h\r\nTRANSFER-encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\n";
        for (int split = 1; split < two.length(); split++) {
            received.clear();
            EmbeddedChannel ch = channel();
            ch.writeInbound(bytes(two.substring(0, split)));
            ch.writeInbound(bytes(two.substring(split)));
            assertEquals(List.of("/a xyz", "/b q"), received, "split at " + split);
            assertTrue(ch.isOpen());
        }
    }

    /**
     * An LF without its CR anywhere in a head (its first bytes, the request line, a header, the
     * second head on a connection) is refused once the head is complete, wherever reads split it:
     * it is noted while the head's bytes are searched for the blank line, one pass (issue 16).
     */
    @Test
    void aBareLfAnywhereInAHeadIsRefusedWhereverReadsSplitIt() {
        String good = "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n";
        String[] raws = {"\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "G\nET / HTTP/1.1\r\nHost: h\r\n\r\n", "GE\nT / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\nHost: h\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\nX: 1\r\n\r\n", "GET / HTTP/1.1\r\nX: \n\r\n\r\n",
                good + "GET / HTTP/1.1\r\nHost: h\nX: 1\r\n\r\n", good + "\nGET / HTTP/1.1\r\n\r\n"};
        for (String raw : raws) {
            for (int split = 0; split < raw.length(); split++) {
                received.clear();
                EmbeddedChannel ch = channel();
                if (split > 0) ch.writeInbound(bytes(raw.substring(0, split)));
                ch.writeInbound(bytes(raw.substring(split)));
                String response = response(ch);
                assertTrue(response.startsWith("HTTP/1.1 400 ") && response.contains("bare LF"), raw + " split at " + split + ": " + response);
                // A good request goes on only when a read before the refused one completed it.
                assertEquals(raw.startsWith(good) && split >= good.length() ? List.of("/ok ") : List.of(), received, raw + " split at " + split);
            }
        }
    }

    /** The head limit counts the whole head, blank line included: exactly at the limit passes, one byte more does not. */
    @Test
    void aHeadExactlyAtTheLimitPassesOneMoreByteIsRefused() {
        String start = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
        String atLimit = start + "p".repeat(1024 - start.length() - 4) + "\r\n\r\n";
        assertEquals(1024, atLimit.length());
        received.clear();
        EmbeddedChannel ch = channel();
        for (int k = 0; k < atLimit.length(); k += 100) ch.writeInbound(bytes(atLimit.substring(k, Math.min(k + 100, atLimit.length()))));
        assertEquals(1, received.size());
        assertTrue(ch.isOpen());
        assertRefused(start + "p".repeat(1024 - start.length() - 3) + "\r\n\r\n", 431, "request head too large");
    }

    @Test
    void duplicateContentLengthIsRefusedEvenWhenEqual() {
        assertRefused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400,
                "more than one Content-Length header");
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() {
        assertRefused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                "both Content-Length and Transfer-Encoding");
    }

    @Test
    void otherTransferEncodingsAreRefused() {
        assertRefused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400, "unsupported Transfer-Encoding");
        assertRefused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
                "more than one Transfer-Encoding header");
    }

    @Test
    void obsFoldBareLfAndBadHeaderLinesAreRefused() {
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  folded\r\n\r\n", 400, "obs-fold");
        assertRefused("GET / HTTP/1.1\r\nHost: h\nX-A: 1\r\n\r\n", 400, "bare LF");
        assertRefused("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "whitespace between header name and colon");
        assertRefused("GET / HTTP/1.1\r\nnocolon\r\n\r\n", 400, "header line without a name and colon");
        assertRefused("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", 400, "invalid Content-Length");
    }

    @Test
    void malformedChunksAreRefused() {
        assertRefused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "malformed chunk size");
        assertRefused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400,
                "data longer than its size");
        assertRefused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", 400, "bare LF");
    }

    @Test
    void anOversizedHeadGets431() {
        assertRefused("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n", 431, "request head too large");
    }

    @Test
    void anOversizedBodyGets413BeforeItIsRead() {
        assertRefused("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413, "request body too large");
        assertRefused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" + "a".repeat(80)
                + "\r\n20\r\n", 413, "request body too large");
    }

    @Test
    void aSlowRequestGets408AndAnIdleConnectionIsClosed() {
        EmbeddedChannel slow = channel();
        slow.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"));
        slow.advanceTimeBy(31, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertTrue(response(slow).startsWith("HTTP/1.1 408 Request Timeout"));
        assertFalse(slow.isOpen());

        EmbeddedChannel idle = channel();
        idle.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        idle.advanceTimeBy(59, TimeUnit.SECONDS);
        idle.runScheduledPendingTasks();
        assertTrue(idle.isOpen());
        idle.advanceTimeBy(2, TimeUnit.SECONDS);
        idle.runScheduledPendingTasks();
        assertFalse(idle.isOpen());
        assertTrue(received.contains("/ "));
    }

    @Test
    void onlyHttp11AndHttp10AsSpelledPass() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi"));
        assertEquals(List.of("/a ", "/b hi"), received);
        assertRefused("GET / HTTP/9.9\r\nHost: h\r\n\r\n", 505, "HTTP version not supported");
        assertRefused("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "HTTP version not supported");
        assertRefused("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP version not supported");
        assertRefused("GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505, "HTTP version not supported");
        for (String version : List.of("http/1.1", "HTTP/1.1 ", "HTTP/11", "HTTP/1.10", "HTTP/1.x", "HTTPS/1.1", "HTTP /1.1", "")) {
            assertRefused("GET / " + version + "\r\nHost: h\r\n\r\n", 400, "malformed");
        }
    }

    @Test
    void aRequestLineOfAnyOtherShapeIsRefused() {
        assertRefused("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request target");
        assertRefused(" GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "method");
        assertRefused("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "method");
        assertRefused("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "method");
        assertRefused("GET /\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request target");
        assertRefused("GET /a\rb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request target");
        assertRefused("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed HTTP version");
        assertRefused("GET\r\nHost: h\r\n\r\n", 400, "method");
        assertRefused("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed request line");
    }

    @Test
    void http10MayNotCarryTransferEncoding() {
        assertRefused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                "Transfer-Encoding in an HTTP/1.0 request");
    }

    @Test
    void aNewConnectionThatSendsNothingIsClosedAtTheFirstByteDeadlineNotTheIdleOne() {
        EmbeddedChannel silent = channel();
        silent.advanceTimeBy(4_900, TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        assertTrue(silent.isOpen());
        silent.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        assertFalse(silent.isOpen(), "closed 5 s after it opened");
        assertNull(silent.readOutbound(), "without an answer: it asked nothing");

        // A connection that sent its request in time is held to the idle timeout from then on.
        EmbeddedChannel prompt = channel();
        prompt.advanceTimeBy(3, TimeUnit.SECONDS);
        prompt.runScheduledPendingTasks();
        prompt.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        prompt.advanceTimeBy(50, TimeUnit.SECONDS);
        prompt.runScheduledPendingTasks();
        assertTrue(prompt.isOpen());
        prompt.advanceTimeBy(11, TimeUnit.SECONDS);
        prompt.runScheduledPendingTasks();
        assertFalse(prompt.isOpen());

        // One that began a request but stalls inside it gets the request timeout's 408.
        EmbeddedChannel slow = channel();
        slow.writeInbound(bytes("GET / HT"));
        slow.advanceTimeBy(29, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertTrue(slow.isOpen());
        slow.advanceTimeBy(2, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertTrue(response(slow).startsWith("HTTP/1.1 408"));
    }

    private void assertRefused(String raw, int status, String reasonPart) {
        received.clear();
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(raw));
        String response = response(ch);
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.contains(reasonPart), response);
        assertTrue(response.contains("Connection: close"), response);
        assertFalse(ch.isOpen(), "connection closed");
        assertEquals(List.of(), received, "nothing reached the firewall");
    }

    private static String response(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        if (out == null) return "";
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
