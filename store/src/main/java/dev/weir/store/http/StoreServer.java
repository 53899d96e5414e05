package dev.weir.store.http;

import dev.weir.store.api.RequestDispatcher;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
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
 * The store's HTTP/1.1 front end: Netty event loops parse and answer, a small bounded pool
 * of platform threads runs the operations (RocksDB calls are JNI and block).
 */
public final class StoreServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreServer.class);
    /** Largest request body accepted by the framing; DynamoDB's own limits are checked later. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int WORKER_QUEUE = 4096;

    private final RequestDispatcher dispatcher;
    private final ThreadPoolExecutor workers;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup eventLoops;
    private Channel serverChannel;

    public StoreServer(RequestDispatcher dispatcher, int workerThreads) {
        this.dispatcher = dispatcher;
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), threads("weir-store-worker"));
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weir-store-accept"), NioIoHandler.newFactory());
        this.eventLoops = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("weir-store-io"), NioIoHandler.newFactory());
    }

    /** Starts listening; port 0 picks a free port. Returns the bound address. */
    public synchronized InetSocketAddress listen(String host, int port) {
        if (serverChannel != null) throw new IllegalStateException("already listening on " + serverChannel.localAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, eventLoops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new StoreHttpHandler(dispatcher, workers));
                    }
                });
        serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        log.info("store listening on {}", address);
        return address;
    }

    /** Stops accepting, lets running operations finish, then closes every connection. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("store operations still running after 10 s; stopping them");
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
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
