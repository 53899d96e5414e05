package dev.weir.proxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The socket layer the proxy's event loops run on: Java NIO (everywhere), or Netty's native
 * epoll or io_uring on Linux. Listener and upstream client always use the same one.
 */
public enum Transport {
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class, () -> null),
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class,
            () -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause()),
    IO_URING(IoUringIoHandler::newFactory, IoUringServerSocketChannel.class, IoUringSocketChannel.class,
            () -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause());

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;
    private final Supplier<Throwable> unavailability;

    Transport(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel,
              Class<? extends SocketChannel> socketChannel, Supplier<Throwable> unavailability) {
        this.handlers = handlers;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
        this.unavailability = unavailability;
    }

    /** The name used in the configuration: nio, epoll, io_uring. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport the configuration names, or null for an unknown name. */
    public static Transport named(String name) {
        for (Transport t : values()) if (t.configName().equals(name)) return t;
        return null;
    }

    /** Why this transport cannot run here, or null when it can. */
    public Throwable unavailabilityCause() {
        return unavailability.get();
    }

    /**
     * The transport for a configuration that names none: Netty's native epoll when it loads on
     * this machine, else NIO, with one log line saying why epoll could not load.
     */
    public static Transport preferred() {
        Throwable cause = EPOLL.unavailabilityCause();
        if (cause == null) return EPOLL;
        log.info("native epoll cannot run on this machine ({}); using the nio transport", cause.toString());
        return NIO;
    }

    public EventLoopGroup newEventLoopGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers.get());
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannelClass() {
        return socketChannel;
    }
}
