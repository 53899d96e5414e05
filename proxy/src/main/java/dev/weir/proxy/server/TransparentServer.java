package dev.weir.proxy.server;

import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.proxy.transparent.Destination;
import dev.weir.proxy.transparent.Interception;
import dev.weir.proxy.transparent.OriginalDst;
import dev.weir.proxy.transparent.Route;
import dev.weir.proxy.transparent.RouteSni;
import dev.weir.proxy.transparent.RouteTable;
import dev.weir.proxy.transparent.UnroutedConnection;
import dev.weir.proxy.transparent.UnroutedRecords;
import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.handler.ssl.SniHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transparent listener: connections the kernel intercepted on their way to a store
 * (TPROXY or REDIRECT, {@link Interception}) arrive here; each connection's original
 * destination picks its {@link Route} once, at accept, and the route's own firewall (its store,
 * its credentials, its policy) answers every request on it. A destination in no route is
 * refused: the connection is closed before a byte is read or a certificate shown, and an
 * audit record says who tried to reach what ({@link UnroutedConnection}; at most
 * {@value UnroutedRecords#PER_SECOND} such records a second, the rest counted in a summary record:
 * {@link UnroutedRecords}). Nothing is ever
 * forwarded to the original destination itself: only the route's configured upstream is
 * reached, with weir's credentials for it.
 *
 * <p>Only Netty's native transports can do this: TPROXY needs {@code IP_TRANSPARENT} on the
 * listening socket, REDIRECT a descriptor to ask {@code SO_ORIGINAL_DST} on; Java NIO offers
 * neither, so the NIO transport is refused at start.
 */
public final class TransparentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransparentServer.class);

    private final Channel channel;
    private final LongAdder unrouted;

    private TransparentServer(Channel channel, LongAdder unrouted) {
        this.channel = channel;
        this.unrouted = unrouted;
    }

    /**
     * Binds the transparent listener on {@code host:port} (for TPROXY, the port the rules send
     * to; {@code ::} takes IPv4 and IPv6).
     *
     * @param audit where refusals of unrouted connections are recorded; null: nowhere (tests, benchmarks)
     * @throws IllegalArgumentException for the NIO transport
     */
    public static TransparentServer start(String host, int port, Interception mode, Transport transport, EventLoopGroup boss,
                                          EventLoopGroup workers, RouteTable routes, ProxyServer.Limits limits,
                                          AuditPipeline audit) throws InterruptedException {
        if (transport == Transport.NIO) {
            throw new IllegalArgumentException("transparent mode needs the epoll or io_uring transport: Java NIO can neither "
                    + "set IP_TRANSPARENT (TPROXY) nor read SO_ORIGINAL_DST (REDIRECT)");
        }
        LongAdder answersOffLoop = new LongAdder(), unrouted = new LongAdder();
        UnroutedRecords records = audit == null ? null : new UnroutedRecords(audit::publish, System::nanoTime);
        ConnectionLimiter limiter = new ConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerSource());
        HttpFramingGuard.Settings framing = ProxyServer.framing(limits);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetSocketAddress dst;
                        String why = null;
                        try {
                            dst = originalDestination(ch, mode);
                        } catch (IOException e) {
                            dst = null;
                            why = e.getMessage();
                        }
                        Route route = routes.routeFor(dst);
                        if (route == null) {
                            unrouted.increment();
                            log.debug("refused a connection from {} to {}: no route", ch.remoteAddress(), dst);
                            if (records != null && records.refused(ch.remoteAddress(), dst, why)) {
                                ch.eventLoop().schedule(records::flush, 1, java.util.concurrent.TimeUnit.SECONDS);
                            }
                            ch.close();
                            return;
                        }
                        ConnectionLimiter.Admission admission = limiter.admit(ch.remoteAddress());
                        ch.closeFuture().addListener(f -> limiter.release(admission));
                        if (admission instanceof ConnectionLimiter.Refused refused && !refused.answer()) {
                            ch.close();
                            return;
                        }
                        if (route.tls() != null) ch.pipeline().addLast(new SniHandler(new RouteSni(route.serverNames(), route.tls())));
                        if (admission instanceof ConnectionLimiter.Refused refused) {
                            ch.pipeline().addLast(new OverLimit(refused.why(), route.tls() != null));
                            return;
                        }
                        ProxyServer.addFirewall(ch, framing, route.firewall(), answersOffLoop, limits.compressAnswers());
                    }
                });
        if (mode == Interception.TPROXY) {
            b.option(transport == Transport.IO_URING ? IoUringChannelOption.IP_TRANSPARENT : EpollChannelOption.IP_TRANSPARENT, true);
        }
        return new TransparentServer(b.bind(host, port).sync().channel(), unrouted);
    }

    /**
     * Where the client meant to go: with TPROXY the accepted socket's own local address (the
     * kernel delivered the connection unchanged); with REDIRECT the address conntrack kept
     * before NAT rewrote it.
     */
    static InetSocketAddress originalDestination(SocketChannel ch, Interception mode) throws IOException {
        if (mode == Interception.TPROXY) return ch.localAddress();
        if (!(ch instanceof UnixChannel unix)) throw new IOException("no descriptor to read SO_ORIGINAL_DST on");
        InetAddress peer = ch.remoteAddress().getAddress();
        return OriginalDst.of(unix.fd().intValue(), !(Destination.unmapped(peer) instanceof Inet4Address));
    }

    /** Connections refused because their original destination is in no route. */
    public long unrouted() {
        return unrouted.sum();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
