package dev.weir.proxy.upstream;

import dev.weir.bench.jmh.CpuWindows;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU per answer of reading the store's answers, before (Netty's HttpResponseDecoder and
 * HttpObjectAggregator, then the UpstreamResponse made from the FullHttpResponse) and after
 * ({@link ResponseFramer}), on answers shaped like the allow-all load's: GetItem items of the
 * people table (about 600 bytes) and Query pages of 10 (about 6 KB), with the store's headers,
 * one answer per read. Run as {@link dev.weir.proxy.server.ClientFramingCpu} is run (then the upstream requests'
 * encodings compared; with the argument {@code encoding}, only that; with
 * {@code framing}, only the framing; with {@code large}, only 1 MB answers framed).
 */
public final class UpstreamFramingCpu {
    private UpstreamFramingCpu() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("encoding")) {
            encoding();
            return;
        }
        if (args.length > 0 && args[0].equals("large")) {
            large();
            return;
        }
        List<ByteBuf> answers = answers();
        long[] sink = new long[1];
        EmbeddedChannel before = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(UpstreamClient.MAX_RESPONSE_BYTES),
                new SimpleChannelInboundHandler<FullHttpResponse>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                        boolean keepAlive = HttpUtil.isKeepAlive(msg);
                        UpstreamResponse r = new UpstreamResponse(msg.status().code(), msg.headers().get(Crc32.HEADER),
                                ByteBufUtil.getBytes(msg.content()));
                        sink[0] += r.body().length + (keepAlive ? 1 : 0);
                    }
                });
        EmbeddedChannel after = new EmbeddedChannel(new ResponseFramer(UpstreamClient.MAX_RESPONSE_BYTES), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FramedResponse f = (FramedResponse) msg;
                sink[0] += f.response().body().length + (f.keepAlive() ? 1 : 0);
            }
        });
        int[] next = new int[2];
        CpuWindows.compare("upstream answer framing", "before (Netty decoder + aggregator)",
                () -> before.writeInbound(answers.get(next[0]++ % answers.size()).duplicate()),
                "after (ResponseFramer)",
                () -> after.writeInbound(answers.get(next[1]++ % answers.size()).duplicate()));
        if (sink[0] == 42) System.out.println();
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
        if (args.length == 0 || !args[0].equals("framing")) encoding();
    }

    /**
     * A 1 MB answer (a Scan page's size) arriving in reads of 64 KB, as a socket hands it over:
     * Netty's decoder and aggregator against {@link ResponseFramer}, whose body is sized once to
     * the declared length (issue 16; before, it started at 64 KB and doubled, copying as it grew).
     */
    static void large() {
        byte[] body = new byte[1 << 20];
        new java.util.Random(16).nextBytes(body);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: R1\r\nx-amz-crc32: "
                + Crc32.of(body) + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<ByteBuf> reads = new ArrayList<>();
        ByteBuf all = Unpooled.directBuffer(head.length + body.length).writeBytes(head).writeBytes(body);
        for (int at = 0; at < all.writerIndex(); at += 64 * 1024) {
            reads.add(Unpooled.unreleasableBuffer(all.slice(at, Math.min(64 * 1024, all.writerIndex() - at)).asReadOnly()));
        }
        long[] sink = new long[1];
        EmbeddedChannel before = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(UpstreamClient.MAX_RESPONSE_BYTES),
                new SimpleChannelInboundHandler<FullHttpResponse>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                        sink[0] += ByteBufUtil.getBytes(msg.content()).length;
                    }
                });
        EmbeddedChannel after = new EmbeddedChannel(new ResponseFramer(UpstreamClient.MAX_RESPONSE_BYTES), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                sink[0] += ((FramedResponse) msg).response().body().length;
            }
        });
        CpuWindows.compare("a 1 MB store answer in 64 KB reads", "Netty decoder + aggregator", () -> {
            for (ByteBuf r : reads) before.writeInbound(r.duplicate());
        }, "ResponseFramer", () -> {
            for (ByteBuf r : reads) after.writeInbound(r.duplicate());
        });
        if (sink[0] == 42) System.out.println();
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
    }

    /**
     * The upstream request's bytes (signing included, as weir sends them), before issue 16's
     * change (the head built as text, then bytes, then copied: {@link #replacedEncode}) and after
     * ({@link SignedRequests#encode}: the head put together in the thread's array, one copy out), into pooled direct buffers as on a loop.
     */
    static void encoding() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
        SigV4Signer signer = new SigV4Signer(new Credentials("AKIDWEIRUPSTREAM", "weir-upstream-secret"), "us-east-1", "dynamodb");
        SignedRequests requests = new SignedRequests(signer, "127.0.0.1:8000", "/", clock);
        List<byte[]> bodies = new ArrayList<>();
        for (int k = 0; k < 70; k++) {
            bodies.add(("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-" + k + "\"}}}").getBytes(StandardCharsets.UTF_8));
        }
        String target = "DynamoDB_20120810.GetItem";
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        long[] sink = new long[1];
        int[] next = new int[2];
        CpuWindows.compare("upstream request encoding (signing included)", "before (StringBuilder, String, byte[], copy)", () -> {
            ByteBuf b = replacedEncode(signer, "127.0.0.1:8000", "/", clock, alloc, target, bodies.get(next[0]++ % bodies.size()));
            sink[0] += b.readableBytes();
            b.release();
        }, "after (head in the thread's array, one copy out)", () -> {
            ByteBuf b = requests.encode(alloc, target, bodies.get(next[1]++ % bodies.size()));
            sink[0] += b.readableBytes();
            b.release();
        });
        if (sink[0] == 42) System.out.println();
    }

    /** {@link SignedRequests#encode} as it was before issue 16's change, for the comparison. */
    private static ByteBuf replacedEncode(SigV4Signer signer, String host, String path, Clock clock, ByteBufAllocator alloc,
                                          String target, byte[] body) {
        SignedRequests.requireFieldValue(Target.HEADER, target);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + Target.CONTENT_TYPE + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Map.Entry<String, String>> signed = signer.signPost(path, host, Target.CONTENT_TYPE, target, body, null, clock.instant());
        StringBuilder sb = new StringBuilder(320);
        sb.append(Target.HEADER).append(": ").append(target).append("\r\n");
        for (Map.Entry<String, String> h : signed) {
            sb.append(h.getKey()).append(": ").append(SignedRequests.requireFieldValue(h.getKey(), h.getValue())).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headers = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = alloc.buffer(head.length + headers.length + body.length);
        return out.writeBytes(head).writeBytes(headers).writeBytes(body);
    }

    /** Nine GetItem answers to one Query page, as the default mix asks (60:10). */
    static List<ByteBuf> answers() {
        List<ByteBuf> out = new ArrayList<>();
        for (int k = 0; k < 70; k++) {
            String body = k % 7 == 6 ? "{\"Count\":10,\"Items\":[" + String.join(",", java.util.Collections.nCopies(10, item(k))) + "],\"ScannedCount\":10}"
                    : "{\"Item\":" + item(k) + "}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: R" + (100_000 + k)
                    + "\r\nx-amz-crc32: " + Crc32.of(b) + "\r\nContent-Length: " + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            ByteBuf buf = Unpooled.directBuffer(h.length + b.length).writeBytes(h).writeBytes(b);
            out.add(Unpooled.unreleasableBuffer(buf.asReadOnly()));
        }
        return out;
    }

    private static String item(int k) {
        return "{\"id\":{\"S\":\"p-" + k + "\"},\"name\":{\"S\":\"Person " + k + "\"},\"email\":{\"S\":\"person" + k
                + "@example.com\"},\"ssn\":{\"S\":\"123-45-" + (1000 + k) + "\"},\"salary\":{\"N\":\"" + (50_000 + k)
                + "\"},\"region\":{\"S\":\"eu\"},\"address\":{\"M\":{\"street\":{\"S\":\"Main Street " + k
                + "\"},\"city\":{\"S\":\"Berlin\"}}},\"prefs\":{\"M\":{\"lang\":{\"S\":\"de\"},\"contact\":{\"S\":\"email\"}}},"
                + "\"tags\":{\"SS\":[\"vip\",\"beta\"]},\"notes\":{\"S\":\"" + "n".repeat(120) + "\"}}";
    }
}
