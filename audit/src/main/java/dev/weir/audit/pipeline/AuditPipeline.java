package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.sink.AuditSink;
import dev.weir.audit.spool.Spool;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Event loops {@link #publish} events into a bounded JCTools MPSC queue without locking or
 * blocking; one writer thread drains it in batches. Sequence numbers are assigned at publish
 * time, so a gap in the output means a dropped event; every drop is counted and recorded as a
 * gap event ({@code weir:AuditGap}).
 *
 * <p>Two shapes. {@link #AuditPipeline(AuditSink, String, int)} writes straight into one sink
 * (the original skeleton). {@link #spooled} appends to a local {@link Spool} and ships each
 * sink from it on its own thread with its own committed offset, so a slow or dead sink never
 * blocks the writer or the other sinks; {@link #publishDurable} completes once the event is
 * on disk in the spool (group commit: one fsync per batch).
 */
public final class AuditPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditPipeline.class);
    private static final int BATCH = 1024;
    /**
     * In {@code async} mode the writer waits this long after a batch before draining again, so
     * events arrive in batches: one write, one wake-up of each shipper per batch rather than
     * per event (nobody waits for an async event, and the wake-ups cost more than the writing).
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** An idle writer with nothing to force sleeps this long at most (publishers wake it sooner). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** {@code sync}: {@link #publishDurable} waits for the fsync; {@code async}: it completes on enqueue. */
    public enum Mode { SYNC, ASYNC }

    /** What happens when the spool is full: wait for room (fail closed) or drop and record the gap. */
    public enum WhenFull { BLOCK, DROP }

    /**
     * @param blockTimeout     how long {@link #publishDurable} waits (queue or spool full, fsync) before it fails
     * @param fsyncInterval    in async mode, the longest a spooled event stays un-forced
     * @param shutdownTimeout  how long {@link #close} waits for sinks to catch up
     */
    public record Options(String instanceId, int queueCapacity, Path spoolDir, long segmentBytes, long spoolMaxBytes,
                          Mode mode, WhenFull whenFull, Duration blockTimeout, Duration fsyncInterval,
                          Duration shutdownTimeout) {
        public Options {
            if (queueCapacity <= 0) queueCapacity = 65_536;
            if (segmentBytes <= 0) segmentBytes = 16L << 20;
            if (spoolMaxBytes <= 0) spoolMaxBytes = 1L << 30;
            if (mode == null) mode = Mode.ASYNC;
            if (whenFull == null) whenFull = WhenFull.BLOCK;
            if (blockTimeout == null) blockTimeout = Duration.ofSeconds(2);
            if (fsyncInterval == null) fsyncInterval = Duration.ofMillis(200);
            if (shutdownTimeout == null) shutdownTimeout = Duration.ofSeconds(10);
        }

        public static Options defaults(String instanceId, Path spoolDir) {
            return new Options(instanceId, 0, spoolDir, 0, 0, null, null, null, null, null);
        }
    }

    /** A sink and its name (the name keys its offset file, so keep it stable: [A-Za-z0-9_-]+). */
    public record NamedSink(String name, AuditSink sink) {
        public NamedSink {
            if (!name.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("bad audit sink name '" + name + "'");
        }
    }

    /** The event and, for {@link #publishDurable}, the future to complete. */
    private record Entry(AuditEvent event, CompletableFuture<Long> done) {}

    private final MpscArrayQueue<Entry> queue;
    private final String instanceId;
    private final Options options;
    private final AuditSink direct;
    private final Spool spool;
    private final List<Shipper> shippers;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    /** True while the writer sleeps on an empty queue: only then does a publisher wake it (async mode). */
    private volatile boolean writerIdle;
    // writer thread only
    private final List<Entry> waiting = new ArrayList<>();
    private long droppedRecorded;
    private long lastForceNanos = System.nanoTime();

    /** Writes straight into one sink, flushing after each batch (no spool). */
    public AuditPipeline(AuditSink sink, String instanceId, int capacity) {
        this(new Options(instanceId, capacity, null, 0, 0, Mode.ASYNC, WhenFull.DROP, null, null, null), sink, null, List.of());
    }

    private AuditPipeline(Options options, AuditSink direct, Spool spool, List<Shipper> shippers) {
        this.options = options;
        this.queue = new MpscArrayQueue<>(options.queueCapacity());
        this.instanceId = options.instanceId();
        this.direct = direct;
        this.spool = spool;
        this.shippers = shippers;
        for (Shipper s : shippers) s.start();
        this.writer = Thread.ofPlatform().name("weir-audit-writer").daemon(false).unstarted(this::drainLoop);
        this.writer.start();
    }

    /** Opens (or recovers) the spool in {@code options.spoolDir()} and starts one shipper per sink. */
    public static AuditPipeline spooled(Options options, List<NamedSink> sinks) throws IOException {
        Spool spool = new Spool(options.spoolDir(), options.segmentBytes(), options.spoolMaxBytes());
        List<Shipper> shippers = new ArrayList<>();
        for (NamedSink s : sinks) shippers.add(new Shipper(s.name(), s.sink(), spool, options.spoolDir().resolve(s.name() + ".offset")));
        return new AuditPipeline(options, null, spool, List.copyOf(shippers));
    }

    /** Offers an event; never blocks. Returns its sequence number, or -1 if it was dropped (queue full). */
    public long publish(AuditEvent event) {
        long seq = sequence.incrementAndGet();
        if (!queue.offer(new Entry(event.numbered(seq, instanceId), null))) {
            dropped.incrementAndGet();
            wakeWriter(false);
            return -1;
        }
        published.incrementAndGet();
        wakeWriter(false);
        return seq;
    }

    /**
     * Offers an event and returns a future for its durability; never blocks the caller.
     * In {@code sync} mode the future completes with the sequence number once the event is
     * forced to disk in the spool (without a spool: once the sink has flushed it); in
     * {@code async} mode as soon as it is queued. When the queue or spool is full: in
     * {@code block} mode the future keeps trying and fails with a TimeoutException after
     * {@code blockTimeout} (answer the client 5xx); in {@code drop} mode it completes with -1.
     */
    public CompletableFuture<Long> publishDurable(AuditEvent event) {
        long seq = sequence.incrementAndGet();
        AuditEvent numbered = event.numbered(seq, instanceId);
        boolean sync = options.mode() == Mode.SYNC;
        CompletableFuture<Long> done = new CompletableFuture<>();
        Entry entry = new Entry(numbered, sync ? done : null);
        if (queue.offer(entry)) {
            published.incrementAndGet();
            wakeWriter(sync);
            if (!sync) done.complete(seq);
        } else if (options.whenFull() == WhenFull.DROP) {
            dropped.incrementAndGet();
            wakeWriter(false);
            done.complete(-1L);
        } else {
            retryOffer(entry, done, sync, seq);
        }
        return sync || !done.isDone() ? done.orTimeout(options.blockTimeout().toNanos(), TimeUnit.NANOSECONDS) : done;
    }

    private void retryOffer(Entry entry, CompletableFuture<Long> done, boolean sync, long seq) {
        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(() -> {
            if (done.isDone()) {
                dropped.incrementAndGet();  // timed out before it was queued: the client got a 5xx, the event is lost
                return;
            }
            if (queue.offer(entry)) {
                published.incrementAndGet();
                wakeWriter(sync);
                if (!sync) done.complete(seq);
            } else {
                retryOffer(entry, done, sync, seq);
            }
        });
    }

    /**
     * Wakes the writer for a waiting ({@code sync}) caller always, otherwise only when it sleeps
     * on an empty queue; while it lingers after a batch the event simply joins the next batch.
     */
    private void wakeWriter(boolean waiter) {
        if (waiter || writerIdle) LockSupport.unpark(writer);
    }

    /** {@code SYNC}: {@link #publishDurable} waits for the fsync (the proxy then records a decision before forwarding). */
    public Mode mode() {
        return options.mode();
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    /** A snapshot of every counter. */
    public AuditCounters counters() {
        List<AuditCounters.Sink> sinks = new ArrayList<>();
        long end = spool == null ? written.get() : spool.end();
        for (Shipper s : shippers) {
            sinks.add(new AuditCounters.Sink(s.name, s.shipped.get(), s.retried.get(), s.dropped(), Math.max(0, end - s.committed),
                    s.committed, s.lastError));
        }
        return new AuditCounters(published.get(), written.get(), dropped.get(), gaps.get(),
                spool == null ? 0 : spool.bytes(), end, List.copyOf(sinks));
    }

    private void drainLoop() {
        boolean linger = options.mode() == Mode.ASYNC;
        while (running || !queue.isEmpty()) {
            int n = queue.drain(this::append, BATCH);
            boolean gap = recordGap();
            if (n > 0 || gap) {
                commit(false);
                if (linger && running && n < BATCH) LockSupport.parkNanos(LINGER_NANOS);
            } else {
                long sleep = IDLE_NANOS;
                if (spool != null && spool.durable() < spool.end()) {
                    long dueIn = options.fsyncInterval().toNanos() - (System.nanoTime() - lastForceNanos);
                    if (dueIn <= 0) {
                        commit(true);
                    } else {
                        sleep = dueIn;
                    }
                }
                // Sleep until a publisher or close wakes us (or the next fsync is due). The flag is
                // raised before the queue is checked again, so an event offered meanwhile is seen
                // either here or by its publisher, which then wakes us.
                writerIdle = true;
                if (running && queue.isEmpty() && dropped.get() == droppedRecorded) LockSupport.parkNanos(sleep);
                writerIdle = false;
            }
        }
        recordGap();
        commit(true);
    }

    private void append(Entry entry) {
        try {
            if (direct != null) {
                direct.write(entry.event());
            } else {
                byte[] bytes = EventCodec.encode(entry.event());
                if (!roomFor(bytes.length)) {
                    dropped.incrementAndGet();
                    if (entry.done() != null) entry.done().complete(-1L);
                    return;
                }
                spool.append(bytes);
            }
            written.incrementAndGet();
            if (entry.done() != null) waiting.add(entry);
        } catch (IOException ex) {
            log.error("audit: cannot write event {}: {}", entry.event().sequence(), ex.toString());
            dropped.incrementAndGet();
            if (entry.done() != null) entry.done().completeExceptionally(ex);
        }
    }

    /** True if the spool has room; in block mode waits for the sinks to free some (until close gives up). */
    private boolean roomFor(int bytes) throws IOException {
        long deadline = 0;
        while (true) {
            spool.release(minCommitted());
            if (spool.hasRoom(bytes)) return true;
            if (options.whenFull() == WhenFull.DROP) return false;
            commit(false);  // make what is appended readable (and durable for waiters) so sinks can catch up
            if (!running) {
                if (deadline == 0) deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
                if (System.nanoTime() > deadline) return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private long minCommitted() {
        long min = spool.end();
        for (Shipper s : shippers) min = Math.min(min, s.committed);
        return min;
    }

    /** Appends a gap event if events were dropped since the last one (and there is room for it). */
    private boolean recordGap() {
        long d = dropped.get();
        if (d == droppedRecorded) return false;
        long lost = d - droppedRecorded;
        AuditEvent gap = AuditEvent.builder().sequence(sequence.incrementAndGet()).instance(instanceId)
                .timeMicros(System.currentTimeMillis() * 1000).operation("weir:AuditGap").decision("DROPPED")
                .note(lost + " audit event" + (lost == 1 ? " was" : "s were") + " dropped (queue or spool full); "
                        + "their sequence numbers are missing")
                .build();
        try {
            if (direct != null) {
                direct.write(gap);
            } else {
                byte[] bytes = EventCodec.encode(gap);
                spool.release(minCommitted());
                if (!spool.hasRoom(bytes.length)) return false;  // recorded once there is room
                spool.append(bytes);
            }
        } catch (IOException ex) {
            log.error("audit: cannot record a gap of {} events: {}", lost, ex.toString());
            return false;
        }
        droppedRecorded = d;
        written.incrementAndGet();
        gaps.incrementAndGet();
        return true;
    }

    /** Flushes the batch; forces it when a sync caller waits or the fsync interval passed; completes waiters. */
    private void commit(boolean force) {
        try {
            if (direct != null) {
                direct.flush();
            } else {
                boolean doForce = force || !waiting.isEmpty()
                        || System.nanoTime() - lastForceNanos > options.fsyncInterval().toNanos();
                spool.flush(doForce);
                if (doForce) lastForceNanos = System.nanoTime();
                for (Shipper s : shippers) s.wake();
            }
            for (Entry e : waiting) e.done().complete(e.event().sequence());
            waiting.clear();
        } catch (IOException ex) {
            log.error("audit: cannot flush: {}", ex.toString());
            for (Entry e : waiting) e.done().completeExceptionally(ex);
            waiting.clear();
        }
    }

    /**
     * Stops accepting work, drains every queued event into the spool (or sink), forces it to
     * disk, then lets every sink catch up for up to {@code shutdownTimeout}; a sink still
     * behind keeps its offset and resumes from it on the next start.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (direct != null) {
            try {
                direct.close();
            } catch (IOException ex) {
                log.error("audit sink failed to close: {}", ex.toString());
            }
            return;
        }
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        for (Shipper s : shippers) {
            s.finishWhenCaughtUp = true;
            LockSupport.unpark(s.thread);
        }
        for (Shipper s : shippers) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) s.thread.join(Duration.ofNanos(left));
                if (s.thread.isAlive()) {
                    log.warn("audit sink {} is {} records behind at shutdown; it resumes from its offset on the next start",
                            s.name, spool.end() - s.committed);
                    s.stopNow = true;
                    LockSupport.unpark(s.thread);
                    s.thread.join(Duration.ofSeconds(6));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            spool.close();
        } catch (IOException ex) {
            log.error("audit spool failed to close: {}", ex.toString());
        }
    }
}
