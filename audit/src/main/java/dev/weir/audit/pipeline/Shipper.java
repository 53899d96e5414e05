package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.sink.AuditSink;
import dev.weir.audit.spool.Cursor;
import dev.weir.audit.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Ships one sink from the spool at the sink's own pace: reads a batch from its committed
 * offset, writes and flushes it, then commits the offset to {@code SPOOL/NAME.offset}. A
 * failure is retried from the committed offset with backoff (100 ms doubling to 5 s), so a
 * sink sees every record at least once, in spool order, and resumes by itself once the
 * failure clears (a receiver back, a disk with space again); records are repeated only after
 * a failure, or after a crash: the offset file is saved at most every {@value #SAVE_EVERY_MS}
 * ms, whether records flow or trickle (a shipper that has caught up saves once that interval
 * has passed since its last save), and when it stops, so a crash repeats what was shipped
 * since the last save, at most that long of records.
 *
 * <p>A record that cannot be read (damaged bytes on disk, or bytes that do not decode as an
 * event) would fail the same way forever, so it is not retried: it is skipped, and reported
 * once with the events read just before and after it, so the pipeline records the sequence
 * numbers it held in a gap event.
 */
final class Shipper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Shipper.class);
    private static final int BATCH = 512;
    private static final long MAX_BACKOFF_MS = 5_000;
    /**
     * After a batch that did not fill up, wait this long before reading again: a sink's flush
     * (an fsync or two for the chained file, a network round trip for the others), the offset
     * commit and the wake-ups are paid per batch, so at modest rates shipping once per interval
     * costs a fraction of shipping every event as it comes. It is also the most an event waits.
     * It was 20 ms: at 6,000 events a second into the default config's two sinks the shippers
     * then used about 12.6 µs of CPU per event, at 100 ms 8.5 (at 1,500 a second, 28.5 and 13;
     * issue 16). A SIEM gets each event at most about a tenth of a second later.
     */
    static final long LINGER_MS = 100;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
    /**
     * How often the committed offset is saved while records flow. Saving is a write and a
     * rename (two metadata changes); once per batch it was 2% of weir's CPU under load
     * (issue 16). In memory the offset advances with every batch, so the spool releases
     * segments as before; a saved offset behind the spool's start only means the records since
     * then are shipped again after a crash.
     */
    static final long SAVE_EVERY_MS = 250;
    private static final long SAVE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(SAVE_EVERY_MS);
    /** With nothing to read, sleep this long at most; the writer wakes the shipper when it commits. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Told about damaged records: the spool offsets, why, and the events read just before and after (null if none). */
    @FunctionalInterface
    interface Damage {
        void damaged(long offset, long records, String why, AuditEvent before, AuditEvent after);
    }

    /** Damaged records met, waiting for the event after them so the numbers they held are known. */
    private record Unreported(long offset, long records, String why, AuditEvent before) {}

    final String name;
    private final AuditSink sink;
    private final Spool spool;
    private final Path offsetFile;
    private final Damage damage;
    /** The events this pipeline's shippers decoded lately, shared by them. */
    private final Decoded decoded;
    volatile long committed;
    final AtomicLong shipped = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    volatile String lastError;
    volatile boolean finishWhenCaughtUp;
    volatile boolean stopNow;
    /** True while the shipper sleeps with nothing to read: only then does the writer's commit wake it. */
    private volatile boolean idle;
    Thread thread;
    // shipper thread only
    private AuditEvent lastRead;
    private Unreported unreported;
    private boolean offsetUnsaved;
    /** The offset committed in memory is ahead of the saved one. */
    private boolean offsetDirty;
    private long savedAt = System.nanoTime();
    /** Where the shipper reads the spool (its thread's only), and how long it waits after the sink failed, in ms. */
    private Cursor cursor;
    private long backoff = 100;
    /** How many times the offset file was written (tests: how often saving costs a write and a rename). */
    volatile long saves;

    Shipper(String name, AuditSink sink, Spool spool, Path offsetFile, Damage damage) throws IOException {
        this(name, sink, spool, offsetFile, damage, new Decoded());
    }

    /** As above, sharing {@code decoded} with the pipeline's other shippers, so each record is decoded about once. */
    Shipper(String name, AuditSink sink, Spool spool, Path offsetFile, Damage damage, Decoded decoded) throws IOException {
        this.name = name;
        this.decoded = decoded;
        this.sink = sink;
        this.spool = spool;
        this.offsetFile = offsetFile;
        this.damage = damage;
        long saved = Files.exists(offsetFile) ? Long.parseLong(Files.readString(offsetFile).trim()) : spool.start();
        this.committed = Math.max(saved, spool.start());
    }

    long dropped() {
        return sink.dropped();
    }

    /** Called by the writer after each commit: wakes the shipper if it sleeps, never cuts its linger short. */
    void wake() {
        if (idle) LockSupport.unpark(thread);
    }

    void start() {
        thread = Thread.ofPlatform().name("weir-audit-ship-" + name).daemon(true).start(this);
    }

    @Override
    public void run() {
        cursor = spool.cursor(committed);
        try {
            while (!stopNow && shipOnce()) {
                // each turn in a method of its own (below)
            }
        } finally {
            if (offsetDirty) saveOffset();
            closeQuietly(cursor);
            try {
                sink.close();
            } catch (Exception ex) {
                log.warn("audit sink {} failed to close: {}", name, ex.toString());
            }
        }
    }

    /**
     * One turn of the shipper's loop (a batch, or a wait when caught up); false once it is done. A
     * method of its own, so the JIT compiles it: the loop turns about ten times a second (it waits
     * 100 ms after a batch that did not fill up), too seldom for the JIT to compile the loop where
     * it runs, so it ran in the interpreter (issue 16).
     */
    private boolean shipOnce() {
        List<Cursor.Entry> batch;
        long records = 0;
        try {
            batch = cursor.read(BATCH);
            if (batch.isEmpty()) {
                report(null);  // caught up: whatever follows a damaged record is not there yet
                // Caught up, the offset is saved once the interval since the last save has
                // passed, not at once: at a low rate every event is a batch of its own, and
                // saving after each was a write and a rename per request (issue 16).
                long saveIn = SAVE_EVERY_NANOS - (System.nanoTime() - savedAt);
                if (offsetDirty && (saveIn <= 0 || finishWhenCaughtUp)) saveOffset();
                if (finishWhenCaughtUp && committed >= spool.end()) return false;
                // The flag goes up before the end is read again, so a commit in between
                // either is seen here or wakes us.
                idle = true;
                if (cursor.next() >= spool.end() && !finishWhenCaughtUp && !stopNow) {
                    LockSupport.parkNanos(offsetDirty ? Math.max(1, Math.min(saveIn, IDLE_NANOS)) : IDLE_NANOS);
                }
                idle = false;
                return true;
            }
            for (Cursor.Entry e : batch) {
                if (e instanceof Cursor.Record) records++;
                ship(e);
            }
            sink.flush();
        } catch (Exception ex) {
            retried.incrementAndGet();
            if (lastError == null || !lastError.equals(ex.toString())) {
                log.warn("audit sink {} failed, retrying from spool offset {}: {}", name, committed, ex.toString());
            }
            lastError = ex.toString();
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            closeQuietly(cursor);
            cursor = spool.cursor(committed);
            return true;
        }
        if (lastError != null) log.info("audit sink {} delivers again from spool offset {}", name, committed);
        committed = cursor.next();
        shipped.addAndGet(records);  // counted in the loop: a stream per batch was 1% of a loaded weir's samples
        lastError = null;
        backoff = 100;
        offsetDirty = true;
        if (System.nanoTime() - savedAt >= SAVE_EVERY_NANOS) saveOffset();
        if (batch.size() < BATCH && !finishWhenCaughtUp && !stopNow) LockSupport.parkNanos(LINGER_NANOS);
        return true;
    }

    /** Writes one record to the sink; a record that cannot be read is skipped and reported. */
    private void ship(Cursor.Entry entry) throws IOException {
        switch (entry) {
            case Cursor.Damaged d -> skip(d.offset(), d.count(), d.reason());
            case Cursor.Record r -> {
                AuditEvent event = decoded.get(r.offset());
                if (event == null) {
                    try {
                        event = EventCodec.decode(r.payload());
                    } catch (IOException | RuntimeException bad) {
                        skip(r.offset(), 1, "the record does not decode as an event: " + bad.getMessage());
                        return;
                    }
                    decoded.put(r.offset(), event);
                }
                report(event);
                sink.write(event);
                lastRead = event;
            }
        }
    }

    private void skip(long offset, long records, String why) {
        if (unreported != null) {
            if (unreported.offset() + unreported.records() == offset) {  // damage right after damage: one span
                unreported = new Unreported(unreported.offset(), unreported.records() + records,
                        unreported.why() + "; " + why, unreported.before());
                return;
            }
            report(null);
        }
        unreported = new Unreported(offset, records, why, lastRead);
    }

    /** Reports the damaged records met last, now that the event after them is known (or null: not yet there). */
    private void report(AuditEvent after) {
        if (unreported == null) return;
        Unreported u = unreported;
        unreported = null;
        damage.damaged(u.offset(), u.records(), u.why(), u.before(), after);
    }

    private void saveOffset() {
        saves++;
        try {
            Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(committed), StandardCharsets.US_ASCII);
            Files.move(tmp, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            offsetUnsaved = false;
            offsetDirty = false;
            savedAt = System.nanoTime();
        } catch (IOException ex) {
            // Shipping goes on; after a restart the sink gets the records since the saved offset again.
            if (!offsetUnsaved) log.warn("audit sink {}: cannot save its spool offset: {}", name, ex.toString());
            offsetUnsaved = true;
        }
    }

    private void sleep(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!stopNow && System.nanoTime() < until) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }

    private static void closeQuietly(Cursor c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only channel
        }
    }
}
