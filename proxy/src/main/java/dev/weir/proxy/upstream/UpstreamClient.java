package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends requests to the upstream DynamoDB-compatible store over pooled keep-alive
 * connections, signed with the proxy's own credentials (client credentials never reach
 * the store). Never blocks: every call returns a future completed on an I/O thread.
 *
 * <p><b>One event loop owns an exchange.</b> Each event loop of the group has its own pool
 * of upstream connections, made on first use. A request sent from one of the group's loops
 * (a client's request, handled on that client connection's loop) goes out on a connection
 * of that loop's pool: acquiring, writing, reading the answer, releasing and the deadline all
 * run on that loop, and the future completes there, so whatever the caller chains on it (the
 * firewall's filtering, the write to the client) runs on the client's loop without a hand-off
 * or a lock. A request sent from any other thread (weir's own lookups on a timer, the
 * lifecycle worker, tests) is handed to a loop chosen round-robin: one hop.
 *
 * <p><b>{@code maxConnections} stays a total bound.</b> It is split across the loops: each
 * gets {@code maxConnections / loops}, the first {@code maxConnections % loops} one more. With
 * fewer connections than loops, a loop whose share is 0 sends through the others
 * (round-robin, one hop). The bound on requests waiting for a connection is split the same way.
 *
 * <p><b>https.</b> An {@code https://} endpoint is reached over TLS ({@link UpstreamTls}: the
 * system's or a configured CA, host name verified, SNI sent); each pooled connection does its
 * handshake once, when it is made, and then carries requests like a plain one. A handshake that
 * fails fails the exchange with an {@link UpstreamTlsException}; there is no retry in plain text.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);
    /** The largest answer body read from the store; a larger one fails its exchange. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    /** Requests that may wait for a pooled connection, over all loops; beyond, a request fails at once (503). */
    static final int MAX_WAITING_FOR_A_CONNECTION = 10_000;

    private final Bootstrap bootstrap;
    private final SignedRequests requests;
    private final Duration timeout;
    private final EventLoopGroup group;
    /** The group's loops; a pool's index is its loop's. */
    private final EventLoop[] loops;
    /** Each loop's exchange deadlines (touched on that loop only). */
    private final LoopDeadlines[] deadlines;
    /** Each loop's share of {@code maxConnections} (0 for some when there are fewer connections than loops). */
    private final int[] shares;
    /** The loops whose share is not 0: where a call from elsewhere goes, round-robin. */
    private final int[] sending;
    private final int waitersPerLoop;
    private final AtomicInteger nextLoop = new AtomicInteger();
    /** Each loop's pool, made on that loop on first use; slot i is written by loop i (and by {@link #close}). */
    private final AtomicReferenceArray<LoopPool> pools;
    private final LongAdder releaseFailures = new LongAdder();
    /** TLS to the store (https), else null. */
    private final SslContext tls;
    /** The endpoint's host as TLS checks it and sends it as SNI (an IPv6 literal without brackets), and its port. */
    private final String tlsHost;
    private final int port;
    private final int handshakeTimeoutMillis;
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private volatile boolean closed;

    /** A client of an {@code http://} endpoint, or of an {@code https://} one trusting the system's CAs. */
    public UpstreamClient(URI endpoint, SigV4Signer signer, Transport transport, EventLoopGroup group, int maxConnections,
                          Duration connectTimeout, Duration timeout, Clock clock) {
        this(endpoint, signer, transport, group, maxConnections, connectTimeout, timeout, clock, null);
    }

    /**
     * A client of {@code endpoint}: {@code http://}, or {@code https://} with {@code tls} (a client
     * context from {@link UpstreamTls}; null: one trusting the system's CAs). A TLS context for an
     * {@code http://} endpoint is refused: it would suggest a protection the connection does not have.
     */
    public UpstreamClient(URI endpoint, SigV4Signer signer, Transport transport, EventLoopGroup group, int maxConnections,
                          Duration connectTimeout, Duration timeout, Clock clock, SslContext tls) {
        boolean https = "https".equals(endpoint.getScheme());
        if (!https && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("upstream must be an http:// or https:// URL, got " + endpoint);
        }
        if (!https && tls != null) throw new IllegalArgumentException("a TLS context for an http:// upstream: " + endpoint);
        if (endpoint.getHost() == null) throw new IllegalArgumentException("upstream URL has no host: " + endpoint);
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        if (https && tls == null) {
            try {
                tls = UpstreamTls.clientContext(null);
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot set up TLS with the system's trusted CAs: " + e.getMessage(), e);
            }
        }
        this.tls = tls;
        String host = endpoint.getHost();
        this.tlsHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        this.handshakeTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
        int port = endpoint.getPort() < 0 ? (https ? 443 : 80) : endpoint.getPort();
        this.port = port;
        this.requests = new SignedRequests(signer, endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + port),
                endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath(), clock);
        this.timeout = timeout;
        this.group = group;
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor e : group) all.add((EventLoop) e);
        this.loops = all.toArray(EventLoop[]::new);
        this.deadlines = new LoopDeadlines[loops.length];
        for (int k = 0; k < loops.length; k++) deadlines[k] = new LoopDeadlines(loops[k]);
        this.shares = new int[loops.length];
        List<Integer> withShare = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            shares[i] = maxConnections / loops.length + (i < maxConnections % loops.length ? 1 : 0);
            if (shares[i] > 0) withShare.add(i);
        }
        this.sending = withShare.stream().mapToInt(Integer::intValue).toArray();
        this.waitersPerLoop = Math.max(1, MAX_WAITING_FOR_A_CONNECTION / sending.length);
        this.pools = new AtomicReferenceArray<>(loops.length);
        this.bootstrap = new Bootstrap().channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(endpoint.getHost(), port);
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
     * a connection the pool hands over after the deadline goes straight back unused. Called on
     * one of the group's loops, everything happens on that loop and the future completes there.
     */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body, long deadlineNanos) {
        return send(target, body, deadlineNanos, null);
    }

    /**
     * As {@link #send(String, byte[], long)}, with the body's SHA-256 (hex) when the caller has it
     * already (a client's body forwarded unchanged, whose signature weir verified over it), so it
     * is not hashed twice; null to have it computed.
     */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body, long deadlineNanos, String payloadHash) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return CompletableFuture.failedFuture(new TimeoutException("the request's deadline had passed"));
        if (closed) return CompletableFuture.failedFuture(new IOException("the upstream client is closed"));
        int i = loopFor();
        EventLoop loop = loops[i];
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        Exchange exchange = new Exchange(result, target, body, payloadHash);
        LoopDeadlines deadlines = this.deadlines[i];
        result.whenComplete((r, e) -> {
            disarm(loop, deadlines, exchange);
            count(r, e);
        });
        if (loop.inEventLoop()) {
            exchange.begin(i, deadlines, deadlineNanos);
        } else {
            try {
                loop.execute(() -> exchange.begin(i, deadlines, deadlineNanos));
            } catch (RejectedExecutionException shuttingDown) {
                result.completeExceptionally(new IOException("the upstream client is shutting down", shuttingDown));
            }
        }
        return result;
    }

    /** Takes an ended exchange's deadline off its loop's list: at once on the loop (nearly always), else handed to it. */
    private static void disarm(EventLoop loop, LoopDeadlines deadlines, Exchange exchange) {
        if (loop.inEventLoop()) {
            deadlines.disarm(exchange);
            return;
        }
        try {
            loop.execute(() -> deadlines.disarm(exchange));
        } catch (RejectedExecutionException shuttingDown) {
            // the loop runs no more tasks, its deadlines' timer included
        }
    }

    /** Counts a failed exchange (for the metrics); striped adders, touched only when an exchange fails. */
    private void count(UpstreamResponse r, Throwable e) {
        if (e != null) (e instanceof TimeoutException ? timeouts : failures).increment();
        else if (r.status() >= 500) serverErrors.increment();
    }

    /** Exchanges (weir's own lookups included) that failed at their deadline. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Exchanges that failed without an answer before their deadline: no connection, a cut connection, an unreadable answer. */
    public long failures() {
        return failures.sum();
    }

    /** Exchanges the store answered with a 5xx status. */
    public long serverErrors() {
        return serverErrors.sum();
    }

    /** The index of the loop a call from this thread is sent on: its own, or (from elsewhere, or a loop without a share) the next one round-robin. */
    private int loopFor() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                if (shares[i] > 0) return i;
                break;
            }
        }
        return sending[Math.floorMod(nextLoop.getAndIncrement(), sending.length)];
    }

    /** Loop {@code i}'s pool, made on first use; called on loop {@code i} only. Null once the client is closed. */
    private LoopPool pool(int i) {
        LoopPool pool = pools.get(i);
        if (pool != null || closed) return pool;
        // Each request's deadline bounds its wait for a connection; the queue of waiters is
        // bounded too, so a stuck upstream answers 503 and never hangs callers. The pool
        // connects on its own loop, so everything about a connection stays on that loop.
        pool = new LoopPool(bootstrap.clone(loops[i]).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // TLS first (its handshake starts when the connection is up; requests written before it
                // ends wait inside the SslHandler, so none leaves in plain text), bounded like connecting.
                if (tls != null) {
                    SslHandler ssl = tls.newHandler(ch.alloc(), tlsHost, port);
                    ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                    ch.pipeline().addLast(ssl);
                }
                // Requests are written as bytes (SignedRequests): only answers are read, in place.
                // The connection's state lives in the handler that reads its answers.
                ch.pipeline().addLast(new ResponseFramer(MAX_RESPONSE_BYTES), new ResponseHandler(new PooledConnection(ch)));
            }
        }), shares[i], waitersPerLoop, why -> {
            releaseFailures.increment();
            log.warn("an upstream connection could not be given back to its pool: {}", why);
        }, ch -> {
            ResponseHandler handler = ch.pipeline().get(ResponseHandler.class);
            return handler == null ? null : handler.connection;
        });
        pools.set(i, pool);
        // close() may have run between the check above and the set: whoever takes the slot back closes the pool.
        if (closed && pools.compareAndSet(i, pool, null)) {
            pool.close();
            return null;
        }
        return pool;
    }

    /** Gives {@code c} back to its loop's pool (on that loop); a release of a connection not handed out (a bug) is counted and logged. */
    private void release(PooledConnection c) {
        Channel ch = c.channel;
        if (!ch.eventLoop().inEventLoop()) {
            try {
                ch.eventLoop().execute(() -> release(c));
            } catch (RejectedExecutionException loopGone) {
                ch.close();
            }
            return;
        }
        LoopPool pool = pools.get(indexOf(ch.eventLoop()));
        if (pool == null) {
            ch.close();
            return;
        }
        pool.release(c);
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) if (loops[i] == loop) return i;
        throw new IllegalStateException("a connection on a loop outside the client's group");
    }

    /**
     * One request's claim on a pooled connection. The connection's pending slot ({@link PooledConnection}) names
     * the exchange on it; whoever takes the slot back (the answer, the connection closing, or
     * the deadline) is the one that gives the connection back to the pool, so it goes back
     * exactly once. Every method runs on the exchange's loop (the deadline's too, unless the
     * loop is shutting down).
     */
    private final class Exchange extends LoopDeadlines.Node implements LoopPool.Taker {
        private final CompletableFuture<UpstreamResponse> result;
        private final String target;
        private final byte[] body;
        private final String payloadHash;
        /** The connection the request went out on (set and read on the exchange's loop, as the deadline runs there). */
        private PooledConnection connection;

        Exchange(CompletableFuture<UpstreamResponse> result, String target, byte[] body, String payloadHash) {
            this.result = result;
            this.target = target;
            this.body = body;
            this.payloadHash = payloadHash;
        }

        /** On loop {@code i}: arms the deadline and asks the loop's pool for a connection ({@link #take} sends the request on it). */
        void begin(int i, LoopDeadlines deadlines, long deadlineNanos) {
            if (result.isDone()) return;
            deadlines.arm(this, deadlineNanos);
            LoopPool pool = pool(i);
            if (pool == null) {
                result.completeExceptionally(new IOException("the upstream client is closed"));
                return;
            }
            pool.acquire(this);
        }

        @Override
        public void take(PooledConnection c) {
            if (!start(c)) return;
            Channel ch = c.channel;
            ByteBuf request;
            try {
                request = requests.encode(ch.alloc(), target, body, payloadHash);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                if (c.takeBack(result)) release(c);
                return;
            }
            ch.writeAndFlush(request).addListener(w -> {
                if (!w.isSuccess()) {
                    result.completeExceptionally(failure(ch, "cannot send to the upstream store", w.cause()));
                    ch.close();
                }
            });
        }

        @Override
        public void fail(IOException e) {
            result.completeExceptionally(e);
        }

        @Override
        public boolean gaveUp() {
            return result.isDone();
        }

        /** Puts the exchange on {@code c}; false (and {@code c} back in the pool) when its deadline passed already. */
        private boolean start(PooledConnection c) {
            connection = c;
            c.await(result);
            if (!result.isDone()) return true;
            if (c.takeBack(result)) release(c);
            return false;
        }

        /** The deadline: fails the request and, if it is on a connection still, closes that connection. */
        @Override
        void expire() {
            if (!result.completeExceptionally(new TimeoutException("upstream did not answer before the request's deadline"))) return;
            PooledConnection c = connection;
            if (c != null && c.takeBack(result)) {
                c.channel.close().addListener(f -> release(c));
            }
        }
    }

    /**
     * Where deadlines of the calling thread's requests end: the calling loop when called on one
     * of the client's loops (so a {@link DeadlineTimer} bound on a lookup fails on the loop that
     * waits for it), else the group.
     */
    public Executor executor() {
        for (EventLoop loop : loops) if (loop.inEventLoop()) return loop;
        return group;
    }

    /** The client timeout: the deadline of a {@link #send(String, byte[])} without one, and the pools' bound on waiting. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Tests only, before the first request: connects to {@code address} instead of the endpoint's
     * host, which still goes out as the Host header and as TLS's SNI and checked name (a test needs
     * a dotted host name, which SNI requires, that reaches loopback).
     */
    UpstreamClient connectingTo(java.net.InetSocketAddress address) {
        bootstrap.remoteAddress(address);
        return this;
    }

    /** Connections handed out and not given back, over all pools (0 when the client is idle). */
    int acquired() {
        int n = 0;
        for (int i = 0; i < pools.length(); i++) {
            LoopPool p = pools.get(i);
            if (p != null) n += p.handedOut();
        }
        return n;
    }

    /** Releases a pool refused: a connection given back that was not handed out. Always 0 unless there is a bug. */
    long releaseFailures() {
        return releaseFailures.sum();
    }

    /** How many loops have made their pool so far. */
    int poolsMade() {
        int n = 0;
        for (int i = 0; i < pools.length(); i++) if (pools.get(i) != null) n++;
        return n;
    }

    /** Each loop's share of the connections, in the group's order. */
    int[] shares() {
        return shares.clone();
    }

    /** Takes the store's answers on one pooled connection ({@link ResponseFramer} reads them) and completes the exchange waiting on it. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        /** The connection's state (one handler per connection). */
        final PooledConnection connection;

        ResponseHandler(PooledConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FramedResponse framed)) {
                ctx.fireChannelRead(msg);
                return;
            }
            Channel ch = ctx.channel();
            CompletableFuture<UpstreamResponse> pending = connection.takePending();
            if (pending == null) {
                // An answer no exchange waits for (one cut at its deadline, whose connection is
                // closing and goes back to the pool from there, or an unsolicited one): the
                // connection is out of step, so it is closed, never given back twice.
                ch.close();
                return;
            }
            if (!framed.keepAlive() || pending.isDone()) ch.close();
            release(connection);
            pending.complete(framed.response());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<UpstreamResponse> pending = connection.takePending();
            if (pending != null) {
                // Also the end of a timed-out or failed exchange: the channel goes back to the
                // pool (which drops it as inactive) so the pool never leaks a slot.
                pending.completeExceptionally(failure(ctx.channel(), "upstream closed the connection", null));
                release(connection);
            }
            ctx.fireChannelInactive();
        }

        /** A malformed answer (from {@link ResponseFramer}) or a connection fault: the exchange fails, the connection closes. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Channel ch = ctx.channel();
            CompletableFuture<UpstreamResponse> pending = connection.takePending();
            if (pending == null) {
                ch.close();
                return;
            }
            IOException failure = failure(ch, null, cause);
            log.warn("upstream exchange failed: {}", failure.getMessage());
            pending.completeExceptionally(failure);
            ch.close().addListener(c -> release(connection));
        }
    }

    /**
     * Why an exchange on {@code ch} failed: an {@link UpstreamTlsException} when the connection's TLS
     * handshake failed (whichever of the write, the close or the fault reports it first), else an
     * IOException with {@code message} (null: {@code cause}'s own) and {@code cause}.
     */
    private IOException failure(Channel ch, String message, Throwable cause) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl != null && ssl.handshakeFuture().isDone() && !ssl.handshakeFuture().isSuccess()) {
            return new UpstreamTlsException(tlsHost + ":" + port, ssl.handshakeFuture().cause());
        }
        if (message == null) return cause instanceof IOException io ? io : new IOException(cause);
        return cause == null ? new IOException(message) : new IOException(message, cause);
    }

    /** Closes every pool made so far (their idle connections, on their loops); a call after this fails at once. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < pools.length(); i++) {
            LoopPool pool = pools.getAndSet(i, null);
            if (pool == null) continue;
            try {
                loops[i].execute(pool::close);
            } catch (RejectedExecutionException loopGone) {
                // the loop shut down first: its channels closed with it
            }
        }
    }
}
