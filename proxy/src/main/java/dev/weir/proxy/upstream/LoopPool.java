package dev.weir.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;

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
 *
 * <p>Each connection's state is a {@link PooledConnection}, found once when it is made; whether
 * it is handed out is a field of it, not a channel attribute looked up on every hand and release.
 */
final class LoopPool {

    /** What waits for a connection: an exchange. */
    interface Taker {
        /** The connection, now the taker's until it is released. */
        void take(PooledConnection c);

        /** No connection could be had (the store refused it, the pool is closed). */
        void fail(IOException e);

        /** Whether the taker no longer wants one (its deadline passed). */
        boolean gaveUp();
    }

    private final Bootstrap bootstrap;
    private final int max;
    private final int maxWaiting;
    private final Consumer<String> releaseFailure;
    private final Function<Channel, PooledConnection> state;
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Taker> waiting = new ArrayDeque<>();
    private int open;
    /** Handed out and not given back; read by other threads for tests and metrics. */
    private volatile int out;
    private boolean closed;

    /**
     * @param bootstrap      connects on this pool's loop, with the pipeline of an upstream connection
     * @param releaseFailure told (on the loop) of a connection given back that was not handed out
     * @param state          a new connection's {@link PooledConnection} (made by its pipeline), asked once per
     *                       connection; null if it has none (the connection is then closed, never handed out)
     */
    LoopPool(Bootstrap bootstrap, int max, int maxWaiting, Consumer<String> releaseFailure,
             Function<Channel, PooledConnection> state) {
        this.bootstrap = bootstrap;
        this.max = max;
        this.maxWaiting = maxWaiting;
        this.releaseFailure = releaseFailure;
        this.state = state;
    }

    /** Hands {@code taker} a live connection: an idle one, a new one within the bound, or the next one given back. */
    void acquire(Taker taker) {
        if (closed) {
            taker.fail(new IOException("the upstream client is closed"));
            return;
        }
        for (PooledConnection c; (c = idle.pollFirst()) != null; ) {
            if (c.channel.isActive()) {
                hand(c, taker);
                return;
            }
            c.channel.close(); // counted out of open when its close completes
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
    void release(PooledConnection c) {
        if (!c.out) {
            releaseFailure.accept("a connection was given back that was not handed out");
            return;
        }
        c.out = false;
        out--;
        if (closed || !c.channel.isActive()) {
            c.channel.close();
            return;
        }
        Taker next = nextWaiting();
        if (next != null) {
            hand(c, next);
        } else {
            idle.addFirst(c);
        }
    }

    /** Closes the idle connections and fails the waiting requests; connections handed out close when given back. */
    void close() {
        closed = true;
        for (PooledConnection c; (c = idle.pollFirst()) != null; ) c.channel.close();
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
            PooledConnection c = state.apply(ch);
            if (c == null) {
                // Not a connection this pool can keep (its pipeline is gone): never handed out.
                open--;
                ch.close();
                taker.fail(new IOException("cannot connect to the upstream store: the connection closed as it opened"));
                serveWaiting();
                return;
            }
            ch.closeFuture().addListener(closing -> closed(c));
            if (closed) {
                ch.close();
                taker.fail(new IOException("the upstream client is closed"));
                return;
            }
            hand(c, taker);
        });
    }

    /** A connection closed: its place in the bound is free, for a waiting request. */
    private void closed(PooledConnection c) {
        open--;
        idle.remove(c);
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

    private void hand(PooledConnection c, Taker taker) {
        if (taker.gaveUp()) {
            idle.addFirst(c);
            Taker next = nextWaiting();
            if (next != null) hand(idle.pollFirst(), next);
            return;
        }
        c.out = true;
        out++;
        taker.take(c);
    }
}
