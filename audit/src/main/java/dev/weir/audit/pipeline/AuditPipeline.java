package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.event.PendingEvent;
import dev.weir.audit.sink.AuditSink;
import dev.weir.audit.spool.SegmentChannels;
import dev.weir.audit.spool.Spool;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Event loops {@link #publish} events into a bounded JCTools MPSC queue without locking or
 * blocking; one writer thread drains it in batches. Sequence numbers are assigned at publish
 * time, so a missing number means a lost event; every loss is counted and recorded, with the
 * numbers lost, in a gap event ({@code weir:AuditGap}).
 *
 * <p>A publisher hands over a {@link PendingEvent}; the writer makes it into its event and
 * numbers it with the number given at publish time, so an event loop builds no event.
 *
 * <p>Two shapes. {@link #AuditPipeline(AuditSink, String, int)} writes straight into one sink
 * (the original skeleton). {@link #spooled} appends to a local {@link Spool} and ships each
 * sink from it on its own thread with its own committed offset, so a slow or dead sink never
 * blocks the writer or the other sinks; {@link #publishDurable} completes once the event is
 * on disk in the spool (group commit: one fsync per batch).
 *
 * <p><b>When the spool cannot be written</b> (a full disk, an I/O error): the spool discards
 * the records it could not write whole, and the writer learns which events they were. In
 * {@code block} mode it keeps them, in order, and writes them again (backing off up to 100 ms)
 * until the disk takes them; meanwhile it drains nothing, so the queue fills and callers
 * fail after {@code blockTimeout}: no event is lost, requests fail closed. In {@code drop}
 * mode they are lost, counted, completed with -1 and recorded in a gap event as soon as the
 * disk takes one. A {@code sync} future completes successfully only after the fsync that
 * covers its record: never for a record that was not written whole, nor for one a failed
 * write cut off again.
 */
public final class AuditPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditPipeline.class);
    private static final int BATCH = 1024;
    /** A gap event lists at most this many ranges; the rest go into the next one. */
    private static final int GAP_RANGES = 256;
    /**
     * In {@code async} mode the writer waits this long after a batch before draining again, so
     * events arrive in batches: one write, one wake-up of each shipper per batch rather than
     * per event (nobody waits for an async event, and the wake-ups cost more than the writing).
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** An idle writer with nothing to force sleeps this long at most (publishers wake it sooner). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After a failed write, the writer tries again after this long, doubling up to {@link #MAX_RETRY_NANOS}. */
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** {@code sync}: {@link #publishDurable} waits for the fsync; {@code async}: it completes on enqueue. */
    public enum Mode { SYNC, ASYNC }

    /** What happens when the spool is full or cannot be written: wait (fail closed) or drop and record the gap. */
    public enum WhenFull { BLOCK, DROP }

    /**
     * @param blockTimeout     how long {@link #publishDurable} waits (queue or spool full, fsync) before it fails
     * @param fsyncInterval    in async mode, the longest a spooled event stays un-forced
     * @param shutdownTimeout  how long {@link #close} waits for the spool and the sinks
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

    /**
     * A published event, its sequence number and, for {@link #publishDurable} in sync mode, the
     * future to complete; for a gap event, what it records. The event itself is made from what the
     * publisher handed over ({@link PendingEvent}) on the writer's thread, once.
     */
    private static final class Entry {
        final long seq;
        final CompletableFuture<Long> done;
        final Losses.Gap lost;
        // writer thread only: the pending event until it is made, then the numbered event
        private PendingEvent pending;
        private AuditEvent event;

        Entry(PendingEvent pending, long seq, CompletableFuture<Long> done, Losses.Gap lost) {
            this.pending = pending;
            this.seq = seq;
            this.done = done;
            this.lost = lost;
        }

        boolean gap() {
            return lost != null;
        }

        /** The numbered event, made on first use (on the writer's thread). */
        AuditEvent event(String instanceId) {
            if (event == null) {
                event = pending.event().numbered(seq, instanceId);
                pending = null;
            }
            return event;
        }
    }

    /**
     * An entry appended to the spool at {@code offset}, not yet known to be written; {@code event}
     * is its event when its record decodes to that event (handed to the shippers once written), else null.
     */
    private record Placed(Entry entry, long offset, AuditEvent event) {}

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
    private final AtomicLong damaged = new AtomicLong();
    private final AtomicLong forces = new AtomicLong();
    private volatile String writeError;
    /** Every loss not yet in a written gap event (publishers, shippers and the writer add to it). */
    private final Losses losses = new Losses();
    private final Set<Long> damageReported = ConcurrentHashMap.newKeySet();
    private final Thread writer;
    /** Fails waiting futures after blockTimeout (one thread, not a timer task per event). */
    private final Deadlines deadlines;
    private volatile boolean running = true;
    /** True while the writer sleeps on an empty queue: only then does a publisher wake it (async mode). */
    private volatile boolean writerIdle;
    // writer thread only
    private final List<Placed> unwritten = new ArrayList<>();
    /** The writer's encoder: one buffer for every event. */
    private final EventCodec.Encoder encoder = new EventCodec.Encoder();
    /**
     * The events of recent spool records, shared by the shippers (null without sinks): the writer
     * puts each event there once its record is written, so a shipper that reads the record takes
     * the event instead of decoding its bytes (issue 16).
     */
    private final Decoded decoded;
    private final List<Entry> waiting = new ArrayList<>();
    private final ArrayDeque<Entry> stalled = new ArrayDeque<>();
    /** The sequence number of a gap event that could not be written yet: the next one reuses it, so no number goes missing. */
    private long gapSequence;
    private long retryNanos = FIRST_RETRY_NANOS;
    private long lastForceNanos = System.nanoTime();
    private long giveUpAt;  // once closing: when the writer stops waiting for the disk (0 while running)

    /** Writes straight into one sink, flushing after each batch (no spool). */
    public AuditPipeline(AuditSink sink, String instanceId, int capacity) {
        this(new Options(instanceId, capacity, null, 0, 0, Mode.ASYNC, WhenFull.DROP, null, null, null), sink, null,
                List.of(), null);
    }

    private AuditPipeline(Options options, AuditSink direct, Spool spool, List<NamedSink> sinks, Path offsets) {
        this.options = options;
        this.queue = new MpscArrayQueue<>(options.queueCapacity());
        this.instanceId = options.instanceId();
        this.direct = direct;
        this.spool = spool;
        List<Shipper> ships = new ArrayList<>();
        this.decoded = sinks.isEmpty() ? null : new Decoded();
        try {
            for (NamedSink s : sinks) {
                ships.add(new Shipper(s.name(), s.sink(), spool, offsets.resolve(s.name() + ".offset"), this::damaged, decoded));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.shippers = List.copyOf(ships);
        this.deadlines = new Deadlines(options.blockTimeout().toNanos());
        for (Shipper s : shippers) s.start();
        this.writer = Thread.ofPlatform().name("weir-audit-writer").daemon(false).unstarted(this::drainLoop);
        this.writer.start();
    }

    /** Opens (or recovers) the spool in {@code options.spoolDir()} and starts one shipper per sink. */
    public static AuditPipeline spooled(Options options, List<NamedSink> sinks) throws IOException {
        return spooled(options, sinks, SegmentChannels.DEFAULT);
    }

    /** As {@link #spooled(Options, List)}, with the spool's files opened through {@code channels} (tests inject faults). */
    static AuditPipeline spooled(Options options, List<NamedSink> sinks, SegmentChannels channels) throws IOException {
        Spool spool = new Spool(options.spoolDir(), options.segmentBytes(), options.spoolMaxBytes(), channels);
        try {
            return new AuditPipeline(options, null, spool, sinks, options.spoolDir());
        } catch (java.io.UncheckedIOException e) {
            spool.close();
            throw e.getCause();
        }
    }

    /**
     * Offers an event; never blocks. Returns its sequence number, or -1 if it was dropped (queue
     * full). A {@link PendingEvent} is made into its event on the writer's thread.
     */
    public long publish(PendingEvent event) {
        long seq = sequence.incrementAndGet();
        if (!queue.offer(new Entry(event, seq, null, null))) {
            lostElsewhere(seq, Losses.Reason.QUEUE_FULL);
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
     * {@code async} mode as soon as it is queued. When the queue or spool is full or the spool
     * cannot be written: in {@code block} mode the future fails with a TimeoutException after
     * {@code blockTimeout} (answer the client 5xx); in {@code drop} mode it completes with -1
     * (the event is lost, counted and recorded in a gap event). It never completes with a
     * sequence number for an event that is not on disk. A {@link PendingEvent} is made into its
     * event on the writer's thread; if that fails (a bug), the event is lost, counted and recorded,
     * and a sync future fails.
     */
    public CompletableFuture<Long> publishDurable(PendingEvent event) {
        long seq = sequence.incrementAndGet();
        boolean sync = options.mode() == Mode.SYNC;
        CompletableFuture<Long> done = new CompletableFuture<>();
        Entry entry = new Entry(event, seq, sync ? done : null, null);
        if (queue.offer(entry)) {
            published.incrementAndGet();
            wakeWriter(sync);
            if (!sync) done.complete(seq);
        } else if (options.whenFull() == WhenFull.DROP) {
            lostElsewhere(seq, Losses.Reason.QUEUE_FULL);
            done.complete(-1L);
        } else {
            retryOffer(entry, done, sync, seq);
        }
        return sync || !done.isDone() ? deadlines.bound(done) : done;
    }

    private void retryOffer(Entry entry, CompletableFuture<Long> done, boolean sync, long seq) {
        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(() -> {
            if (done.isDone()) {
                // timed out before it was queued: the client got a 5xx, the event is lost
                lostElsewhere(seq, Losses.Reason.TIMED_OUT);
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

    private void lostElsewhere(long seq, Losses.Reason reason) {
        dropped.incrementAndGet();
        losses.add(seq, reason);
        wakeWriter(false);
    }

    /**
     * A shipper met damaged spool records at {@code offset} (once per offset, whichever sink
     * comes first). The events between the last one read before and the first one after are
     * lost; if those are not of one instance, only the count of records is known.
     */
    private void damaged(long offset, long records, String why, AuditEvent before, AuditEvent after) {
        if (!damageReported.add(offset)) return;
        damaged.addAndGet(records);
        Losses.Lost lost;
        String detail = "spool records " + offset + (records > 1 ? ".." + (offset + records - 1) : "") + " damaged: " + why;
        if (before != null && after != null && before.instance() != null && before.instance().equals(after.instance())
                && after.sequence() > before.sequence() + 1) {
            lost = new Losses.Lost(before.sequence() + 1, after.sequence() - 1, 0, Losses.Reason.DAMAGED, detail);
            dropped.addAndGet(after.sequence() - before.sequence() - 1);
        } else {
            lost = new Losses.Lost(1, 0, records, Losses.Reason.DAMAGED, detail);
            dropped.addAndGet(records);
        }
        log.error("audit: {}; the events they held are lost and recorded as a gap", detail);
        losses.add(lost);
        wakeWriter(false);
    }

    /**
     * Wakes the writer for a waiting ({@code sync}) caller always, otherwise only when it sleeps
     * on an empty queue; while it lingers after a batch the event simply joins the next batch.
     */
    private void wakeWriter(boolean waiter) {
        if (waiter || writerIdle) LockSupport.unpark(writer);
    }

    /** For tests: the event kept for the shippers for the spool record at {@code offset}, or null. */
    AuditEvent handedOver(long offset) {
        return decoded == null ? null : decoded.get(offset);
    }

    /**
     * About how many events wait in the queue for the writer now (a moment's figure, for a
     * publisher deciding whether to hand over a {@link PendingEvent} or the event itself).
     */
    public int queued() {
        return queue.size();
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
        return new AuditCounters(published.get(), written.get(), dropped.get(), gaps.get(), damaged.get(),
                spool == null ? 0 : spool.bytes(), end, forces.get(), writeError, List.copyOf(sinks));
    }

    // ---------------------------------------------------------------- the writer thread

    private void drainLoop() {
        boolean linger = options.mode() == Mode.ASYNC;
        while (drainOnce(linger)) {
            // each turn in a method of its own (below)
        }
        commit(true);
        if (!losses.isEmpty()) {
            log.error("audit: could not record the last gap event before shutdown: {}", losses.take(GAP_RANGES).note());
        }
    }

    /**
     * One turn of the writer's loop; false once it should stop. A method of its own, so the JIT
     * compiles it: the loop turns a few hundred times a second (it lingers 5 ms per batch), too
     * seldom for the JIT to compile the loop where it runs, and the writer ran its loop in the
     * interpreter for minutes, a quarter of its CPU (issue 16).
     */
    private boolean drainOnce(boolean linger) {
        if (!running && giveUpAt == 0) giveUpAt = System.nanoTime() + options.shutdownTimeout().toNanos();
        if (!stalled.isEmpty()) {
            if (!running && givingUp()) {
                // stopping while the disk still refuses them: they are lost, and their waiters told so
                log.error("audit: stopping with {} events the disk never took; they are lost", stalled.size());
                java.io.IOException lost = new java.io.IOException("the audit stopped before the disk took the event");
                for (Entry e : stalled) if (e.done != null) e.done.completeExceptionally(lost);
                stalled.clear();
                return true;
            }
            if (!retryStalled()) {
                LockSupport.parkNanos(retryNanos);
                retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
            }
            return true;
        }
        int n = queue.drain(this::append, BATCH);
        boolean gap = recordGap();
        if (n > 0 || gap) {
            commit(false);
            if (n == 0 && !losses.isEmpty()) {
                // the gap event did not get written (a full disk): try again later, or, stopping, give up
                if (!running && givingUp()) return false;
                LockSupport.parkNanos(retryNanos);
                retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
            } else if (linger && running && n < BATCH && stalled.isEmpty()) {
                LockSupport.parkNanos(LINGER_NANOS);
            }
            return true;
        }
        if (!running && queue.isEmpty() && stalled.isEmpty()
                && (losses.isEmpty() || givingUp())) {
            return false;
        }
        long sleep = IDLE_NANOS;
        if (spool != null && spool.durable() < spool.end()) {
            long dueIn = options.fsyncInterval().toNanos() - (System.nanoTime() - lastForceNanos);
            if (dueIn <= 0) {
                commit(true);
                return true;
            }
            sleep = dueIn;
        }
        if (!losses.isEmpty()) sleep = Math.min(sleep, MAX_RETRY_NANOS);  // a gap event waits for room
        // Sleep until a publisher or close wakes us (or the next fsync is due). The flag is
        // raised before the queue is checked again, so an event offered meanwhile is seen
        // either here or by its publisher, which then wakes us.
        writerIdle = true;
        if (running && queue.isEmpty()) LockSupport.parkNanos(sleep);
        writerIdle = false;
        return true;
    }

    /** Once closing, true after {@code shutdownTimeout}: the writer stops waiting for the disk or the sinks. */
    private boolean givingUp() {
        return giveUpAt != 0 && System.nanoTime() - giveUpAt > 0;
    }

    /** The drain callback: behind entries that wait for the disk, an entry waits too (order is kept). */
    private void append(Entry entry) {
        if (!stalled.isEmpty()) {
            stalled.add(entry);
            return;
        }
        place(entry);
    }

    /** Appends one entry to the spool (or writes it to the direct sink); a write failure is sorted out at once. */
    private void place(Entry entry) {
        AuditEvent event;
        try {
            event = entry.event(instanceId);
        } catch (RuntimeException bug) {
            // A fault in what the publisher handed over: never a reason to stop the writer.
            log.error("audit: event {} could not be made ({}); it is lost and recorded as a gap", entry.seq, bug.toString());
            lose(entry, Losses.Reason.UNMADE, bug.getClass().getSimpleName());
            return;
        }
        if (direct != null) {
            try {
                direct.write(event);
                written.incrementAndGet();
                if (entry.gap()) gaps.incrementAndGet();
                if (entry.done != null) waiting.add(entry);
            } catch (IOException ex) {
                writeError = ex.toString();
                if (entry.gap()) giveBack(entry);
                else lose(entry, Losses.Reason.WRITE_FAILED, ex.toString());
            }
            return;
        }
        byte[] bytes = encoder.encode(event);
        AuditEvent handed = encoder.lossless() ? event : null;
        try {
            if (!roomFor(bytes.length, entry.gap())) {
                if (entry.gap()) giveBack(entry);
                else lose(entry, Losses.Reason.SPOOL_FULL, null);
                return;
            }
            if (!stalled.isEmpty()) {  // waiting for room, a commit failed: this one waits behind them
                stalled.add(entry);
                return;
            }
            unwritten.add(new Placed(entry, spool.append(bytes), handed));
        } catch (IllegalArgumentException tooLarge) {
            lose(entry, Losses.Reason.TOO_LARGE, tooLarge.getMessage());
        } catch (IOException ex) {
            writeFailed(ex, entry);
        }
    }

    /**
     * True if the spool has room. In block mode waits for the sinks to free some (until closing
     * gives up); in drop mode, and for a gap event, answers at once.
     */
    private boolean roomFor(int bytes, boolean gap) {
        while (true) {
            release();
            if (spool.hasRoom(bytes)) return true;
            if (options.whenFull() == WhenFull.DROP || gap || givingUp()) return false;
            commit(false);  // make what is appended readable (and durable for waiters) so sinks can catch up
            if (!stalled.isEmpty()) return true;  // the disk failed meanwhile; the caller queues behind
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (!running && giveUpAt == 0) giveUpAt = System.nanoTime() + options.shutdownTimeout().toNanos();
        }
    }

    /** Deletes the segments every sink has shipped; a failure to delete only delays it (nothing appended is affected). */
    private void release() {
        try {
            spool.release(minCommitted());
        } catch (IOException ex) {
            log.warn("audit: cannot delete a shipped spool segment: {}", ex.toString());
        }
    }

    private long minCommitted() {
        long min = spool.end();
        for (Shipper s : shippers) min = Math.min(min, s.committed);
        return min;
    }

    /**
     * A spool write failed and the spool cut off every record it had not committed: those
     * written before stay (sync ones wait for the fsync), the rest (and {@code notAppended})
     * wait for the disk in block mode, or are lost in drop mode. A gap event is never dropped.
     */
    private void writeFailed(IOException ex, Entry notAppended) {
        if (writeError == null) {
            log.error("audit: the spool cannot be written ({}); {}", ex.toString(),
                    options.whenFull() == WhenFull.BLOCK ? "events wait for the disk, requests fail after block_timeout"
                            : "events are dropped and recorded as a gap");
        }
        writeError = ex.toString();
        long end = spool.end();
        List<Entry> failed = new ArrayList<>();
        for (Placed p : unwritten) {
            if (p.offset() < end) wrote(p.entry());
            else failed.add(p.entry());
        }
        unwritten.clear();
        if (notAppended != null) failed.add(notAppended);
        for (Entry e : failed) {
            if (options.whenFull() == WhenFull.BLOCK && !givingUp()) {
                stalled.add(e);
            } else if (e.gap()) {
                giveBack(e);
            } else {
                lose(e, Losses.Reason.WRITE_FAILED, ex.getMessage());
            }
        }
    }

    /** Writes the stalled entries again, in order; true once all are appended and written. */
    private boolean retryStalled() {
        if (givingUp()) {
            IOException ex = new IOException("audit spool still failing at shutdown: " + writeError);
            List<Entry> left = new ArrayList<>(stalled);
            stalled.clear();
            for (Entry e : left) {
                if (e.gap()) giveBack(e);
                else lose(e, Losses.Reason.SHUTDOWN, ex.getMessage());
            }
            return true;
        }
        List<Entry> again = new ArrayList<>(stalled);
        stalled.clear();
        for (Entry e : again) append(e);
        if (stalled.isEmpty()) commit(false);
        if (!stalled.isEmpty()) return false;
        retryNanos = FIRST_RETRY_NANOS;
        return true;
    }

    /** An event is lost for good: counted, its caller told (-1 in drop mode, an error in block mode), kept for the gap event. */
    private void lose(Entry e, Losses.Reason reason, String detail) {
        dropped.incrementAndGet();
        losses.add(e.seq, reason);
        if (detail != null) losses.detail(detail);
        if (e.done != null) {
            if (options.whenFull() == WhenFull.DROP) e.done.complete(-1L);
            else e.done.completeExceptionally(new IOException("audit event " + e.seq + " was lost: "
                    + reason.words + (detail == null ? "" : " (" + detail + ")")));
        }
    }

    /** An entry's record is written whole: counted; a sync one now waits for the fsync. */
    private void wrote(Entry e) {
        written.incrementAndGet();
        if (e.gap()) gaps.incrementAndGet();
        if (e.done != null) waiting.add(e);
    }

    /**
     * Appends a gap event if events were lost since the last one (and there is room for it);
     * true if one was appended. One that cannot be written gives its losses back, and the next
     * one records them with any new ones, under the same sequence number.
     */
    private boolean recordGap() {
        if (losses.isEmpty()) return false;
        long seq = gapSequence != 0 ? gapSequence : sequence.incrementAndGet();
        gapSequence = 0;
        Losses.Gap g = losses.take(GAP_RANGES);
        AuditEvent gap = AuditEvent.builder().sequence(seq).instance(instanceId)
                .timeMicros(System.currentTimeMillis() * 1000).operation("weir:AuditGap").decision("DROPPED")
                .note(g.note()).lostSequences(g.ranges()).build();
        place(new Entry(gap, seq, null, g));
        return gapSequence == 0;
    }

    /** A gap event that could not be written: its losses go back for the next one, which keeps its number. */
    private void giveBack(Entry gap) {
        losses.giveBack(gap.lost);
        gapSequence = gap.seq;
    }

    /** Writes the batch out; forces it when a sync caller waits or the fsync interval passed; completes the waiters. */
    private void commit(boolean force) {
        if (direct != null) {
            try {
                direct.flush();
                for (Entry e : waiting) e.done.complete(e.seq);
            } catch (IOException ex) {
                writeError = ex.toString();
                for (Entry e : waiting) e.done.completeExceptionally(ex);
            }
            waiting.clear();
            return;
        }
        boolean ok = true;
        try {
            spool.flush(false);
        } catch (IOException ex) {
            writeFailed(ex, null);
            ok = false;
        }
        for (Placed p : unwritten) {
            // Written whole (a failed write has already taken back what it did not write): the
            // record at p.offset is this event's for good, and the shippers need not decode it.
            if (decoded != null && p.event() != null) decoded.put(p.offset(), p.event());
            wrote(p.entry());
        }
        unwritten.clear();
        if (ok && stalled.isEmpty() && writeError != null) {
            log.info("audit: the spool is written again");
            writeError = null;
            retryNanos = FIRST_RETRY_NANOS;
        }
        for (Shipper s : shippers) s.wake();
        boolean doForce = force || !waiting.isEmpty() || System.nanoTime() - lastForceNanos > options.fsyncInterval().toNanos();
        if (!doForce) return;
        try {
            spool.flush(true);
            forces.incrementAndGet();
            lastForceNanos = System.nanoTime();
            for (Entry e : waiting) e.done.complete(e.seq);
        } catch (IOException ex) {
            // Written but not known to be on disk: the callers are told it failed (5xx); the
            // records stay in the spool (an event for a failed request, never the reverse).
            log.error("audit: cannot force the spool to disk: {}", ex.toString());
            writeError = ex.toString();
            for (Entry e : waiting) e.done.completeExceptionally(ex);
        }
        waiting.clear();
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
        deadlines.close();
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
