package dev.weir.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing guard, as the only request parser, hands on what Netty's request decoder and
 * aggregator made of the same bytes (the pipeline before it): Netty is the oracle. Seeded
 * random streams of well-formed requests (methods, targets with queries, header names in any
 * case with spaces and tabs around values and Latin-1 bytes in them, Content-Length and chunked
 * bodies with extensions and trailers, HTTP/1.0, Connection, Expect: 100-continue) pipelined
 * several to a stream, cut at every split point and into random reads: every request's method,
 * path, query, headers (names as sent, in order), body and keep-alive equal Netty's, and a
 * {@code 100 Continue} is written where Netty's aggregator wrote one. Malformed streams (a
 * seeded mutation of a good request: bare LF, obs-fold, two lengths, a length and chunked,
 * bad chunks, a bad name or a control byte) are refused with 400 and a closed connection,
 * wherever the reads split them, and hand nothing on.
 */
class HttpRequestFramerOracleTest {
    private static final HttpFramingGuard.Settings SETTINGS = new HttpFramingGuard.Settings(16 * 1024, 1 << 20, 30_000, 60_000, 5_000);
    private static final String[] METHODS = {"GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE"};
    private static final String[] NAMES = {"Host", "X-Amz-Target", "x-amz-date", "Authorization", "content-TYPE", "X-Custom",
            "Accept-Encoding", "User-Agent", "Origin"};

    /** What the handler behind the parser got, and the bytes the parser wrote back. */
    record Seen(List<String> requests, String written, boolean open) {}

    @Test
    void wellFormedStreamsFrameAsNettyFramesThemWhereverReadsSplitThem() {
        Random random = new Random(16_016);
        int streams = 0, requests = 0;
        for (int round = 0; round < 40; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) stream.writeBytes(request(random, k < n - 1));
            byte[] bytes = stream.toByteArray();
            List<String> expected = netty(bytes);
            assertEquals(n, expected.size(), "the oracle reads every request");
            assertEquals(expected, guard(bytes, new int[0]).requests(), "in one read: " + text(bytes));
            for (int split = 1; split < bytes.length; split++) {
                Seen seen = guard(bytes, new int[] {split});
                assertEquals(expected, seen.requests(), "split at " + split + ": " + text(bytes));
                assertTrue(seen.open());
            }
            for (int r = 0; r < 20; r++) {
                assertEquals(expected, guard(bytes, randomSplits(random, bytes.length)).requests(), text(bytes));
            }
            streams++;
            requests += n;
        }
        assertTrue(streams == 40 && requests > 70, requests + " requests");
    }

    /**
     * Heads longer than the step the guard copies a read's bytes in (1,024), in one read with
     * their bodies and the next request, or split anywhere: framed as Netty frames them.
     */
    @Test
    void headsLongerThanOneCopyStepFrameAsNettyFramesThem() {
        Random random = new Random(1024);
        for (int round = 0; round < 30; round++) {
            StringBuilder stream = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                StringBuilder head = new StringBuilder("POST /p" + k + "?q=" + round + " HTTP/1.1\r\nHost: h\r\n");
                int padding = 500 + random.nextInt(5_000);
                for (int h = 0; head.length() < padding; h++) head.append("X-Pad-").append(h).append(": ").append("v".repeat(random.nextInt(300))).append("\r\n");
                String body = "b".repeat(random.nextInt(3_000));
                stream.append(head).append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            }
            byte[] bytes = stream.toString().getBytes(StandardCharsets.ISO_8859_1);
            List<String> expected = netty(bytes);
            assertEquals(3, expected.size());
            assertEquals(expected, guard(bytes, new int[0]).requests(), "in one read");
            for (int r = 0; r < 20; r++) assertEquals(expected, guard(bytes, randomSplits(random, bytes.length)).requests());
        }
    }

    @Test
    void continueIsAnsweredWhereNettysAggregatorAnsweredIt() {
        byte[] bytes = ("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi"
                + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < bytes.length; split++) {
            Seen seen = guard(bytes, new int[] {split});
            assertEquals(netty(bytes), seen.requests());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", seen.written());
        }
        EmbeddedChannel oracle = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20));
        oracle.writeInbound(Unpooled.wrappedBuffer(bytes));
        FullHttpResponse continued = oracle.readOutbound();
        assertEquals(100, continued.status().code(), "Netty's aggregator answers the expectation too");
        continued.release();
        oracle.finishAndReleaseAll();
        // HTTP/1.0 has no expectations: the header stays, nothing is written.
        byte[] old = "POST /a HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(netty(old), guard(old, new int[0]).requests());
        assertEquals("", guard(old, new int[0]).written());
    }

    @Test
    void anUnsupportedExpectationIs417AndACloseNotARequest() {
        Seen seen = guard("POST / HTTP/1.1\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1), new int[0]);
        assertTrue(seen.written().startsWith("HTTP/1.1 417 Expectation Failed\r\n"), seen.written());
        assertEquals(List.of(), seen.requests());
        assertFalse(seen.open());
    }

    @Test
    void malformedStreamsAreRefusedWithoutHandingAnythingOn() {
        Random random = new Random(1616);
        String[] mutations = {"bare LF", "obs-fold", "two lengths", "length and chunked", "bad chunk size", "chunk too long",
                "space before colon", "name not a token", "control byte in value", "gzip coding", "length not digits"};
        for (String mutation : mutations) {
            for (int round = 0; round < 8; round++) {
                byte[] good = request(random, true);
                byte[] bytes = (new String(good, StandardCharsets.ISO_8859_1) + malformed(mutation, random))
                        .getBytes(StandardCharsets.ISO_8859_1);
                for (int split = 0; split < bytes.length; split += 1 + random.nextInt(3)) {
                    Seen seen = guard(bytes, split == 0 ? new int[0] : new int[] {split});
                    assertTrue(seen.written().contains("HTTP/1.1 400 Bad Request\r\n"), mutation + ": " + seen.written());
                    assertFalse(seen.open(), mutation);
                    assertTrue(seen.requests().size() <= 1, mutation + ": only the good request before it may go on");
                    if (seen.requests().size() == 1) assertEquals(netty(good), seen.requests());
                }
            }
        }
    }

    private static String malformed(String mutation, Random random) {
        String host = "Host: h" + random.nextInt(100) + "\r\n";
        return switch (mutation) {
            case "bare LF" -> "GET / HTTP/1.1\r\n" + host + "X-A: 1\nX-B: 2\r\n\r\n";
            case "obs-fold" -> "GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n folded\r\n\r\n";
            case "two lengths" -> "POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\ncontent-length: 1\r\n\r\nx";
            case "length and chunked" -> "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
            case "bad chunk size" -> "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n1g\r\nx\r\n0\r\n\r\n";
            case "chunk too long" -> "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n";
            case "space before colon" -> "GET / HTTP/1.1\r\n" + host + "X-A : 1\r\n\r\n";
            case "name not a token" -> "GET / HTTP/1.1\r\n" + host + "X(A): 1\r\n\r\n";
            case "control byte in value" -> "GET / HTTP/1.1\r\n" + host + "X-A: a\u0001b\r\n\r\n";
            case "gzip coding" -> "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n";
            case "length not digits" -> "POST / HTTP/1.1\r\n" + host + "Content-Length: 0x1\r\n\r\nx";
            default -> throw new IllegalArgumentException(mutation);
        };
    }

    /** A random well-formed request; {@code more} when others follow it (so it may not close the connection). */
    private static byte[] request(Random random, boolean more) {
        boolean http10 = random.nextInt(8) == 0;
        String method = METHODS[random.nextInt(METHODS.length)];
        StringBuilder target = new StringBuilder("/");
        for (int k = random.nextInt(3); k > 0; k--) target.append(word(random)).append(random.nextBoolean() ? "/" : "%2F");
        if (random.nextInt(3) == 0) target.append('?').append(word(random)).append('=').append(word(random)).append("&x");
        StringBuilder head = new StringBuilder(method + " " + target + " " + (http10 ? "HTTP/1.0" : "HTTP/1.1") + "\r\n");
        for (int k = random.nextInt(7); k > 0; k--) {
            head.append(caseOf(random, NAMES[random.nextInt(NAMES.length)])).append(':').append(ows(random))
                    .append(value(random)).append(ows(random)).append("\r\n");
        }
        if (http10 && random.nextBoolean()) head.append("Connection: keep-alive\r\n");
        if (!http10 && random.nextInt(4) == 0) head.append(caseOf(random, "Connection")).append(": Upgrade, keep-alive\r\n");
        if (!more && random.nextInt(3) == 0) head.append("Connection: foo, Close\r\n");
        if (!http10 && random.nextInt(6) == 0) head.append("Expect: 100-continue\r\n");
        byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
        random.nextBytes(body);
        int framing = http10 ? random.nextInt(2) : random.nextInt(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (framing == 0 && body.length == 0) {
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        } else if (framing <= 1) {
            head.append(caseOf(random, "Content-Length")).append(':').append(ows(random)).append(body.length).append(ows(random)).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        } else {
            head.append(caseOf(random, "Transfer-Encoding")).append(": ").append(caseOf(random, "chunked")).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int at = 0; at < body.length; ) {
                int size = Math.min(body.length - at, 1 + random.nextInt(80));
                out.writeBytes((Integer.toHexString(size) + (random.nextInt(4) == 0 ? ";ext=" + word(random) : "") + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, size);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += size;
            }
            out.writeBytes(("0\r\n" + (random.nextBoolean() ? "X-Trailer: " + word(random) + "\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static String word(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + random.nextInt(8); k > 0; k--) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static String value(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int k = random.nextInt(30); k > 0; k--) {
            int kind = random.nextInt(10);
            sb.append(kind == 0 ? ' ' : kind == 1 ? '\t' : kind == 2 ? (char) (0x80 + random.nextInt(128)) : (char) (0x21 + random.nextInt(94)));
        }
        return sb.toString().strip().isEmpty() ? "v" : sb.toString().replaceAll("^[ \t]+|[ \t]+$", "") + "z";
    }

    private static String ows(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "\t ";
            default -> "  ";
        };
    }

    private static String caseOf(Random random, String s) {
        return switch (random.nextInt(3)) {
            case 0 -> s;
            case 1 -> s.toLowerCase();
            default -> s.toUpperCase();
        };
    }

    private static int[] randomSplits(Random random, int length) {
        int[] splits = new int[random.nextInt(6)];
        for (int k = 0; k < splits.length; k++) splits[k] = 1 + random.nextInt(Math.max(1, length - 1));
        java.util.Arrays.sort(splits);
        return splits;
    }

    /** The requests Netty's decoder and aggregator read from the bytes, as text to compare. */
    static List<String> netty(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<String> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            FullHttpRequest r = (FullHttpRequest) m;
            assertTrue(r.decoderResult().isSuccess(), String.valueOf(r.decoderResult()));
            String uri = r.uri();
            int q = uri.indexOf('?');
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (Map.Entry<String, String> h : r.headers()) headers.add(h);
            out.add(describe(r.method().name(), q < 0 ? uri : uri.substring(0, q), q < 0 ? "" : uri.substring(q + 1), headers,
                    ByteBufUtil.getBytes(r.content()), HttpUtil.isKeepAlive(r)));
            r.release();
        }
        ch.finishAndReleaseAll();
        return out;
    }

    /** Feeds the bytes to a guard in reads cut at {@code splits}; what it handed on and wrote. */
    static Seen guard(byte[] bytes, int[] splits) {
        List<String> requests = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpFramingGuard(SETTINGS), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FramedRequest r = (FramedRequest) msg;
                requests.add(describe(r.method(), r.rawPath(), r.rawQuery(), r.headers(), r.body(), r.keepAlive()));
                ctx.pipeline().fireUserEventTriggered(InOrder.ANSWERED);  // answered at once, as InOrder would say
            }
        });
        int at = 0;
        for (int k = 0; k <= splits.length && ch.isOpen(); k++) {
            int to = k < splits.length ? splits[k] : bytes.length;
            if (to > at) ch.writeInbound(Unpooled.copiedBuffer(bytes, at, to - at));
            at = Math.max(at, to);
        }
        StringBuilder written = new StringBuilder();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            written.append(((ByteBuf) out).toString(StandardCharsets.ISO_8859_1));
            ((ByteBuf) out).release();
        }
        boolean open = ch.isOpen();
        ch.finishAndReleaseAll();
        return new Seen(requests, written.toString(), open);
    }

    private static String describe(String method, String path, String query, List<Map.Entry<String, String>> headers, byte[] body,
                                   boolean keepAlive) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" ? ").append(query).append('\n');
        for (Map.Entry<String, String> h : headers) sb.append(h.getKey()).append(": [").append(h.getValue()).append("]\n");
        return sb.append("keep-alive ").append(keepAlive).append('\n').append(ByteBufUtil.hexDump(body)).toString();
    }

    private static String text(byte[] bytes) {
        String t = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        return t.length() > 400 ? t.substring(0, 400) + "..." : t;
    }
}
