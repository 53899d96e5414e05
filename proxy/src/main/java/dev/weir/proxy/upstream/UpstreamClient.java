package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends requests to the upstream DynamoDB-compatible store over pooled keep-alive
 * connections, signed with the proxy's own credentials (client credentials never reach
 * the store). Never blocks: every call returns a future completed on an I/O thread.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final AttributeKey<CompletableFuture<UpstreamResponse>> PENDING = AttributeKey.valueOf("weir.pending");
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final int MAX_WAITING_FOR_A_CONNECTION = 10_000;

    private final FixedChannelPool pool;
    private final SigV4Signer signer;
    private final String hostHeader;
    private final String path;
    private final Duration timeout;
    private final Clock clock;

    public UpstreamClient(URI endpoint, SigV4Signer signer, Transport transport, EventLoopGroup group, int maxConnections,
                          Duration connectTimeout, Duration timeout, Clock clock) {
        if (!"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("upstream must be an http:// URL for now, got " + endpoint);
        }
        int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        this.hostHeader = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + port);
        this.path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(endpoint.getHost(), port);
        // Waiting for a pooled connection counts against the same timeout as the exchange, and
        // the queue of waiters is bounded: a stuck upstream answers 503, it never hangs callers.
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                        new ResponseHandler());
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, timeout.toMillis(),
                maxConnections, MAX_WAITING_FOR_A_CONNECTION);
    }

    /** Sends one DynamoDB request; the future fails with an IOException or TimeoutException. */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body) {
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        pool.acquire().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to the upstream store", f.cause()));
                return;
            }
            Channel ch = f.getNow();
            ch.attr(PENDING).set(result);
            ch.pipeline().get(ResponseHandler.class).armTimeout(ch);
            ch.writeAndFlush(request(target, body)).addListener(w -> {
                if (!w.isSuccess()) {
                    result.completeExceptionally(new IOException("cannot send to the upstream store", w.cause()));
                    ch.close();
                }
            });
        });
        return result;
    }

    private FullHttpRequest request(String target, byte[] body) {
        List<Map.Entry<String, String>> toSign = new ArrayList<>(3);
        toSign.add(Map.entry("Host", hostHeader));
        toSign.add(Map.entry("Content-Type", Target.CONTENT_TYPE));
        toSign.add(Map.entry(Target.HEADER, target));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        for (Map.Entry<String, String> h : toSign) req.headers().set(h.getKey(), h.getValue());
        for (Map.Entry<String, String> h : signer.sign("POST", path, toSign, body, clock.instant())) {
            req.headers().set(h.getKey(), h.getValue());
        }
        req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return req;
    }

    /**
     * Reads the store's answers on one pooled connection and times its exchanges out. The
     * timeout is one task per connection that is re-armed by moving a deadline (scheduling
     * and cancelling a task for every exchange costs more than the check): when it fires
     * before the current deadline it reschedules itself for the rest; with no exchange
     * pending it ends. Exchanges are armed from the pool's thread, the task runs on the
     * connection's, hence the volatile fields.
     */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private volatile long deadline;
        private final AtomicBoolean timerScheduled = new AtomicBoolean();

        /** Gives the exchange just started on {@code ch} the client's timeout. */
        void armTimeout(Channel ch) {
            deadline = System.nanoTime() + timeout.toNanos();
            // The deadline is written before the flag is tested and the task clears the flag
            // before it reads the deadline, so a new deadline is never left without a task.
            if (timerScheduled.compareAndSet(false, true)) schedule(ch, timeout.toNanos());
        }

        private void schedule(Channel ch, long delayNanos) {
            ch.eventLoop().schedule(() -> checkTimeout(ch), delayNanos, TimeUnit.NANOSECONDS);
        }

        private void checkTimeout(Channel ch) {
            timerScheduled.set(false);
            CompletableFuture<UpstreamResponse> pending = ch.attr(PENDING).get();
            if (pending == null || pending.isDone() || !ch.isActive()) return;
            long left = deadline - System.nanoTime();
            if (left > 0) {
                if (timerScheduled.compareAndSet(false, true)) schedule(ch, left);
            } else if (pending.completeExceptionally(new TimeoutException("upstream did not answer in " + timeout))) {
                ch.close();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            Channel ch = ctx.channel();
            CompletableFuture<UpstreamResponse> pending = ch.attr(PENDING).getAndSet(null);
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            UpstreamResponse response = new UpstreamResponse(msg.status().code(),
                    msg.headers().get(Crc32.HEADER), ByteBufUtil.getBytes(msg.content()));
            if (!keepAlive || pending == null || pending.isDone()) ch.close();
            pool.release(ch);
            if (pending != null) pending.complete(response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<UpstreamResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending != null) {
                // Also the end of a timed-out or failed exchange: the channel goes back to the
                // pool (which drops it as inactive) so the pool never leaks a slot.
                pending.completeExceptionally(new IOException("upstream closed the connection"));
                pool.release(ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
