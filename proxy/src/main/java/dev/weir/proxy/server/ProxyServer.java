package dev.weir.proxy.server;

import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The firewall's listener: connection limits at accept, then HTTP/1.1 framed once, strictly and
 * with size limits ({@link HttpFramingGuard}), one request at a time in order, then the
 * firewall handler.
 */
public final class ProxyServer implements AutoCloseable {
    /**
     * Limits on clients: head and body sizes (the request line and the headers are held to
     * {@code maxInitialLine + maxHeaderBytes} together: the framing guard reads the head as a
     * whole); how long a new connection may stay
     * silent, how long a request may take to arrive, how long a connection may sit idle; how
     * many connections may be open, in all and from one source (0: no limit per source); and
     * whether answers go compressed to clients that accept it ({@code Accept-Encoding}; off by
     * default: docs/threat-model.md, "Compressed requests and answers").
     */
    public record Limits(int maxInitialLine, int maxHeaderBytes, int maxBodyBytes, long firstByteTimeoutMillis,
                         long requestTimeoutMillis, long idleTimeoutMillis, int maxConnections,
                         int maxConnectionsPerSource, boolean compressAnswers) {
        public static final Limits DEFAULT = new Limits(8 * 1024, 16 * 1024, 16 * 1024 * 1024, 5_000, 30_000, 60_000,
                10_000, 256, false);

        /** A builder starting from {@link #DEFAULT}. */
        public static Builder builder() {
            return new Builder();
        }

        /** Sets the limits one by one, starting from {@link #DEFAULT}. */
        public static final class Builder {
            private int maxInitialLine = DEFAULT.maxInitialLine, maxHeaderBytes = DEFAULT.maxHeaderBytes,
                    maxBodyBytes = DEFAULT.maxBodyBytes, maxConnections = DEFAULT.maxConnections,
                    maxConnectionsPerSource = DEFAULT.maxConnectionsPerSource;
            private long firstByteTimeoutMillis = DEFAULT.firstByteTimeoutMillis,
                    requestTimeoutMillis = DEFAULT.requestTimeoutMillis, idleTimeoutMillis = DEFAULT.idleTimeoutMillis;
            private boolean compressAnswers = DEFAULT.compressAnswers;

            private Builder() {}

            public Builder maxInitialLine(int v) { maxInitialLine = v; return this; }
            public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
            public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
            /** A new connection that sends nothing for this long is closed (0: only the idle timeout applies). */
            public Builder firstByteTimeoutMillis(long v) { firstByteTimeoutMillis = v; return this; }
            public Builder requestTimeoutMillis(long v) { requestTimeoutMillis = v; return this; }
            public Builder idleTimeoutMillis(long v) { idleTimeoutMillis = v; return this; }
            public Builder maxConnections(int v) { maxConnections = v; return this; }
            /** 0: no limit per source. */
            public Builder maxConnectionsPerSource(int v) { maxConnectionsPerSource = v; return this; }
            /** Answers of 4 KB or more go in the coding the request accepts (gzip or deflate). */
            public Builder compressAnswers(boolean v) { compressAnswers = v; return this; }

            public Limits build() {
                return new Limits(maxInitialLine, maxHeaderBytes, maxBodyBytes, firstByteTimeoutMillis, requestTimeoutMillis,
                        idleTimeoutMillis, maxConnections, maxConnectionsPerSource, compressAnswers);
            }
        }
    }

    private final Channel channel;
    private final LongAdder answersOffLoop;

    private final ConnectionLimiter limiter;

    private ProxyServer(Channel channel, LongAdder answersOffLoop, ConnectionLimiter limiter) {
        this.channel = channel;
        this.answersOffLoop = answersOffLoop;
        this.limiter = limiter;
    }

    /** Client connections open now (admitted ones; refused ones being answered 503 are not counted). */
    public int openConnections() {
        return limiter.open();
    }

    /** Binds the listener; with {@code tls} non-null every connection must speak TLS first. */
    public static ProxyServer start(String host, int port, Transport transport, EventLoopGroup boss,
                                    EventLoopGroup workers, Firewall firewall, Limits limits, SslContext tls)
            throws InterruptedException {
        return start(host, port, new ReflectiveChannelFactory<>(transport.serverChannelClass()), boss, workers, firewall, limits, tls);
    }

    /**
     * Binds a listener of another kind ({@code listener}: the dpdk-bridge's, issue 17) with the
     * same child pipeline: its accepted channels register on {@code workers} and get exactly the
     * handlers an epoll connection gets, so enforcement does not depend on the transport.
     */
    public static ProxyServer start(String host, int port, ChannelFactory<? extends ServerChannel> listener,
                                    EventLoopGroup boss, EventLoopGroup workers, Firewall firewall, Limits limits,
                                    SslContext tls) throws InterruptedException {
        LongAdder answersOffLoop = new LongAdder();
        ConnectionLimiter limiter = new ConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerSource());
        HttpFramingGuard.Settings framing = framing(limits);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channelFactory(listener)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ConnectionLimiter.Admission admission = limiter.admit(ch.remoteAddress());
                        ch.closeFuture().addListener(f -> limiter.release(admission));
                        if (admission instanceof ConnectionLimiter.Refused refused && !refused.answer()) {
                            ch.close();
                            return;
                        }
                        if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        if (admission instanceof ConnectionLimiter.Refused refused) {
                            ch.pipeline().addLast(new OverLimit(refused.why(), tls != null));
                            return;
                        }
                        addFirewall(ch, framing, firewall, answersOffLoop, limits.compressAnswers());
                    }
                });
        return new ProxyServer(b.bind(host, port).sync().channel(), answersOffLoop, limiter);
    }

    /** The framing settings the limits give. */
    static HttpFramingGuard.Settings framing(Limits limits) {
        return new HttpFramingGuard.Settings(limits.maxInitialLine() + limits.maxHeaderBytes(),
                limits.maxBodyBytes(), limits.requestTimeoutMillis(), limits.idleTimeoutMillis(), limits.firstByteTimeoutMillis());
    }

    /** The pipeline every admitted connection gets after TLS (if any): framing, answers in order, the firewall. */
    static void addFirewall(Channel ch, HttpFramingGuard.Settings framing, Firewall firewall, LongAdder answersOffLoop,
                            boolean compressAnswers) {
        ch.pipeline().addLast(
                // The guard is the only request parser: it hands on FramedRequests.
                new HttpFramingGuard(framing),
                AnswerEncoder.INSTANCE,
                // Writes the plain answers (health, preflight); Answers pass it untouched.
                new HttpResponseEncoder(),
                new InOrder(),
                new FirewallHandler(firewall, answersOffLoop, compressAnswers));
    }

    /**
     * Answers the firewall completed on a thread other than their client connection's event
     * loop, so that writing them meant a hand-off to that loop. With the upstream client on the
     * listener's worker loops this stays 0 for requests answered by the store or by weir alone;
     * a request forwarded from another thread (after a synchronous audit write, or after a
     * table lookup another loop started) counts.
     */
    public long answersOffLoop() {
        return answersOffLoop.sum();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
