package dev.weir.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One event loop's connections to the upstream store: at most {@code max} open, idle ones kept
 * alive for the next request (the most recently used first), and requests that find none free
 * waiting in order, at most {@code maxWaiting} of them. Every method runs on the pool's loop,
 * so it needs no lock, no promise and no hand-off: Netty's {@code FixedChannelPool}, which
 * weir used before, is built for callers on any thread and paid for that on every acquire and
 * release (a few percent of weir's CPU at saturation).
 *
 * <p>A connection is counted from the moment it is asked for until it has closed, so the bound
 * holds while connections open and close. A request that waits gives up at its own deadline
 * ({@link Taker#gaveUp}); it is then skipped, never handed a connection.
 */
final class LoopPool {
    /** Whether a connection is handed out; a release of one that is not is a bug (given back twice). */
    private static final AttributeKey<Boolean> OUT = AttributeKey.valueOf("weir.pool.out");

    /** What waits for a connection: an exchange. */
    interface Taker {
        /** The connection, now the taker's until it is released. */
        void take(Channel ch);

        /** No connection could be had (the store refused it, the pool is closed). */
        void fail(IOException e);

        /** Whether the taker no longer wants one (its deadline passed). */
        boolean gaveUp();
    }

    private final Bootstrap bootstrap;
    private final int max;
    private final int maxWaiting;
    private final Consumer<String> releaseFailure;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Taker> waiting = new ArrayDeque<>();
    private int open;
    /** Handed out and not given back; read by other threads for tests and metrics. */
    private volatile int out;
    private boolean closed;

    /**
     * @param bootstrap      connects on this pool's loop, with the pipeline of an upstream connection
     * @param releaseFailure told (on the loop) of a connection given back that was not handed out
     */
    LoopPool(Bootstrap bootstrap, int max, int maxWaiting, Consumer<String> releaseFailure) {
        this.bootstrap = bootstrap;
        this.max = max;
        this.maxWaiting = maxWaiting;
        this.releaseFailure = releaseFailure;
    }

    /** Hands {@code taker} a live connection: an idle one, a new one within the bound, or the next one given back. */
    void acquire(Taker taker) {
        if (closed) {
            taker.fail(new IOException("the upstream client is closed"));
            return;
        }
        for (Channel ch; (ch = idle.pollFirst()) != null; ) {
            if (ch.isActive()) {
                hand(ch, taker);
                return;
            }
            ch.close(); // counted out of open when its close completes
        }
        if (open < max) {
            connect(taker);
            return;
        }
        if (waiting.size() >= maxWaiting) waiting.removeIf(Taker::gaveUp);
        if (waiting.size() >= maxWaiting) {
            taker.fail(new IOException("too many requests are waiting for a connection to the upstream store"));
            return;
        }
        waiting.addLast(taker);
    }

    /** Takes back a connection handed out: to the next waiting request, or kept idle; closed if it is not alive. */
    void release(Channel ch) {
        if (ch.attr(OUT).getAndSet(false) != Boolean.TRUE) {
            releaseFailure.accept("a connection was given back that was not handed out");
            return;
        }
        out--;
        if (closed || !ch.isActive()) {
            ch.close();
            return;
        }
        Taker next = nextWaiting();
        if (next != null) {
            hand(ch, next);
        } else {
            idle.addFirst(ch);
        }
    }

    /** Closes the idle connections and fails the waiting requests; connections handed out close when given back. */
    void close() {
        closed = true;
        for (Channel ch; (ch = idle.pollFirst()) != null; ) ch.close();
        for (Taker t; (t = waiting.pollFirst()) != null; ) t.fail(new IOException("the upstream client is closed"));
    }

    /** Connections handed out and not given back. */
    int handedOut() {
        return out;
    }

    private void connect(Taker taker) {
        open++;
        ChannelFuture f = bootstrap.connect();
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                open--;
                taker.fail(new IOException("cannot connect to the upstream store", done.cause()));
                serveWaiting();
                return;
            }
            Channel ch = done.channel();
            ch.closeFuture().addListener(c -> closed(ch));
            if (closed) {
                ch.close();
                taker.fail(new IOException("the upstream client is closed"));
                return;
            }
            hand(ch, taker);
        });
    }

    /** A connection closed: its place in the bound is free, for a waiting request. */
    private void closed(Channel ch) {
        open--;
        idle.remove(ch);
        serveWaiting();
    }

    private void serveWaiting() {
        if (closed || open >= max || waiting.isEmpty()) return;
        Taker next = nextWaiting();
        if (next != null) connect(next);
    }

    /** The first waiting request that still wants a connection, or null. */
    private Taker nextWaiting() {
        for (Taker t; (t = waiting.pollFirst()) != null; ) if (!t.gaveUp()) return t;
        return null;
    }

    private void hand(Channel ch, Taker taker) {
        if (taker.gaveUp()) {
            idle.addFirst(ch);
            Taker next = nextWaiting();
            if (next != null) hand(idle.pollFirst(), next);
            return;
        }
        ch.attr(OUT).set(true);
        out++;
        taker.take(ch);
    }
}
