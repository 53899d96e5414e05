package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Crc32;
import dev.weir.proxy.transport.Transport;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's answers read in place. Seeded random answers (Content-Length and chunked bodies
 * with extensions and trailers, interim 100s before them, header names in any case, HTTP/1.0
 * with and without keep-alive), several on one connection, cut at every split point and into
 * random reads: status, checksum, body and keep-alive equal what Netty's response decoder and
 * aggregator (the oracle, the pipeline before) read. Malformed answers are never handed on
 * but fail with an IOException wherever the reads split them; a body delimited by the close is
 * complete at the close; the size limit holds. Over real sockets, a store's chunked answer
 * reaches the caller and a malformed one fails the exchange (the 5xx path) and is not read as
 * the next request's answer.
 */
class ResponseFramerTest {
    private static final int LIMIT = 1 << 20;

    record Seen(List<String> answers, List<Throwable> errors) {}

    @Test
    void answersFrameAsNettyFramesThemWhereverReadsSplitThem() {
        Random random = new Random(6116);
        int answers = 0;
        for (int round = 0; round < 40; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) stream.writeBytes(answer(random));
            byte[] bytes = stream.toByteArray();
            List<String> expected = netty(bytes);
            assertEquals(n, expected.size());
            // Every split of a small exchange; of a large one, every 997th (and all of its head, below).
            for (int split = 0; split < bytes.length; split += bytes.length > 4096 && split > 600 ? 997 : 1) {
                Seen seen = framer(bytes, split == 0 ? new int[0] : new int[] {split}, false);
                assertEquals(expected, seen.answers(), "split at " + split + ": " + text(bytes));
                assertEquals(List.of(), seen.errors());
            }
            for (int r = 0; r < 10; r++) assertEquals(expected, framer(bytes, splits(random, bytes.length), false).answers());
            answers += n;
        }
        assertTrue(answers > 60, answers + " answers");
    }

    /**
     * Heads longer than the step the framer copies a read's bytes in (512), in one read with
     * their bodies and the next answer, or split anywhere: framed as Netty frames them.
     */
    @Test
    void headsLongerThanOneCopyStepFrameAsNettyFramesThem() {
        Random random = new Random(512);
        for (int round = 0; round < 30; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int k = 0; k < 3; k++) {
                StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nx-amzn-RequestId: R" + k + "\r\n");
                int padding = 300 + random.nextInt(3_000);
                for (int h = 0; head.length() < padding; h++) head.append("X-Pad-").append(h).append(": ").append("v".repeat(random.nextInt(200))).append("\r\n");
                byte[] body = new byte[random.nextInt(4_000)];
                random.nextBytes(body);
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                stream.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                stream.writeBytes(body);
            }
            byte[] bytes = stream.toByteArray();
            List<String> expected = netty(bytes);
            assertEquals(3, expected.size());
            assertEquals(expected, framer(bytes, new int[0], false).answers(), "in one read");
            for (int r = 0; r < 20; r++) assertEquals(expected, framer(bytes, splits(random, bytes.length), false).answers());
        }
    }

    @Test
    void malformedAnswersAreNeverHandedOn() {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        List<String> malformed = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\nX: y\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n folded\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}");
        for (String bad : malformed) {
            byte[] bytes = (bad + ok).getBytes(StandardCharsets.ISO_8859_1);
            for (int split = 0; split < bytes.length; split += 3) {
                Seen seen = framer(bytes, split == 0 ? new int[0] : new int[] {split}, false);
                assertEquals(List.of(), seen.answers(), bad);
                assertEquals(1, seen.errors().size(), bad);
                assertInstanceOf(IOException.class, seen.errors().getFirst());
                assertTrue(seen.errors().getFirst().getMessage().startsWith("malformed answer from the upstream store"));
            }
        }
    }

    @Test
    void aBodyWithoutLengthEndsAtTheCloseAndKeepsNothingAlive() {
        byte[] bytes = "HTTP/1.1 200 OK\r\nx-amz-crc32: 7\r\n\r\n{\"a\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(), framer(bytes, new int[0], false).answers(), "not complete before the close");
        assertEquals(List.of("200 crc 7 keep-alive false {\"a\":1}"), framer(bytes, new int[] {20}, true).answers());
        // Cut short inside a length-framed body, the answer never goes on.
        byte[] cut = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(), framer(cut, new int[0], true).answers());
        // Over the limit even without a length.
        byte[] big = ("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(LIMIT + 1)).getBytes(StandardCharsets.ISO_8859_1);
        Seen over = framer(big, new int[] {100, 5000}, true);
        assertEquals(List.of(), over.answers());
        assertEquals(1, over.errors().size());
    }

    @Test
    void overRealSocketsAChunkedAnswerArrivesAndAMalformedOneFailsTheExchange() throws Exception {
        EventLoopGroup group = Transport.NIO.newEventLoopGroup(1);
        List<String> answers = List.of(
                "HTTP/1.1 200 OK\r\nx-amz-crc32: 12\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}");
        try (ServerSocket server = new ServerSocket(0);
             UpstreamClient client = new UpstreamClient(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                     new SigV4Signer(new Credentials("AKIDTEST", "test-secret"), "us-east-1", "dynamodb"), Transport.NIO, group, 1,
                     Duration.ofSeconds(2), Duration.ofSeconds(10), Clock.systemUTC())) {
            Thread store = Thread.ofPlatform().daemon().start(() -> {
                int next = 0;
                try {
                    while (next < answers.size()) {
                        try (Socket s = server.accept()) {
                            InputStream in = s.getInputStream();
                            // One answer per request read; after the malformed one weir closes the connection.
                            while (next < answers.size() && readRequest(in)) {
                                s.getOutputStream().write(answers.get(next++).getBytes(StandardCharsets.ISO_8859_1));
                                s.getOutputStream().flush();
                            }
                        }
                    }
                } catch (IOException e) {
                    // test over
                }
            });
            UpstreamResponse chunked = client.send("DynamoDB_20120810.GetItem", "{}".getBytes()).get(5, TimeUnit.SECONDS);
            assertEquals(200, chunked.status());
            assertEquals("12", chunked.crc32());
            assertEquals("{\"a\":1}", new String(chunked.body(), StandardCharsets.UTF_8));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.send("DynamoDB_20120810.GetItem", "{}".getBytes()).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("malformed answer"), failed.getCause().getMessage());
            UpstreamResponse after = client.send("DynamoDB_20120810.GetItem", "{}".getBytes()).get(5, TimeUnit.SECONDS);
            assertEquals(400, after.status(), "the next exchange reads its own answer, on a new connection");
            assertEquals(0, client.acquired());
            store.join(5_000);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Reads one Content-Length request (SignedRequests writes no other kind); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        int length = 0;
        StringBuilder line = new StringBuilder();
        for (int b; ; ) {
            if ((b = in.read()) < 0) return false;
            if (b != '\n') {
                if (b != '\r') line.append((char) b);
                continue;
            }
            if (line.isEmpty()) break;
            String l = line.toString().toLowerCase();
            if (l.startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
            line.setLength(0);
        }
        return in.readNBytes(length).length == length;
    }

    private static byte[] answer(Random random) {
        StringBuilder head = new StringBuilder();
        if (random.nextInt(5) == 0) head.append("HTTP/1.1 100 Continue\r\n\r\n");
        boolean http10 = random.nextInt(6) == 0;
        int status = new int[] {200, 200, 200, 400, 500, 413}[random.nextInt(6)];
        head.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(status).append(random.nextBoolean() ? " Whatever Reason" : " ").append("\r\n");
        head.append(caseOf(random, "Content-Type")).append(": application/x-amz-json-1.0\r\n");
        head.append(caseOf(random, "x-amzn-RequestId")).append(":").append(random.nextBoolean() ? " " : "").append("R").append(random.nextInt())
                .append("\r\n");
        if (random.nextBoolean()) head.append(caseOf(random, Crc32.HEADER)).append(": \t").append(random.nextInt(1 << 30)).append(" \r\n");
        if (http10 && random.nextBoolean()) head.append("Connection: ").append(oneOf(random, "keep-alive", "Keep-Alive", "TE,\tkeep-alive ")).append("\r\n");
        if (!http10 && random.nextInt(5) == 0) head.append("Connection: ").append(oneOf(random, "close", "Close", "keep-alive, close", "TE , CLOSE")).append("\r\n");
        // Now and then a large answer, sized at once to its declared length (issue 16).
        byte[] body = new byte[random.nextInt(20) == 0 ? random.nextInt(300_000) : random.nextInt(500)];
        random.nextBytes(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (http10 || random.nextBoolean()) {
            head.append(caseOf(random, "Content-Length")).append(": ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        } else {
            head.append("Transfer-Encoding: ").append(oneOf(random, "chunked", "Chunked", "CHUNKED")).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int at = 0; at < body.length; ) {
                int size = Math.min(body.length - at, 1 + random.nextInt(120));
                out.writeBytes((Integer.toHexString(size) + (random.nextInt(4) == 0 ? ";x=y" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, size);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += size;
            }
            out.writeBytes((random.nextBoolean() ? "0\r\nX-T: 1\r\n\r\n" : "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static String oneOf(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String caseOf(Random random, String s) {
        return switch (random.nextInt(3)) {
            case 0 -> s;
            case 1 -> s.toLowerCase();
            default -> s.toUpperCase();
        };
    }

    private static int[] splits(Random random, int length) {
        int[] s = new int[random.nextInt(6)];
        for (int k = 0; k < s.length; k++) s[k] = 1 + random.nextInt(Math.max(1, length - 1));
        java.util.Arrays.sort(s);
        return s;
    }

    private static List<String> netty(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(LIMIT));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<String> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            FullHttpResponse r = (FullHttpResponse) m;
            assertTrue(r.decoderResult().isSuccess(), String.valueOf(r.decoderResult()));
            if (r.status().code() >= 200) {
                out.add(describe(r.status().code(), r.headers().get(Crc32.HEADER), HttpUtil.isKeepAlive(r), ByteBufUtil.getBytes(r.content())));
            }
            r.release();
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static Seen framer(byte[] bytes, int[] splits, boolean thenClose) {
        List<String> answers = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseFramer(LIMIT), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                UpstreamResponse r = ((FramedResponse) msg).response();
                answers.add(describe(r.status(), r.crc32(), ((FramedResponse) msg).keepAlive(), r.body()));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        int at = 0;
        for (int k = 0; k <= splits.length; k++) {
            int to = k < splits.length ? splits[k] : bytes.length;
            if (to > at) ch.writeInbound(Unpooled.copiedBuffer(bytes, at, to - at));
            at = Math.max(at, to);
        }
        if (thenClose) ch.close();
        Seen seen = new Seen(List.copyOf(answers), List.copyOf(errors));
        ch.finishAndReleaseAll();
        return seen;
    }

    private static String describe(int status, String crc, boolean keepAlive, byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return status + " crc " + crc + " keep-alive " + keepAlive + " " + (text.length() < 20 && text.chars().allMatch(c -> c >= 32 && c < 127)
                ? text : ByteBufUtil.hexDump(body));
    }

    private static String text(byte[] bytes) {
        String t = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
