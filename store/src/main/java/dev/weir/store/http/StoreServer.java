package dev.weir.store.http;

import dev.weir.store.api.RequestDispatcher;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's HTTP/1.1 front end: Netty event loops (epoll where available) parse and
 * answer; every API call must be signed with the store's credentials ({@link RequestSignatures}).
 * Cheap reads are tried on the event loop itself, from memory only; other reads run
 * on a small pool of platform threads (RocksDB calls are JNI and may block on a file), and
 * writes on a larger one: each write waits for its write-ahead-log sync, and the more
 * writers wait at once, the more of them RocksDB commits with a single sync (its write
 * group), while reads never queue behind a sync.
 */
public final class StoreServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreServer.class);
    /** Largest request body accepted by the framing; DynamoDB's own limits are checked later. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int WORKER_QUEUE = 4096;

    private final RequestDispatcher dispatcher;
    private final RequestSignatures signatures;
    private final ThreadPoolExecutor readers;
    private final ThreadPoolExecutor writers;
    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup eventLoops;
    private Channel serverChannel;

    /** Answers requests signed as {@code signatures} accepts, and refuses every other. */
    public StoreServer(RequestDispatcher dispatcher, RequestSignatures signatures, int readerThreads, int writerThreads) {
        this.dispatcher = dispatcher;
        this.signatures = signatures;
        this.readers = pool(readerThreads, "weir-store-reader");
        this.writers = pool(writerThreads, "weir-store-writer");
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weir-store-accept"), io);
        this.eventLoops = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("weir-store-io"), io);
    }

    private static ThreadPoolExecutor pool(int threads, String prefix) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WORKER_QUEUE),
                threads(prefix));
    }

    /** Starts listening; port 0 picks a free port. Returns the bound address. */
    public synchronized InetSocketAddress listen(String host, int port) {
        if (serverChannel != null) throw new IllegalStateException("already listening on " + serverChannel.localAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, eventLoops)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new TooLargeRequests())
                                .addLast(new StoreHttpHandler(dispatcher, signatures, readers, writers));
                    }
                });
        serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        log.info("store listening on {} ({})", address, epoll ? "epoll" : "nio");
        return address;
    }

    /** Stops accepting, lets running operations finish, then closes every connection. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        readers.shutdown();
        writers.shutdown();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            if (!readers.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                    | !writers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("store operations still running after 10 s; stopping them");
                readers.shutdownNow();
                writers.shutdownNow();
                readers.awaitTermination(5, TimeUnit.SECONDS);
                writers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            readers.shutdownNow();
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().name(prefix + "-" + n.incrementAndGet()).unstarted(r);
    }
}
