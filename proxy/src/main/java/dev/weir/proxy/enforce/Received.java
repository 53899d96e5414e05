package dev.weir.proxy.enforce;

import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.proxy.identity.TlsPeer;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A request as it arrived: the HTTP request, where from, the connection's verified client
 * certificate (null without one), when, and the id weir gave it.
 *
 * @param nanos     {@link System#nanoTime()} at arrival, for latencies
 * @param requestId the request's id ({@link RequestIds}): the client's {@code x-amzn-RequestId} and its audit records'
 * @param store     the store's route name in transparent mode (audit records name the table as {@code store/table}), else null
 */
record Received(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer, Instant at, long nanos, String requestId,
                String store) implements Stage {
    static Received now(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer) {
        return now(http, source, tlsPeer, null);
    }

    /** @param store the route's name when weir guards several stores (transparent mode), else null */
    static Received now(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer, String store) {
        return new Received(http, source, tlsPeer, Instant.now(), System.nanoTime(), RequestIds.next(), store);
    }

    /** The same request with another view of it (its body decoded, see {@link Firewall}). */
    Received with(HttpRequestView other) {
        return new Received(other, source, tlsPeer, at, nanos, requestId, store);
    }

        @Override public Received received() {
        return this;
    }

    /** Arrival in microseconds since the epoch. */
    long micros() {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }
}
