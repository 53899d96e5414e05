package dev.weir.proxy.server;

import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;

/** The firewall's listener: HTTP/1.1 with strict size limits, one request at a time in order, then the firewall handler. */
public final class ProxyServer implements AutoCloseable {
    /**
     * Limits on clients: request line, head and body sizes, how long a request may take to
     * arrive, how long a connection may sit idle, and how many connections may be open.
     */
    public record Limits(int maxInitialLine, int maxHeaderBytes, int maxBodyBytes,
                         long requestTimeoutMillis, long idleTimeoutMillis, int maxConnections) {
        public static final Limits DEFAULT = new Limits(8 * 1024, 16 * 1024, 16 * 1024 * 1024, 30_000, 60_000, 10_000);
    }

    private final Channel channel;

    private ProxyServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds the listener; with {@code tls} non-null every connection must speak TLS first. */
    public static ProxyServer start(String host, int port, Transport transport, EventLoopGroup boss,
                                    EventLoopGroup workers, Firewall firewall, Limits limits, SslContext tls)
            throws InterruptedException {
        ConnectionLimiter limiter = new ConnectionLimiter(limits.maxConnections());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(limiter);
                        if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(
                                new HttpFramingGuard(new HttpFramingGuard.Settings(
                                        limits.maxInitialLine() + limits.maxHeaderBytes(), limits.maxBodyBytes(),
                                        limits.requestTimeoutMillis(), limits.idleTimeoutMillis())),
                                new HttpServerCodec(limits.maxInitialLine(), limits.maxHeaderBytes(), 64 * 1024),
                                new HttpObjectAggregator(limits.maxBodyBytes()),
                                new InOrder(),
                                new FirewallHandler(firewall));
                    }
                });
        return new ProxyServer(b.bind(host, port).sync().channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
