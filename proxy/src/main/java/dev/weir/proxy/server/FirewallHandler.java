package dev.weir.proxy.server;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.http.AcceptEncoding;
import dev.weir.protocol.http.ContentCoding;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.enforce.ProxyResponse;
import dev.weir.proxy.enforce.RequestIds;
import dev.weir.proxy.identity.TlsPeer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thin: turns a {@link FramedRequest} into a {@link HttpRequestView} for the firewall and
 * writes its answer back. It sees one request at a time per connection: {@link InOrder}, in
 * front of it, holds the next one back until this one's answer is written.
 */
final class FirewallHandler extends SimpleChannelInboundHandler<FramedRequest> {
    private static final Logger log = LoggerFactory.getLogger(FirewallHandler.class);
    private static final byte[] HEALTHY = "healthy: weir\n".getBytes(StandardCharsets.UTF_8);
    private final Firewall firewall;
    private final LongAdder answersOffLoop;
    private final boolean compressAnswers;
    private boolean peerRead;
    private TlsPeer peer;

    /**
     * @param answersOffLoop  counts answers that came on another thread than the connection's loop (the write hops)
     * @param compressAnswers whether answers go in the coding the request accepts (see {@link Answer})
     */
    FirewallHandler(Firewall firewall, LongAdder answersOffLoop, boolean compressAnswers) {
        this.firewall = firewall;
        this.answersOffLoop = answersOffLoop;
        this.compressAnswers = compressAnswers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FramedRequest req) {
        boolean keepAlive = req.keepAlive();
        String origin = req.header("Origin");
        boolean fromOrigin = origin != null;
        if (req.method().equals("OPTIONS")) {
            // A browser's preflight carries no credentials; it learns only what any caller may send.
            FullHttpResponse preflight = plain(HttpResponseStatus.OK, new byte[0]);
            Cors.preflight(origin, req.header("Access-Control-Request-Method"), req.header("Access-Control-Request-Headers"))
                    .forEach(h -> preflight.headers().set(h.getKey(), h.getValue()));
            write(ctx, preflight, keepAlive);
            return;
        }
        if (req.method().equals("GET") && req.rawPath().equals("/") && req.header("Authorization") == null) {
            write(ctx, cors(plain(HttpResponseStatus.OK, HEALTHY), fromOrigin), keepAlive);
            return;
        }
        boolean headOnly = req.headOnly();
        ContentCoding coding = compressAnswers ? AcceptEncoding.choose(req.headerValues("Accept-Encoding")) : ContentCoding.IDENTITY;
        HttpRequestView view = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), req.headers(), req.body());
        firewall.handle(view, (InetSocketAddress) ctx.channel().remoteAddress(), tlsPeer(ctx)).whenComplete((resp, err) -> {
            // The answer normally completes on this connection's loop (the upstream client's pool
            // of this loop answered it); when it did not, the write below is handed to the loop.
            if (!ctx.executor().inEventLoop()) answersOffLoop.increment();
            if (err != null) {
                // A fault in weir, never a refusal: DynamoDB's own 500 shape, so the SDK reports it as one.
                // Logged without the exception's messages, which could quote the request (Faults).
                log.error("request failed inside the proxy: {}", Faults.describe(err));
                answer(ctx, ProxyResponse.error(DynamoError.internalServerError("weir could not answer the request")),
                        fromOrigin, false, headOnly, coding);
            } else {
                answer(ctx, resp, fromOrigin, keepAlive, headOnly, coding);
            }
        });
    }

    /** The connection's verified client certificate, read once per connection; null without one. */
    private TlsPeer tlsPeer(ChannelHandlerContext ctx) {
        if (!peerRead) {
            peerRead = true;
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate x509) peer = TlsPeer.of(x509);
                } catch (SSLPeerUnverifiedException e) {
                    peer = null;
                }
            }
        }
        return peer;
    }

    /**
     * Writes the firewall's answer ({@link Answer}, encoded by {@link AnswerEncoder}), in the coding
     * the request accepts when it is large enough; closes the connection when it ends.
     */
    private static void answer(ChannelHandlerContext ctx, ProxyResponse r, boolean fromOrigin, boolean keepAlive, boolean headOnly,
                               ContentCoding coding) {
        var f = ctx.writeAndFlush(new Answer(r.status(), r.body(), r.crc32(), r.requestId() != null ? r.requestId() : requestId(),
                fromOrigin, keepAlive, headOnly, coding));
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    /** A fresh request id, for a response the firewall did not give one (the firewall's own ids are the audit's). */
    static String requestId() {
        return RequestIds.next();
    }

    private static FullHttpResponse cors(FullHttpResponse res, boolean fromOrigin) {
        Cors.response(fromOrigin).forEach(h -> res.headers().set(h.getKey(), h.getValue()));
        return res;
    }

    private static FullHttpResponse plain(HttpResponseStatus status, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        return res;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error: {}", cause.toString());
        ctx.close();
    }
}
