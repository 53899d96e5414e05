package dev.weir.proxy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may open a connection, decided when it is accepted: at most {@code max} connections
 * open at once, and at most {@code maxPerSource} of them from one source, so that one client
 * (or one flood) cannot take every slot and lock the others out. A source is an IPv4 address,
 * or an IPv6 /64 prefix (what one host is usually given, so a host cannot step around its
 * limit by cycling the addresses of its own prefix).
 *
 * <p>A refused connection is answered, not silently closed ({@link OverLimit}: 503 with
 * Retry-After). Answering costs a moment of a socket, so at most {@link #MAX_ANSWERING} refused
 * connections are being answered at once; beyond that a refused connection is closed at once.
 * Shared by all channels; thread-safe.
 */
final class ConnectionLimiter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    /** Refused connections being answered at once, at most. */
    static final int MAX_ANSWERING = 1024;

    /** The decision on a new connection; each is {@link #release released} when its connection closes. */
    sealed interface Admission permits Admitted, Refused {}

    /** Counted in; {@code source} is null for a connection without an IP source (only the global limit applies). */
    record Admitted(InetAddress source) implements Admission {}

    /**
     * Over a limit: {@code why} is the message of the 503; {@code answer} is false when too many
     * refusals are being answered already (close without an answer).
     */
    record Refused(String why, boolean answer) implements Admission {}

    private final int max;
    private final int maxPerSource;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger answering = new AtomicInteger();
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final AtomicLong refusedGlobal = new AtomicLong();
    private final AtomicLong refusedPerSource = new AtomicLong();

    /** @param maxPerSource at most this many connections from one source; 0 for no limit per source */
    ConnectionLimiter(int max, int maxPerSource) {
        if (max < 1 || maxPerSource < 0) throw new IllegalArgumentException("connection limits must be positive");
        this.max = max;
        this.maxPerSource = maxPerSource;
    }

    /** Counts a new connection from {@code remote} in, or refuses it. */
    Admission admit(SocketAddress remote) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            long n = refusedGlobal.incrementAndGet();
            if (n % 1000 == 1) log.warn("connection limit of {} reached: refusing connections ({} so far)", max, n);
            return refuse("weir has too many open connections; retry later");
        }
        InetAddress source = source(remote);
        if (source == null || maxPerSource == 0) return new Admitted(source);
        boolean[] over = new boolean[1];
        perSource.compute(source, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerSource) {
                over[0] = true;
                return n;
            }
            return now + 1;
        });
        if (over[0]) {
            open.decrementAndGet();
            long n = refusedPerSource.incrementAndGet();
            if (n % 1000 == 1) {
                log.warn("connection limit of {} per source reached by {}: refusing its connections ({} refused so far)",
                        maxPerSource, source.getHostAddress(), n);
            }
            return refuse("too many open connections from your address; retry later");
        }
        return new Admitted(source);
    }

    private Refused refuse(String why) {
        if (answering.incrementAndGet() > MAX_ANSWERING) {
            answering.decrementAndGet();
            return new Refused(why, false);
        }
        return new Refused(why, true);
    }

    /** The connection of {@code admission} closed: counts it out. */
    void release(Admission admission) {
        switch (admission) {
            case Admitted a -> {
                if (a.source() != null && maxPerSource > 0) perSource.computeIfPresent(a.source(), (k, n) -> n > 1 ? n - 1 : null);
                open.decrementAndGet();
            }
            case Refused r -> {
                if (r.answer()) answering.decrementAndGet();
            }
        }
    }

    /** Connections open now (admitted ones). */
    int open() {
        return open.get();
    }

    /** Connections open now from the source of {@code remote}. */
    int openFrom(SocketAddress remote) {
        InetAddress source = source(remote);
        return source == null ? 0 : perSource.getOrDefault(source, 0);
    }

    /** The source a remote address counts against: the IPv4 address, or the IPv6 address's /64; null if not IP. */
    static InetAddress source(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) return null;
        InetAddress a = inet.getAddress();
        if (!(a instanceof Inet6Address)) return a;
        byte[] b = a.getAddress();
        try {
            if (mappedIpv4(b)) return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            Arrays.fill(b, 8, 16, (byte) 0);
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean mappedIpv4(byte[] b) {
        for (int k = 0; k < 10; k++) if (b[k] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
