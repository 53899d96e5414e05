package dev.weir.proxy.enforce;

import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.proxy.identity.TlsPeer;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A request as it arrived: the HTTP request, where from, the connection's verified client
 * certificate (null without one), and when.
 *
 * @param nanos {@link System#nanoTime()} at arrival, for latencies
 */
record Received(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer, Instant at, long nanos) implements Stage {
    static Received now(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer) {
        return new Received(http, source, tlsPeer, Instant.now(), System.nanoTime());
    }

    @Override public Received received() {
        return this;
    }

    /** Arrival in microseconds since the epoch. */
    long micros() {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }
}
