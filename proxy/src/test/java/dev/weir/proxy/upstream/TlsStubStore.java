package dev.weir.proxy.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.Mapping;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that speaks only TLS, on a real loopback socket: it shows {@code issued}'s certificate,
 * records the SNI name each connection sent and each handshake that completed, and answers every
 * request 200 with {@code {"n":N}} (N counting from 1) on a keep-alive connection, recording the
 * requests' Host and X-Amz-Target headers.
 */
final class TlsStubStore implements AutoCloseable {
    private final Channel server;
    private final List<String> sniNames = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger failedHandshakes = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    TlsStubStore(EventLoopGroup group, TestCa.Issued issued) throws Exception {
        SslContext tls = SslContextBuilder.forServer(issued.keys().getPrivate(), issued.certificate()).build();
        Mapping<String, SslContext> bySni = name -> {
            sniNames.add(String.valueOf(name));
            return tls;
        };
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SniHandler(bySni), new Handshakes(), new HttpServerCodec(),
                                new HttpObjectAggregator(1 << 20), new Answer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** SNI names sent, one per connection ("null" for a connection that sent none). */
    List<String> sniNames() {
        return List.copyOf(sniNames);
    }

    /** Handshakes that completed. */
    int handshakes() {
        return handshakes.get();
    }

    /** Handshakes that failed (the client refused the certificate, or spoke no TLS). */
    int failedHandshakes() {
        return failedHandshakes.get();
    }

    /** Requests answered. */
    int requests() {
        return requests.get();
    }

    /** The Host header of each request answered. */
    List<String> hosts() {
        return List.copyOf(hosts);
    }

    private final class Handshakes extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                (done.isSuccess() ? handshakes : failedHandshakes).incrementAndGet();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            hosts.add(req.headers().get(HttpHeaderNames.HOST));
            byte[] body = ("{\"n\":" + requests.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0").setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(resp);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }
}
