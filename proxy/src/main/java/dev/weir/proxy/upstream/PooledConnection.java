package dev.weir.proxy.upstream;

import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One upstream connection's state, kept in plain fields of an object made once per connection
 * (not in Netty channel attributes, which cost a hash lookup each time a request was handed a
 * connection, took it back or was answered on it: issue 16).
 *
 * <ul>
 *   <li>{@link #out}: whether {@link LoopPool} has handed the connection out; read and written on
 *       the pool's loop only, so a plain field. A release of a connection that is not out is a
 *       bug (given back twice) and is refused.</li>
 *   <li>{@link #pending}: the exchange waiting for an answer on it. Whoever takes it back (the
 *       answer, the connection closing, a fault, or the request's deadline, which may fire off the
 *       loop when the loop shuts down) gives the connection back, so it goes back exactly once:
 *       the same compare-and-set race the channel attribute had, on an atomic field.</li>
 * </ul>
 */
final class PooledConnection {
    final Channel channel;
    /** Handed out by its pool and not given back; the pool's loop only. */
    boolean out;
    private final AtomicReference<CompletableFuture<UpstreamResponse>> pending = new AtomicReference<>();

    PooledConnection(Channel channel) {
        this.channel = channel;
    }

    /** Puts {@code exchange} on the connection as the one waiting for its answer. */
    void await(CompletableFuture<UpstreamResponse> exchange) {
        pending.set(exchange);
    }

    /** Takes the waiting exchange back if it is still {@code exchange}; true if this call took it (and so gives the connection back). */
    boolean takeBack(CompletableFuture<UpstreamResponse> exchange) {
        return pending.compareAndSet(exchange, null);
    }

    /** Takes back whatever exchange waits on the connection (null if none). */
    CompletableFuture<UpstreamResponse> takePending() {
        return pending.getAndSet(null);
    }
}
