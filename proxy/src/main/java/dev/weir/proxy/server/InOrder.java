package dev.weir.proxy.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;

import java.util.ArrayDeque;

/**
 * One request at a time per connection, answered in request order. HTTP/1.1 requires answers
 * in order, and behind a gateway that pipelines several clients' requests on one connection
 * an answer out of order is another principal's answer. Turning auto-read off while a
 * request is served is not enough: the framing guard frames every request in the bytes of one
 * read and hands them all on at once. So a request that arrives while another is served waits
 * here, in order, and goes on only once the previous answer is written. Reading stops as soon
 * as a request has to wait, and stays off until the queue is empty again, so the queue holds at
 * most what the reads so far had brought in (one read's requests), and a slow upstream pushes
 * back on a client that pipelines. A client that waits for each answer (every SDK) never has a
 * request wait, so its connection is never switched off and on (each switch is a system call).
 * Reading on while a request is served is safe because the framing guard, which may read and
 * refuse what comes next meanwhile, holds its own refusals until every request it handed on is
 * answered ({@link #ANSWERED}).
 *
 * <p>Sits between the framing guard and the handler that answers; it sees each request go in
 * and each answer go out. After an answer that closes the connection, waiting requests are
 * dropped unanswered, as HTTP says. Requests are {@link FramedRequest}s, plain data: nothing to
 * release when one is dropped.
 */
final class InOrder extends ChannelDuplexHandler {
    /**
     * Fired through the pipeline from its head each time an answer is written, for
     * {@link HttpFramingGuard}, which holds back its own refusals while a request it handed on
     * is unanswered.
     */
    static final Object ANSWERED = new Object() {
        @Override public String toString() {
            return "an answer was written";
        }
    };

    private final ArrayDeque<FramedRequest> waiting = new ArrayDeque<>();
    /** A request has gone on and its answer is not written yet (or the next one is about to go on). */
    private boolean busy;
    /** Reading is off because a request waits. */
    private boolean paused;
    private boolean closed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FramedRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closed) {
            return;
        } else if (busy) {
            waiting.add(req);
            if (!paused) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            busy = true;
            ctx.fireChannelRead(req);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean keepAlive;
        if (msg instanceof Answer a) {
            keepAlive = a.keepAlive();
        } else if (msg instanceof HttpResponse res) {
            keepAlive = !res.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        } else {
            ctx.write(msg, promise);
            return;
        }
        ChannelPromise written = promise.unvoid();
        ctx.write(msg, written);
        written.addListener(f -> answered(ctx, keepAlive && f.isSuccess()));
    }

    /** The answer is written: the next waiting request goes on, or reading resumes. */
    private void answered(ChannelHandlerContext ctx, boolean keepAlive) {
        ctx.pipeline().fireUserEventTriggered(ANSWERED);
        if (!keepAlive || closed) {
            busy = false;
            drop();
            return;
        }
        FramedRequest next = waiting.poll();
        if (next == null) {
            busy = false;
            if (paused) {
                paused = false;
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        // Still busy: a request read meanwhile queues behind this one. Not from inside the
        // write's listener, so that a run of quick answers does not nest.
        ctx.executor().execute(() -> {
            if (!closed) ctx.fireChannelRead(next);
        });
    }

    /** The connection is done: requests still waiting are never answered. */
    private void drop() {
        closed = true;
        waiting.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        drop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drop();
    }
}
