package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.sink.AuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool between the writer and the sinks: sync and async, outages, shutdown, full spool. */
class SpooledPipelineTest {

    /** Collects what it is given; while {@code down}, every write fails. */
    static final class Collecting implements AuditSink {
        final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        private final List<AuditEvent> batch = new ArrayList<>();
        volatile boolean down;

        public void write(AuditEvent e) throws IOException {
            if (down) throw new IOException("sink is down");
            batch.add(e);
        }

        public void flush() throws IOException {
            if (down) { batch.clear(); throw new IOException("sink is down"); }
            events.addAll(batch);
            batch.clear();
        }

        public void close() {}

        List<Long> sequences() {
            synchronized (events) {
                return events.stream().map(AuditEvent::sequence).toList();
            }
        }
    }

    static AuditEvent event(int i) {
        return AuditEvent.builder().timeMicros(i).principal("p").operation("GetItem").table("t").decision("ALLOWED")
                .status(200).build();
    }

    static AuditPipeline.Options options(Path dir, AuditPipeline.Mode mode, AuditPipeline.WhenFull whenFull, long maxBytes,
                                         Duration shutdown) {
        return new AuditPipeline.Options("w1", 4096, dir, 8192, maxBytes, mode, whenFull,
                Duration.ofMillis(maxBytes < (1 << 20) ? 500 : 10_000), Duration.ofMillis(50), shutdown);
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) l.add(i);
        return l;
    }

    static void await(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void syncFuturesCompleteWhenDurableAndEverySinkGetsEverythingInOrder(@TempDir Path dir) throws Exception {
        Collecting a = new Collecting(), b = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, null), List.of(new AuditPipeline.NamedSink("a", a), new AuditPipeline.NamedSink("b", b)));
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) futures.add(p.publishDurable(event(i)));
        for (int i = 0; i < futures.size(); i++) assertEquals(i + 1, futures.get(i).get());
        p.close();
        assertEquals(range(1, 2000), a.sequences());
        assertEquals(range(1, 2000), b.sequences());
        AuditCounters c = p.counters();
        assertEquals(2000, c.written());
        assertEquals(0, c.dropped());
        for (AuditCounters.Sink s : c.sinks()) {
            assertEquals(2000, s.shipped());
            assertEquals(0, s.lag());
        }
    }

    /**
     * Two sinks share the events decoded from the spool: the one behind takes the very objects the
     * one ahead decoded while the ring holds them ({@link Decoded#SIZE} records), decodes older ones
     * itself, and gets equal events either way.
     */
    @Test
    void sinksShareTheEventsDecodedFromTheSpool(@TempDir Path dir) throws Exception {
        Collecting ahead = new Collecting(), behind = new Collecting();
        behind.down = true;
        int n = Decoded.SIZE + 1000;
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, null), List.of(new AuditPipeline.NamedSink("ahead", ahead), new AuditPipeline.NamedSink("behind", behind)));
        for (int i = 0; i < n; i++) p.publishDurable(event(i));
        await(() -> ahead.events.size() == n, "the first sink to get every event");
        behind.down = false;
        await(() -> behind.events.size() == n, "the second sink to catch up");
        p.close();
        assertEquals(range(1, n), behind.sequences());
        int same = 0;
        for (int i = 0; i < n; i++) {
            AuditEvent a = ahead.events.get(i), b = behind.events.get(i);
            assertEquals(a, b);
            if (a == b) same++;
            else assertTrue(i < n - Decoded.SIZE, "record " + i + " is in the ring but was decoded again");
        }
        assertEquals(Decoded.SIZE, same, "the last " + Decoded.SIZE + " records were decoded once");
    }

    @Test
    void aSinkThatIsDownNeitherBlocksTheOthersNorMissesAnything(@TempDir Path dir) throws Exception {
        Collecting healthy = new Collecting(), flaky = new Collecting();
        flaky.down = true;
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, null), List.of(new AuditPipeline.NamedSink("healthy", healthy),
                new AuditPipeline.NamedSink("flaky", flaky)));
        for (int i = 0; i < 1000; i++) assertTrue(p.publish(event(i)) > 0);
        await(() -> healthy.events.size() == 1000, "the healthy sink");
        assertTrue(flaky.events.isEmpty());
        // Counters are a snapshot of another thread's progress: wait until the failed attempt is recorded.
        await(() -> {
            AuditCounters.Sink s = p.counters().sinks().get(1);
            return s.retried() > 0 && s.lastError() != null;
        }, "the flaky sink's failure to be counted");
        AuditCounters down = p.counters();
        AuditCounters.Sink f = down.sinks().get(1);
        assertEquals("flaky", f.name());
        assertEquals(1000, f.lag());
        assertTrue(f.retried() > 0);
        assertTrue(f.lastError().contains("sink is down"));

        flaky.down = false;
        await(() -> flaky.events.size() == 1000, "the flaky sink after it came back");
        p.close();
        assertEquals(range(1, 1000), flaky.sequences());
        assertEquals(range(1, 1000), healthy.sequences());
        assertEquals(null, p.counters().sinks().get(1).lastError());
    }

    @Test
    void cleanShutdownFlushesEverythingToEverySink(@TempDir Path dir) throws Exception {
        Collecting a = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, null), List.of(new AuditPipeline.NamedSink("a", a)));
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2500; i++) {
                    while (p.publish(event(i)) < 0) Thread.onSpinWait();
                }
            }));
        }
        for (Thread t : producers) t.join();
        p.close();
        assertEquals(10_000 + p.dropped(), a.events.size() - p.counters().gaps() + p.dropped());
        List<Long> seqs = new ArrayList<>(a.sequences());
        assertEquals(a.events.size(), seqs.stream().distinct().count(), "no duplicates");
        assertEquals(p.counters().published(), a.events.size() - p.counters().gaps());
    }

    @Test
    void aSinkBehindAtShutdownResumesFromItsOffsetOnTheNextStart(@TempDir Path dir) throws Exception {
        Collecting dead = new Collecting();
        dead.down = true;
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, Duration.ofMillis(200)), List.of(new AuditPipeline.NamedSink("siem", dead)));
        for (int i = 0; i < 100; i++) p.publishDurable(event(i)).get();
        p.close();
        assertTrue(dead.events.isEmpty());

        Collecting back = new Collecting();
        AuditPipeline again = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                1 << 24, null), List.of(new AuditPipeline.NamedSink("siem", back)));
        await(() -> back.events.size() == 100, "the spooled events after a restart");
        again.close();
        assertEquals(range(1, 100), back.sequences());
    }

    /** The numbers a gap event's ranges name, expanded. */
    static java.util.TreeSet<Long> expand(List<String> ranges) {
        java.util.TreeSet<Long> out = new java.util.TreeSet<>();
        for (String r : ranges) {
            int dash = r.indexOf('-');
            long from = Long.parseLong(dash < 0 ? r : r.substring(0, dash)), to = Long.parseLong(dash < 0 ? r : r.substring(dash + 1));
            for (long i = from; i <= to; i++) out.add(i);
        }
        return out;
    }

    @Test
    void fullSpoolInDropModeCountsAndRecordsTheGap(@TempDir Path dir) throws Exception {
        // The codec's classes load on the writer's first event; on a loaded machine that alone can
        // outlast this test's 500 ms block timeout when the test runs first in its JVM.
        dev.weir.audit.event.EventCodec.encode(event(0).numbered(1, "w1"));
        Collecting siem = new Collecting();
        siem.down = true;
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.DROP,
                16 * 1024, Duration.ofSeconds(5)), List.of(new AuditPipeline.NamedSink("siem", siem)));
        java.util.Set<Long> kept = new java.util.HashSet<>();
        int lost = 0;
        for (int i = 0; i < 2000; i++) {  // a spooled event takes about 50 bytes: far more than 16 KiB
            long seq = p.publishDurable(event(i)).get();
            if (seq > 0) kept.add(seq); else lost++;
        }
        assertTrue(lost > 0 && !kept.isEmpty(), "kept " + kept.size() + ", lost " + lost);
        assertEquals(lost, p.dropped());
        siem.down = false;
        await(() -> p.counters().sinks().getFirst().lag() == 0 && p.counters().gaps() == 1, "the sink to catch up");
        long last = p.publishDurable(event(999)).get();  // the gap was recorded as soon as there was room
        assertTrue(last > 0);
        p.close();
        List<AuditEvent> gaps = siem.events.stream().filter(e -> "weir:AuditGap".equals(e.operation())).toList();
        assertEquals(1, gaps.size());
        AuditEvent gap = gaps.getFirst();
        assertEquals("DROPPED", gap.decision());
        assertTrue(gap.note().startsWith(lost + " audit events were lost (" + lost + ": the spool was full (spool_max_bytes))"),
                gap.note());
        java.util.TreeSet<Long> missing = new java.util.TreeSet<>();
        for (long s = 1; s < last; s++) if (!kept.contains(s) && s != gap.sequence()) missing.add(s);
        assertEquals(missing, expand(gap.lostSequences()), "the gap event names exactly the numbers lost");
        assertEquals(1, p.counters().gaps());
    }

    @Test
    void fullSpoolInBlockModeFailsClosedAfterTheTimeout(@TempDir Path dir) throws Exception {
        Collecting siem = new Collecting();
        siem.down = true;
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                16 * 1024, Duration.ofMillis(300)), List.of(new AuditPipeline.NamedSink("siem", siem)));
        ExecutionException failure = null;
        for (int i = 0; i < 4000 && failure == null; i++) {
            try {
                p.publishDurable(event(i)).get();
            } catch (ExecutionException e) {
                failure = e;
            }
        }
        assertInstanceOf(TimeoutException.class, failure == null ? null : failure.getCause());
        siem.down = false;  // the SIEM comes back: the writer gets room again and nothing queued is lost
        await(() -> p.counters().sinks().getFirst().lag() == 0 && p.counters().written() > 0, "catch-up");
        CompletableFuture<Long> after = p.publishDurable(event(1000));
        assertTrue(after.get() > 0);
        p.close();
        assertEquals(p.counters().written(), siem.events.size());
    }
}
