package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.sink.AuditSink;
import dev.weir.audit.spool.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipper's offset file: saved at most every {@link Shipper#SAVE_EVERY_MS} ms while records
 * flow or trickle (it used to be saved after every batch, and at once whenever the shipper
 * caught up), so a restart resumes where the sink is.
 */
class ShipperOffsetTest {
    private static final int RECORDS = 24 * 512;  // 24 full batches

    /** Takes every batch, and at each flush notes what the offset file says and how many batches it has seen. */
    private static final class Watching implements AuditSink {
        final Path offsetFile;
        final Set<String> savedValuesSeen = new HashSet<>();
        final AtomicInteger batches = new AtomicInteger();
        final List<Long> sequences = new ArrayList<>();

        Watching(Path offsetFile) {
            this.offsetFile = offsetFile;
        }

        @Override
        public void write(AuditEvent event) {
            sequences.add(event.sequence());
        }

        @Override
        public void flush() throws IOException {
            batches.incrementAndGet();
            if (Files.exists(offsetFile)) savedValuesSeen.add(Files.readString(offsetFile).trim());
            try {
                Thread.sleep(15);  // a slow sink: records keep flowing for longer than the save interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {}
    }

    @Test
    void theOffsetIsSavedAtMostEveryIntervalWhileRecordsFlowAndReachesTheEndOnceCaughtUp(@TempDir Path dir) throws Exception {
        try (Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 64L << 20)) {
            for (int i = 0; i < RECORDS; i++) {
                spool.append(record(i));
            }
            spool.flush(true);
            Path offsetFile = dir.resolve("spool").resolve("sink.offset");
            Watching sink = new Watching(offsetFile);
            Shipper shipper = new Shipper("sink", sink, spool, offsetFile, (o, n, why, before, after) -> {});
            long started = System.nanoTime();
            shipper.start();
            awaitSaved(offsetFile, spool.end());
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            shipper.stopNow = true;
            shipper.thread.join(10_000);

            assertEquals(RECORDS, sink.sequences.size());
            assertEquals(24, sink.batches.get());
            // Saved once per interval while flowing (plus the first), never once per batch.
            long bound = elapsedMs / Shipper.SAVE_EVERY_MS + 2;
            assertTrue(sink.savedValuesSeen.size() <= bound && sink.savedValuesSeen.size() < sink.batches.get(),
                    "offsets saved " + sink.savedValuesSeen.size() + " times in " + elapsedMs + " ms over " + sink.batches.get()
                            + " batches: " + sink.savedValuesSeen);
            // A new shipper on the same file starts where the sink is: nothing is shipped twice.
            Watching again = new Watching(offsetFile);
            Shipper next = new Shipper("sink", again, spool, offsetFile, (o, n, why, before, after) -> {});
            assertEquals(spool.end(), next.committed);
        }
    }

    /**
     * Records one at a time, each caught up with before the next comes (a low request rate,
     * where every event is a batch of its own and the shipper finds the spool's end after each): the offset is still saved at most once per
     * interval, not once per record, and reaches the spool's end within an interval of the last.
     */
    @Test
    void aTrickleOfRecordsSavesTheOffsetOncePerIntervalNotOncePerRecord(@TempDir Path dir) throws Exception {
        int trickle = 40;
        try (Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 64L << 20)) {
            Path offsetFile = dir.resolve("spool").resolve("sink.offset");
            List<Long> shipped = java.util.Collections.synchronizedList(new ArrayList<>());
            AuditSink sink = new AuditSink() {
                @Override public void write(AuditEvent event) {
                    shipped.add(event.sequence());
                }
                @Override public void flush() {}
                @Override public void close() {}
            };
            Shipper shipper = new Shipper("sink", sink, spool, offsetFile, (o, n, why, before, after) -> {});
            long started = System.nanoTime();
            shipper.start();
            for (int i = 0; i < trickle; i++) {
                spool.append(record(i));
                spool.flush(false);
                shipper.wake();
                long until = System.nanoTime() + 10_000_000_000L;
                while (shipped.size() < i + 1) {  // caught up with this record before the next is written
                    assertTrue(System.nanoTime() < until, "record " + (i + 1) + " was never shipped");
                    Thread.sleep(1);
                }
                Thread.sleep(Shipper.LINGER_MS + 10);  // longer than the shipper lingers after a batch: it finds nothing, caught up
            }
            long lastShipped = System.nanoTime();
            awaitSaved(offsetFile, spool.end());
            long settledMs = (System.nanoTime() - lastShipped) / 1_000_000;
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            long saves = shipper.saves;
            shipper.stopNow = true;
            shipper.thread.join(10_000);

            assertEquals(trickle, shipped.size());
            assertTrue(saves <= elapsedMs / Shipper.SAVE_EVERY_MS + 2 && saves < trickle / 2,
                    "offsets saved " + saves + " times in " + elapsedMs + " ms for " + trickle + " records caught up one by one");
            assertTrue(settledMs <= Shipper.SAVE_EVERY_MS + 1_000,
                    "the offset reached the spool's end " + settledMs + " ms after the last record was shipped");
        }
    }

    /** An event with sequence number {@code i + 1}, as the spool holds it. */
    private static byte[] record(int i) {
        return EventCodec.encode(AuditEvent.builder().sequence(i + 1).timeMicros(i).principal("p")
                .operation("GetItem").table("t").decision("ALLOWED").status(200).build());
    }

    /** Waits (up to 30 s) until the offset file says {@code end}. */
    private static void awaitSaved(Path offsetFile, long end) throws IOException, InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!(Files.exists(offsetFile) && Files.readString(offsetFile).trim().equals(Long.toString(end)))) {
            assertTrue(System.nanoTime() < until, "the offset file never reached the spool's end");
            Thread.sleep(2);
        }
    }
}
