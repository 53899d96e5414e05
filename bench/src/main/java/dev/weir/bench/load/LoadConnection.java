package dev.weir.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection with at most one request in flight. Open loop (as wrk2): the
 * connection owns every {@code connections}-th slot of the global fixed-rate schedule; it
 * sends a request at its slot's time, or at once when the previous answer came late, and
 * measures latency from the slot's time, so the delay a slow answer causes to the requests
 * behind it is counted (coordinated omission corrected). Closed loop: it sends the next
 * request as soon as an answer arrives. Everything runs on the channel's event loop.
 */
final class LoadConnection extends ChannelInboundHandlerAdapter {
    private static final int ERROR_BODY_CHARS = 300;

    private LoadRun run;
    private final SplittableRandom random;
    private final long intervalNanos;
    private final Runnable sendTask = this::sendWhenDue;
    private Channel channel;
    private long nextIntended;

    private int entry;
    private long intended;
    private long sentAt;
    private int status;
    private StringBuilder errorBody;
    private boolean finished;

    long sent;
    /** Bytes of requests sent and of responses received (head and body, as on the wire) within the measured window. */
    long bytesSentInWindow;
    long bytesReceivedInWindow;
    long completedInWindow;
    long recorded;
    long errors;

    LoadConnection(long seed, long intervalNanos) {
        this.random = new SplittableRandom(seed);
        this.intervalNanos = intervalNanos;
    }

    /** Starts sending from {@code firstIntended} (System.nanoTime). */
    void begin(LoadRun run, Channel channel, long firstIntended) {
        this.run = run;
        this.channel = channel;
        this.nextIntended = firstIntended;
        channel.eventLoop().schedule(sendTask, Math.max(0, firstIntended - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void sendWhenDue() {
        if (finished) return;
        long now = System.nanoTime();
        if (run.open) {
            if (nextIntended >= run.end) {
                finish();
                return;
            }
            long delay = nextIntended - now;
            if (delay > 0) {
                channel.eventLoop().schedule(sendTask, delay, TimeUnit.NANOSECONDS);
                return;
            }
            intended = nextIntended;
            nextIntended += intervalNanos;
        } else {
            if (now >= run.end) {
                finish();
                return;
            }
            intended = now;
        }
        entry = run.mix.pickEntry(random);
        PreparedRequest request = run.mix.pickRequest(entry, random);
        status = 0;
        errorBody = null;
        sentAt = now;
        sent++;
        if (now >= run.measureStart && now < run.end) bytesSentInWindow += request.bytes().readableBytes();
        channel.writeAndFlush(request.forWrite(), channel.voidPromise());
    }

    /** Counts bytes read off the socket (called before the HTTP decoder sees them, on the event loop). */
    void received(int bytes) {
        if (run == null) return;
        long now = System.nanoTime();
        if (now >= run.measureStart && now < run.end) bytesReceivedInWindow += bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    run.fail("undecodable response from the server: " + response.decoderResult().cause());
                    ctx.close();
                    return;
                }
                status = response.status().code();
                if (status >= 300 && run.wantsErrorSample()) errorBody = new StringBuilder();
            }
            if (msg instanceof HttpContent content && errorBody != null && errorBody.length() < ERROR_BODY_CHARS) {
                errorBody.append(content.content().toString(StandardCharsets.UTF_8));
            }
            if (msg instanceof LastHttpContent) complete();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void complete() {
        long now = System.nanoTime();
        boolean ok = status >= 200 && status < 300;
        if (intended >= run.measureStart && intended < run.end) {
            run.record(entry, now - intended, now - sentAt);
            recorded++;
            if (!ok) errors++;
        }
        if (now >= run.measureStart && now < run.end) completedInWindow++;
        if (errorBody != null) {
            String body = errorBody.toString();
            run.errorSample(run.mix.entries().get(entry).label() + " -> " + status + " "
                    + body.substring(0, Math.min(body.length(), ERROR_BODY_CHARS)));
            errorBody = null;
        }
        sendWhenDue();
    }

    private void finish() {
        if (finished) return;
        finished = true;
        run.finished.countDown();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (run != null && !finished) {
            run.fail("the server closed a connection during the run");
            finish();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (run != null) run.fail("connection failed: " + cause);
        ctx.close();
    }
}
