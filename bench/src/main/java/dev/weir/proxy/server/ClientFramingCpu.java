package dev.weir.proxy.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.bench.jmh.CpuWindows;
import dev.weir.bench.load.Endpoint;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.bench.load.PreparedRequest;
import dev.weir.bench.load.RequestSigner;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU per request of reading client requests: weir's framing guard, the only parser (issue 16),
 * against Netty's decoder and aggregator doing the same parse without the guard's checks (the
 * pipeline before the guard became the parser ran both): the allow-all load's real request bytes (PeopleWorkload's default
 * mix, GetItem 60, PutItem 30, Query 10, SigV4-signed as the load generator signs them), one
 * request per read as a keep-alive client sends them, through an EmbeddedChannel with
 *
 * <ul>
 *   <li><b>baseline</b>: Netty's HttpRequestDecoder and HttpObjectAggregator, then what
 *       FirewallHandler did with their request (headers into a list, body into a
 *       byte[], keep-alive, the {@link HttpRequestView});</li>
 *   <li><b>after</b>: {@link HttpFramingGuard} alone, then the {@link HttpRequestView} made from
 *       its {@link FramedRequest}.</li>
 * </ul>
 *
 * Both in one process, windows alternating, by thread CPU ({@link CpuWindows}). Run with the
 * bench class path: {@code java -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)"
 * dev.weir.proxy.server.ClientFramingCpu} (then the answers' encodings compared; with the argument {@code encoding},
 * only that; with {@code framing}, only the framing). It sits in the server package to reach the guard,
 * which is not public.
 */
public final class ClientFramingCpu {
    private ClientFramingCpu() {}

    private static final HttpFramingGuard.Settings SETTINGS = new HttpFramingGuard.Settings(
            ProxyServer.Limits.DEFAULT.maxInitialLine() + ProxyServer.Limits.DEFAULT.maxHeaderBytes(),
            ProxyServer.Limits.DEFAULT.maxBodyBytes(), 30_000, 60_000, 5_000);

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("encoding")) {
            encoding();
            return;
        }
        List<PreparedRequest> requests = requests();
        long[] sink = new long[1];
        EmbeddedChannel before = new EmbeddedChannel(
                new HttpRequestDecoder(ProxyServer.Limits.DEFAULT.maxInitialLine(), ProxyServer.Limits.DEFAULT.maxHeaderBytes(), 64 * 1024),
                new HttpObjectAggregator(ProxyServer.Limits.DEFAULT.maxBodyBytes()),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                        boolean keepAlive = HttpUtil.isKeepAlive(req);
                        String uri = req.uri();
                        int q = uri.indexOf('?');
                        String path = q < 0 ? uri : uri.substring(0, q);
                        List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers().size());
                        for (Map.Entry<String, String> h : req.headers()) headers.add(h);
                        HttpRequestView view = new HttpRequestView(req.method().name(), path, q < 0 ? "" : uri.substring(q + 1),
                                headers, ByteBufUtil.getBytes(req.content()));
                        sink[0] += view.body().length + view.headers().size() + (keepAlive ? 1 : 0);
                    }
                });
        EmbeddedChannel after = new EmbeddedChannel(new HttpFramingGuard(SETTINGS), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FramedRequest req = (FramedRequest) msg;
                HttpRequestView view = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), req.headers(), req.body());
                sink[0] += view.body().length + view.headers().size() + (req.keepAlive() ? 1 : 0);
            }
        });
        int[] next = new int[2];
        CpuWindows.compare("client request framing", "Netty decoder + aggregator (no checks)", () -> {
            before.writeInbound(requests.get(next[0]++ % requests.size()).bytes().duplicate());
        }, "weir's framing guard (checks and parse)", () -> {
            after.writeInbound(requests.get(next[1]++ % requests.size()).bytes().duplicate());
        });
        if (sink[0] == 42) System.out.println();
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
        if (args.length == 0 || !args[0].equals("framing")) encoding();
    }

    /**
     * The answer's bytes, before issue 16's change (the head built as text, then bytes, then
     * copied: {@link #replacedEncode}) and after ({@link Answer#encode}: the head put together in the thread's array, one copy out), for
     * answers shaped like the allow-all load's (GetItem items, a Query page now and then), into
     * pooled direct buffers as on a loop.
     */
    static void encoding() {
        List<Answer> answers = new ArrayList<>();
        for (int k = 0; k < 70; k++) {
            String item = "{\"id\":{\"S\":\"p-" + k + "\"},\"name\":{\"S\":\"Person " + k + "\"},\"notes\":{\"S\":\"" + "n".repeat(400) + "\"}}";
            String body = k % 7 == 6 ? "{\"Count\":10,\"Items\":[" + String.join(",", java.util.Collections.nCopies(10, item)) + "]}"
                    : "{\"Item\":" + item + "}";
            byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            answers.add(new Answer(200, b, Crc32.of(b), "R" + (100_000 + k), false, true, false));
        }
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        long[] sink = new long[1];
        int[] next = new int[2];
        CpuWindows.compare("client answer encoding", "before (StringBuilder, String, byte[], copy)", () -> {
            ByteBuf b = replacedEncode(answers.get(next[0]++ % answers.size()), alloc);
            sink[0] += b.readableBytes();
            b.release();
        }, "after (head in the thread's array, one copy out)", () -> {
            ByteBuf b = answers.get(next[1]++ % answers.size()).encode(alloc);
            sink[0] += b.readableBytes();
            b.release();
        });
        if (sink[0] == 42) System.out.println();
    }

    /** {@link Answer#encode} as it was before issue 16's change (identity coding, as the comparison's answers), for the comparison. */
    private static ByteBuf replacedEncode(Answer a, ByteBufAllocator alloc) {
        StringBuilder cors = new StringBuilder();
        if (a.fromOrigin()) {
            for (Map.Entry<String, String> h : Cors.response(true)) cors.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        HttpResponseStatus s = HttpResponseStatus.valueOf(a.status());
        StringBuilder sb = new StringBuilder(200);
        sb.append("HTTP/1.1 ").append(a.status()).append(' ').append(s.reasonPhrase()).append("\r\n")
                .append("Content-Type: " + Target.CONTENT_TYPE + "\r\n");
        byte[] body = a.body();
        String crc32 = a.crc32();
        sb.append(Crc32.HEADER).append(": ").append(isDecimal(crc32) ? crc32 : Crc32.of(body)).append("\r\n");
        sb.append("x-amzn-RequestId: ").append(a.requestId()).append("\r\n");
        sb.append(cors);
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        if (!a.keepAlive()) sb.append("Connection: close\r\n");
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf out = alloc.buffer(head.length + (a.headOnly() ? 0 : body.length));
        out.writeBytes(head);
        if (!a.headOnly()) out.writeBytes(body);
        return out;
    }

    private static boolean isDecimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** 1,000 requests of the allow-all load's default mix, signed as the load generator signs them. */
    static List<PreparedRequest> requests() {
        PeopleWorkload people = new PeopleWorkload(new ObjectMapper(), 10_000);
        RequestSigner signer = new RequestSigner(new Endpoint("weir", "127.0.0.1", 8000,
                new Credentials("AKIDBENCH", "bench-secret")), Instant.now());
        List<PreparedRequest> out = new ArrayList<>();
        for (int k = 0; k < 1_000; k++) {
            int slot = k % 10;
            String op = slot < 6 ? "GetItem" : slot < 9 ? "PutItem" : "Query";
            out.add(signer.prepare(Operation.valueOf(op), people.sampleBody(op, k)));
        }
        return out;
    }
}
