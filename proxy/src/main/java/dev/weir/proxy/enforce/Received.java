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
 */
record Received(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer, Instant at, long nanos, String requestId)
        implements Stage {
    static Received now(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer) {
        return new Received(http, source, tlsPeer, Instant.now(), System.nanoTime(), RequestIds.next());
    }

    @Override public Received received() {
        return this;
    }

    /** Arrival in microseconds since the epoch. */
    long micros() {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }
}
