package dev.weir.dpdk;

import dev.weir.dpdk.shim.Events;
import dev.weir.dpdk.shim.Shim;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge between the shim and Netty: one poller thread owns DPDK's port and lwIP (the shim
 * is single-threaded), receives packets, reads accepted connections' bytes into Netty buffers
 * and writes theirs. The channels themselves ({@link DpdkChannel}) live on ordinary Netty event
 * loops (the proxy's epoll workers, beside their upstream connections) and talk to the poller
 * through its command queue; the poller hands bytes back with their loop's {@code execute}.
 *
 * <p>DPDK starts once per process and cannot be restarted, so there is one bridge per process:
 * {@link #start} returns the running one when asked again with the same settings.
 */
public final class Bridge {
    private static final Logger log = LoggerFactory.getLogger(Bridge.class);
    private static final int READ_CHUNK = 64 * 1024;
    private static final int READS_PER_TURN = 4;
    private static final int SPINS_BEFORE_PARK = 256;
    private static Bridge running;

    private final DpdkSettings settings;
    private final InetAddress address;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Map<Integer, DpdkChannel> conns = new HashMap<>();
    private final Map<Integer, DpdkServerChannel> listeners = new HashMap<>();
    private final ArrayDeque<DpdkChannel> wantRead = new ArrayDeque<>();
    private volatile boolean parked;
    /** The longest time between two polls so far, and how many were over {@link #LONG_GAP_NANOS}: the poller's own stalls. */
    private volatile long longestGapNanos, longGaps;
    private static final long LONG_GAP_NANOS = 100_000_000L;
    private Thread thread;
    private Shim shim;
    private String mac;

    private Bridge(DpdkSettings settings, InetAddress address) {
        this.settings = settings;
        this.address = address;
    }

    /**
     * Starts DPDK and lwIP on the device the settings name, or returns the bridge already
     * running with these settings. Throws with the reason (missing shim, DPDK libraries or
     * hugepages, a device DPDK refused) and never falls back to anything else.
     */
    public static synchronized Bridge start(DpdkSettings settings) throws DpdkException {
        if (running != null && running.settings.equals(settings)) return running;
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.ip());
        } catch (UnknownHostException e) {
            throw new DpdkException("proxy.dpdk.ip is not an IPv4 address: " + settings.ip(), e);
        }
        if (address.getAddress().length != 4) throw new DpdkException("proxy.dpdk.ip must be IPv4: " + settings.ip());
        Shim shim = Preflight.loadShim(settings);
        Preflight.checkHugepages(settings);
        if (running != null) {
            throw new DpdkException("DPDK already runs in this process with other settings (" + running.settings
                    + "); it cannot start twice");
        }
        Bridge bridge = new Bridge(settings, address);
        CompletableFuture<String> started = new CompletableFuture<>();
        Thread t = new Thread(() -> bridge.run(shim, started), "weir-dpdk");
        t.setDaemon(true);
        bridge.thread = t;
        t.start();
        try {
            String failure = started.get(60, TimeUnit.SECONDS);
            if (failure != null) throw new DpdkException("the dpdk transport cannot start: " + failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DpdkException("interrupted while DPDK started", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DpdkException("the dpdk transport cannot start: " + e, e);
        }
        running = bridge;
        Runtime.getRuntime().addShutdownHook(new Thread(bridge::logCounters, "weir-dpdk-counters"));
        return bridge;
    }

    /** The address lwIP answers on. */
    public InetAddress address() {
        return address;
    }

    /** The port's MAC address, as DPDK reports it. */
    public String mac() {
        return mac;
    }

    /** A factory for Netty's {@code ServerBootstrap.channelFactory}: listeners on this bridge. */
    public ChannelFactory<ServerChannel> serverChannelFactory() {
        return () -> new DpdkServerChannel(this);
    }

    /** The shim's counters (read on the poller). */
    public BridgeStats stats() {
        return BridgeStats.of(call(() -> shim.stats()));
    }

    /**
     * Logs the shim's counters (at exit: what was dropped where, for whoever wonders about
     * throughput or retransmissions afterwards); gives up after two seconds if the poller is gone.
     */
    private void logCounters() {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        execute(() -> result.complete(shim.stats()));
        try {
            log.info("dpdk-bridge: counters at exit: {}; the poller's longest gap between polls {} ms, {} gaps over {} ms",
                    BridgeStats.of(result.get(2, TimeUnit.SECONDS)), longestGapNanos / 1_000_000, longGaps,
                    LONG_GAP_NANOS / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.info("dpdk-bridge: no counters at exit (the poller did not answer)");
        }
    }

    // ---- called from other threads: everything goes through the command queue ----

    void execute(Runnable command) {
        commands.add(command);
        if (parked) LockSupport.unpark(thread);
    }

    <T> T call(java.util.function.Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Listens on {@code port} for {@code server}; null, or why it cannot. */
    String listen(int port, DpdkServerChannel server) {
        return call(() -> {
            if (shim.listen(port) < 0) return shim.lastError();
            listeners.put(port, server);
            return null;
        });
    }

    void unlisten(int port) {
        execute(() -> {
            if (listeners.remove(port) != null) shim.unlisten(port);
        });
    }

    // ---- the poller ----

    private void run(Shim shim, CompletableFuture<String> started) {
        this.shim = shim;
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add("weir");
        argv.addAll(settings.ealArgs());
        int rc;
        try {
            rc = shim.init(argv, settings.ip(), settings.netmask(), settings.gateway(), settings.mac());
        } catch (Throwable t) {
            started.complete(t.toString());
            return;
        }
        if (rc < 0) {
            started.complete(shim.lastError());
            return;
        }
        mac = shim.mac();
        log.info("dpdk-bridge: lwIP on {} ({}) over DPDK, EAL arguments {}", settings.ip(), mac, settings.ealArgs());
        started.complete(null);
        try (Arena arena = Arena.ofConfined()) {
            Events events = new Events(arena, 256);
            int idle = 0;
            long lastPoll = System.nanoTime();
            while (true) {
                boolean worked = runCommands();
                int n = shim.poll(events);
                long now = System.nanoTime(), gap = now - lastPoll;
                lastPoll = now;
                if (gap > longestGapNanos) longestGapNanos = gap;
                if (gap > LONG_GAP_NANOS) longGaps++;
                for (int i = 0; i < n; i++) handle(events, i);
                worked |= n > 0;
                worked |= readWanted();
                if (worked) {
                    idle = 0;
                } else if (++idle > SPINS_BEFORE_PARK && settings.idleParkNanos() > 0) {
                    parked = true;
                    if (commands.isEmpty()) LockSupport.parkNanos(settings.idleParkNanos());
                    parked = false;
                } else {
                    Thread.onSpinWait();
                }
            }
        } catch (Throwable t) {
            log.error("dpdk-bridge: the poller stopped; no connection on the dpdk transport works from now on", t);
        }
    }

    private boolean runCommands() {
        boolean any = false;
        Runnable c;
        while ((c = commands.poll()) != null) {
            any = true;
            try {
                c.run();
            } catch (Throwable t) {
                log.warn("dpdk-bridge: a command failed", t);
            }
        }
        return any;
    }

    private void handle(Events events, int i) {
        int id = events.conn(i);
        switch (events.kind(i)) {
            case Events.ACCEPT -> {
                DpdkServerChannel server = listeners.get(events.localPort(i));
                if (server == null) {
                    shim.abort(id);
                    return;
                }
                DpdkChannel ch = new DpdkChannel(server, this, id, new InetSocketAddress(events.address(i), events.port(i)),
                        new InetSocketAddress(address, events.localPort(i)));
                conns.put(id, ch);
                server.accepted(ch);
            }
            case Events.READABLE -> {
                DpdkChannel ch = conns.get(id);
                if (ch != null) read(ch);
            }
            case Events.WRITABLE -> {
                DpdkChannel ch = conns.get(id);
                if (ch != null) pump(ch);
            }
            case Events.ERROR -> {
                DpdkChannel ch = conns.remove(id);
                shim.close(id);
                if (ch != null) {
                    ch.dropPending();
                    ch.closedByBridge();
                }
            }
            default -> log.warn("dpdk-bridge: unknown event kind {}", events.kind(i));
        }
    }

    /** A channel that wants to read (its loop asked): read what is waiting now. */
    void requestRead(DpdkChannel ch) {
        execute(() -> {
            if (conns.get(ch.connId()) == ch) read(ch);
        });
    }

    /** Reads up to a few chunks for {@code ch} when it wants them; requeues it when more may be waiting. */
    private void read(DpdkChannel ch) {
        if (!ch.readWanted()) return;
        for (int turn = 0; turn < READS_PER_TURN; turn++) {
            ByteBuf buf = ch.alloc().directBuffer(READ_CHUNK);
            int n;
            try {
                MemorySegment into = MemorySegment.ofBuffer(buf.nioBuffer(0, buf.capacity()));
                n = shim.recv(ch.connId(), into);
            } catch (Throwable t) {
                buf.release();
                throw t;
            }
            if (n > 0) {
                buf.writerIndex(n);
                ch.deliver(buf);
                if (!ch.readWanted()) return;
                if (n < READ_CHUNK) return;
                continue;
            }
            buf.release();
            if (n == 0) return;
            // -1: the peer closed; below: an error. Either way the connection is over for reading.
            ch.deliverEnd();
            return;
        }
        wantRead.add(ch); // more may be waiting: come back after the others had their turn
    }

    private boolean readWanted() {
        int n = wantRead.size();
        for (int i = 0; i < n; i++) {
            DpdkChannel ch = wantRead.poll();
            if (conns.get(ch.connId()) == ch) read(ch);
        }
        return n > 0;
    }

    /** Queues bytes for {@code ch} (slices it retained; released here) and writes what fits. */
    void send(DpdkChannel ch, java.util.List<ByteBuf> slices) {
        execute(() -> {
            if (conns.get(ch.connId()) != ch) {
                slices.forEach(ByteBuf::release);
                return;
            }
            ch.pending().addAll(slices);
            pump(ch);
        });
    }

    /** Writes queued bytes while lwIP takes them; tells the channel's loop how many went. */
    private void pump(DpdkChannel ch) {
        ArrayDeque<ByteBuf> pending = ch.pending();
        long written = 0;
        while (!pending.isEmpty()) {
            ByteBuf b = pending.peek();
            int n = b.isReadable() ? shim.send(ch.connId(), segment(b)) : 0;
            if (n < 0) {
                log.debug("dpdk-bridge: send on {} failed: {}", ch.connId(), shim.lastError());
                break;
            }
            b.skipBytes(n);
            written += n;
            if (b.isReadable()) break; // lwIP's send buffer is full: WRITABLE comes back here
            pending.poll().release();
        }
        if (written > 0) ch.written(written);
        if (pending.isEmpty() && ch.closing() && conns.remove(ch.connId()) == ch) shim.close(ch.connId());
    }

    private static MemorySegment segment(ByteBuf b) {
        if (b.nioBufferCount() == 1) return MemorySegment.ofBuffer(b.nioBuffer());
        byte[] copy = new byte[Math.min(b.readableBytes(), READ_CHUNK)];
        b.getBytes(b.readerIndex(), copy);
        return MemorySegment.ofArray(copy);
    }

    /** Closes {@code ch}'s connection (a FIN after what lwIP holds) and forgets it. */
    void close(DpdkChannel ch) {
        execute(() -> {
            if (conns.get(ch.connId()) != ch) {
                ch.dropPending();
                return;
            }
            flushThenClose(ch);
        });
    }

    private void flushThenClose(DpdkChannel ch) {
        // Bytes the loop handed over but lwIP had no room for yet still go, as a kernel socket
        // sends its buffer after close(): the connection closes once they are in lwIP.
        ch.markClosing();
        pump(ch);
    }

    @Override
    public String toString() {
        return "dpdk-bridge " + settings.ip() + " " + Objects.toString(mac, "");
    }
}
