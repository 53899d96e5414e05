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
import io.netty.util.Timeout;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

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
    private final EventLoopGroup group;

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
        this.group = group;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(endpoint.getHost(), port);
        // Each request's deadline bounds its wait for a pooled connection (send). The pool's own
        // bound on the wait, the client timeout, is never shorter than a request's deadline: it
        // only clears out waiters whose requests have given up. The queue of waiters is bounded
        // too: a stuck upstream answers 503, it never hangs callers.
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                        new ResponseHandler());
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, timeout.toMillis(),
                maxConnections, MAX_WAITING_FOR_A_CONNECTION);
    }

    /**
     * Sends one DynamoDB request with a deadline of the client timeout from now (for weir's own
     * lookups); the future fails with an IOException or TimeoutException.
     */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body) {
        return send(target, body, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Sends one DynamoDB request that must be answered by {@code deadlineNanos} (on
     * {@link System#nanoTime()}): the wait for a pooled connection, connecting, sending and the
     * store's answer all count against it. At the deadline the future fails with a
     * {@link TimeoutException}, whatever the request is waiting for; a connection whose
     * exchange was cut is closed (its answer could come late and be read as the next one's),
     * a connection the pool hands over after the deadline goes straight back unused.
     */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return CompletableFuture.failedFuture(new TimeoutException("the request's deadline had passed"));
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        Exchange exchange = new Exchange(result);
        Timeout timer = DeadlineTimer.at(deadlineNanos, group, exchange::expire);
        result.whenComplete((r, e) -> timer.cancel());
        pool.acquire().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to the upstream store", f.cause()));
                return;
            }
            Channel ch = f.getNow();
            if (!exchange.start(ch)) return;
            ch.writeAndFlush(request(target, body)).addListener(w -> {
                if (!w.isSuccess()) {
                    result.completeExceptionally(new IOException("cannot send to the upstream store", w.cause()));
                    ch.close();
                }
            });
        });
        return result;
    }

    /**
     * One request's claim on a pooled connection. The connection's {@link #PENDING} slot names
     * the exchange on it; whoever takes the slot back (the answer, the connection closing, or
     * the deadline) is the one that gives the connection back to the pool, so it goes back
     * exactly once.
     */
    private final class Exchange {
        private final CompletableFuture<UpstreamResponse> result;
        private volatile Channel channel;

        Exchange(CompletableFuture<UpstreamResponse> result) {
            this.result = result;
        }

        /** Puts the exchange on {@code ch}; false (and {@code ch} back in the pool) when its deadline passed already. */
        boolean start(Channel ch) {
            channel = ch;
            ch.attr(PENDING).set(result);
            if (!result.isDone()) return true;
            if (ch.attr(PENDING).compareAndSet(result, null)) pool.release(ch);
            return false;
        }

        /** The deadline: fails the request and, if it is on a connection still, closes that connection. */
        void expire() {
            if (!result.completeExceptionally(new TimeoutException("upstream did not answer before the request's deadline"))) return;
            Channel ch = channel;
            if (ch != null && ch.attr(PENDING).compareAndSet(result, null)) {
                ch.close().addListener(c -> pool.release(ch));
            }
        }
    }

    /** Where the client's deadlines end: its I/O threads (for {@link DeadlineTimer} users that wait on it). */
    public Executor executor() {
        return group;
    }

    /** The client timeout: the deadline of a {@link #send(String, byte[])} without one, and the pool's bound on waiting. */
    public Duration timeout() {
        return timeout;
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

    /** Reads the store's answers on one pooled connection and completes the exchange waiting on it. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            Channel ch = ctx.channel();
            CompletableFuture<UpstreamResponse> pending = ch.attr(PENDING).getAndSet(null);
            if (pending == null) {
                // An answer no exchange waits for (one cut at its deadline, whose connection is
                // closing and goes back to the pool from there, or an unsolicited one): the
                // connection is out of step, so it is closed, never given back twice.
                ch.close();
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            UpstreamResponse response = new UpstreamResponse(msg.status().code(),
                    msg.headers().get(Crc32.HEADER), ByteBufUtil.getBytes(msg.content()));
            if (!keepAlive || pending.isDone()) ch.close();
            pool.release(ch);
            pending.complete(response);
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
