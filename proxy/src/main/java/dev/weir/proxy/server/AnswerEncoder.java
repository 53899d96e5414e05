package dev.weir.proxy.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Writes the firewall's {@link Answer}s as bytes; every other message (the plain answers Netty's
 * HTTP encoder writes: health, preflight, framing errors) passes. Sits nearer the socket than the
 * HTTP encoder, which lets an {@link Answer} through untouched.
 */
@ChannelHandler.Sharable
final class AnswerEncoder extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Answer a) {
            io.netty.buffer.ByteBuf bytes;
            try {
                bytes = a.encode(ctx.alloc());
            } catch (RuntimeException bug) {
                promise.setFailure(bug);
                return;
            }
            ctx.write(bytes, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    static final AnswerEncoder INSTANCE = new AnswerEncoder();
}
