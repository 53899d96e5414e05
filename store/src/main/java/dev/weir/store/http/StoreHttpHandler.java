package dev.weir.store.http;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import dev.weir.store.api.ApiResponse;
import dev.weir.store.api.RequestDispatcher;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests: each is handed to the worker pool and its response written
 * back on the event loop. Requests of a connection are answered one at a time, in order
 * (HTTP/1.1 pipelining stays correct), and reading pauses while requests wait, so a fast
 * client cannot queue work without bound. Nothing here blocks the event loop.
 */
final class StoreHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(StoreHttpHandler.class);
    private static final byte[] HEALTHY = "healthy: dynamodb.us-east-1.amazonaws.com ".getBytes(StandardCharsets.US_ASCII);
    private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    private record Pending(String target, String contentType, byte[] body, boolean keepAlive) {}

    private final RequestDispatcher dispatcher;
    private final Executor workers;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;

    StoreHttpHandler(RequestDispatcher dispatcher, Executor workers) {
        this.dispatcher = dispatcher;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", new byte[0], false);
            return;
        }
        if (request.method().equals(HttpMethod.GET)) {
            send(ctx, HttpResponseStatus.OK, "text/plain", HEALTHY, keepAlive);
            return;
        }
        queue.add(new Pending(
                request.headers().get(Target.HEADER),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                ByteBufUtil.getBytes(request.content()),
                keepAlive));
        ctx.channel().config().setAutoRead(false);
        if (!busy) next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        Pending p = queue.poll();
        if (p == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        try {
            workers.execute(() -> {
                ApiResponse response = dispatcher.dispatch(p.target(), p.contentType(), p.body());
                ctx.executor().execute(() -> respond(ctx, p, response));
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, p, ApiResponse.of(DynamoError.serviceUnavailable("The store is shutting down or overloaded")));
        }
    }

    private void respond(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
        boolean keepAlive = p.keepAlive() && ctx.channel().isActive();
        send(ctx, HttpResponseStatus.valueOf(response.status()), Target.CONTENT_TYPE, response.body(), keepAlive);
        if (keepAlive) next(ctx);
        else queue.clear();
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, byte[] body,
                             boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(Crc32.HEADER, Crc32.of(body))
                .set(REQUEST_ID_HEADER, RequestIds.next());
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) future.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
