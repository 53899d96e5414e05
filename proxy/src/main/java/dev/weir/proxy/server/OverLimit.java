package dev.weir.proxy.server;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline of a connection {@link ConnectionLimiter} refused: it answers at once
 * (after the TLS handshake on a TLS listener) with DynamoDB's 503 ServiceUnavailableException
 * and {@code Retry-After}, whatever the client sends, which it reads and discards, and closes.
 * SDKs send their request and then read, so they read this answer and retry after a pause,
 * where a silently closed connection looks like a network fault. After the answer weir stops
 * sending but keeps reading until the client closes or {@link #LIFETIME_MILLIS} after accept
 * (closing with unread input would make the kernel reset the connection and destroy the answer
 * before the client reads it).
 */
final class OverLimit extends ChannelInboundHandlerAdapter {
    /** A refused connection is closed this long after it was accepted, at the latest. */
    static final long LIFETIME_MILLIS = 2_000;
    /** Seconds a client is told to wait before it retries. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final String why;
    private final boolean tls;
    private boolean answered;

    OverLimit(String why, boolean tls) {
        this.why = why;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LIFETIME_MILLIS, TimeUnit.MILLISECONDS);
        if (!tls) answer(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) answer(ctx);
            else ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void answer(ChannelHandlerContext ctx) {
        if (answered) return;
        answered = true;
        ctx.writeAndFlush(response(why, FirewallHandler.requestId())).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            } else if (ctx.pipeline().get(SslHandler.class) instanceof SslHandler ssl) {
                ssl.closeOutbound();
            } else if (ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
    }

    /** The raw HTTP/1.1 answer: 503, Retry-After, DynamoDB's JSON error, and the end of the connection. */
    static ByteBuf response(String why, String requestId) {
        byte[] body = DynamoError.serviceUnavailable(why).toJsonBytes();
        String head = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: " + Target.CONTENT_TYPE + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n"
                + "x-amzn-RequestId: " + requestId + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        return io.netty.buffer.Unpooled.buffer(h.length + body.length).writeBytes(h).writeBytes(body);
    }
}
