package dev.weir.appliance;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TLS terminator in front of a plain store, as a load balancer or an ingress would be: it
 * shows a certificate (PEM chain and PKCS#8 key) on a free loopback port and relays the
 * decrypted bytes, both ways, to the store; auto-read is switched off on one side while the
 * other cannot take more (back-pressure, as in Netty's HexDumpProxy). Counts the handshakes
 * that completed and failed and the bytes relayed to the store.
 */
final class TlsRelay implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger failedHandshakes = new AtomicInteger();
    private final AtomicLong relayedToStore = new AtomicLong();

    TlsRelay(Path certificate, Path key, int storePort) throws Exception {
        SslContext tls = SslContextBuilder.forServer(certificate.toFile(), key.toFile()).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Front(storePort));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int handshakes() {
        return handshakes.get();
    }

    int failedHandshakes() {
        return failedHandshakes.get();
    }

    long bytesRelayedToStore() {
        return relayedToStore.get();
    }

    /** The client's side: after the handshake, connects to the store and relays. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private final int storePort;
        private final java.util.ArrayDeque<Object> early = new java.util.ArrayDeque<>();
        private Channel back;

        Front(int storePort) {
            this.storePort = storePort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read(); // the handshake
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof SslHandshakeCompletionEvent done)) return;
            if (!done.isSuccess()) {
                failedHandshakes.incrementAndGet();
                ctx.close();
                return;
            }
            handshakes.incrementAndGet();
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class).option(ChannelOption.AUTO_READ, false)
                    .handler(new Relay(front)).connect("127.0.0.1", storePort).addListener(f -> {
                        if (!f.isSuccess()) {
                            front.close();
                            return;
                        }
                        back = ((io.netty.channel.ChannelFuture) f).channel();
                        for (Object m; (m = early.poll()) != null; ) {
                            relayedToStore.addAndGet(((ByteBuf) m).readableBytes());
                            back.write(m);
                        }
                        back.flush();
                        back.read();
                        front.read();
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (back == null) {
                early.add(msg); // came with the end of the handshake, before the store's connection is up
                return;
            }
            relayedToStore.addAndGet(((ByteBuf) msg).readableBytes());
            back.writeAndFlush(msg).addListener(w -> {
                if (w.isSuccess()) ctx.read();
                else ctx.close();
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (back == null) ctx.read(); // still in the handshake
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) back.close();
            for (Object m; (m = early.poll()) != null; ) ((ByteBuf) m).release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The store's side: relays its answers to the client. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel front;

        Relay(Channel front) {
            this.front = front;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            front.writeAndFlush(msg).addListener(w -> {
                if (w.isSuccess()) ctx.read();
                else ctx.close();
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
