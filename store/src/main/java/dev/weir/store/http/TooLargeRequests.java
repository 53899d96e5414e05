package dev.weir.store.http;

import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The framing's body limit ({@link StoreServer#MAX_BODY_BYTES}, DynamoDB's 16 MB): a request
 * over it is answered 413 with a JSON error body an SDK can report (Netty's own answer has no
 * body), and its connection closed, since the rest of its body is never read.
 */
final class TooLargeRequests extends HttpObjectAggregator {
    static final byte[] BODY = ("{\"__type\":\"com.amazon.coral.service#RequestEntityTooLargeException\","
            + "\"message\":\"Request payload size exceeds the limit of " + StoreServer.MAX_BODY_BYTES + " bytes\"}")
            .getBytes(StandardCharsets.US_ASCII);

    TooLargeRequests() {
        super(StoreServer.MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(BODY));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Target.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
                .set(Crc32.HEADER, Crc32.of(BODY))
                .set("x-amzn-RequestId", RequestIds.next())
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
