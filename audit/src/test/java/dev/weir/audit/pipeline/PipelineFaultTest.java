package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.spool.FullDisk;
import dev.weir.audit.spool.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static dev.weir.audit.pipeline.SpooledPipelineTest.Collecting;
import static dev.weir.audit.pipeline.SpooledPipelineTest.await;
import static dev.weir.audit.pipeline.SpooledPipelineTest.event;
import static dev.weir.audit.pipeline.SpooledPipelineTest.expand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline when the spool cannot be written (through {@link FullDisk}): what each mode
 * promises, that a sync future never reports an event durable that is not, that every loss is
 * in a gap event with its numbers, and that everything resumes once space returns.
 */
class PipelineFaultTest {
    private static AuditPipeline.Options options(Path dir, AuditPipeline.Mode mode, AuditPipeline.WhenFull whenFull,
                                                 Duration blockTimeout) {
        return new AuditPipeline.Options("w1", 4096, dir, 1 << 20, 64L << 20, mode, whenFull, blockTimeout,
                Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    /** What a sink got, and what every caller was told: the invariants all modes share. */
    private static void assertAccounted(Collecting sink, Set<Long> acknowledged) {
        Set<Long> got = new HashSet<>(sink.sequences());
        for (long s : acknowledged) assertTrue(got.contains(s), "event " + s + " was acknowledged but is not in the sink");
        TreeSet<Long> recorded = new TreeSet<>();
        long max = 0;
        for (AuditEvent e : sink.events) {
            max = Math.max(max, e.sequence());
            if ("weir:AuditGap".equals(e.operation())) recorded.addAll(expand(e.lostSequences()));
        }
        for (long s = 1; s <= max; s++) {
            assertTrue(got.contains(s) || recorded.contains(s), "sequence " + s + " is neither in the sink nor in a gap event");
        }
    }

    @Test
    void syncBlockWaitsBlockTimeoutLosesNothingAndResumesWhenSpaceReturns(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        Collecting sink = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                Duration.ofMillis(400)), List.of(new AuditPipeline.NamedSink("s", sink)), disk);
        Set<Long> acknowledged = new HashSet<>();
        for (int i = 0; i < 50; i++) acknowledged.add(p.publishDurable(event(i)).get());
        disk.free(300);  // a few events fit, then a batch gets a short write and ENOSPC
        List<CompletableFuture<Long>> during = new ArrayList<>();
        List<Long> waitedMs = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            CompletableFuture<Long> f = p.publishDurable(event(100 + i));
            f.whenComplete((seq, err) -> { if (err != null) waitedMs.add((System.nanoTime() - t0) / 1_000_000); });
            during.add(f);
        }
        int failed = 0;
        for (CompletableFuture<Long> f : during) {
            try {
                acknowledged.add(f.get());
            } catch (ExecutionException e) {
                assertInstanceOf(TimeoutException.class, e.getCause());
                failed++;
            }
        }
        assertTrue(failed >= 10, "failed " + failed);
        assertEquals(failed, waitedMs.size());
        for (long ms : waitedMs) assertTrue(ms >= 390, "a full disk fails a request after block_timeout, not at once: " + ms + " ms");
        assertEquals(0, p.dropped(), "block mode loses nothing: the events wait for the disk");
        assertTrue(p.counters().writeError().contains("No space left on device"), p.counters().toString());

        disk.free(Long.MAX_VALUE);
        for (int i = 0; i < 50; i++) acknowledged.add(p.publishDurable(event(200 + i)).get());
        assertEquals(null, p.counters().writeError());
        p.close();
        assertEquals(SpooledPipelineTest.range(1, 120), sink.sequences().stream().sorted().toList(),
                "every event, those whose requests timed out too, reached the sink once the disk took them");
        assertAccounted(sink, acknowledged);
        assertEquals(0, p.counters().gaps());
        try (Spool reopened = new Spool(dir, 1 << 20, 64L << 20)) {
            assertEquals(List.of(), reopened.recovered(), "no torn record on disk");
            assertEquals(120, reopened.end());
        }
    }

    @Test
    void syncDropAnswersAtOnceCountsEveryLossAndRecordsItsNumbers(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        Collecting sink = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.DROP,
                Duration.ofSeconds(5)), List.of(new AuditPipeline.NamedSink("s", sink)), disk);
        Set<Long> acknowledged = new HashSet<>();
        for (int i = 0; i < 30; i++) acknowledged.add(p.publishDurable(event(i)).get());
        disk.free(500);
        int dropped = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            long seq = p.publishDurable(event(100 + i)).get();
            if (seq > 0) acknowledged.add(seq); else dropped++;
        }
        assertTrue(dropped >= 30, "dropped " + dropped);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 4_000, "drop mode does not wait for block_timeout");
        assertEquals(dropped, p.dropped());
        disk.free(Long.MAX_VALUE);
        await(() -> p.counters().gaps() == 1, "the gap event once the disk takes it");
        for (int i = 0; i < 10; i++) acknowledged.add(p.publishDurable(event(200 + i)).get());
        p.close();
        assertAccounted(sink, acknowledged);
        AuditEvent gap = sink.events.stream().filter(e -> "weir:AuditGap".equals(e.operation())).findFirst().orElseThrow();
        assertEquals(dropped, expand(gap.lostSequences()).size(), gap.note());
        assertTrue(gap.note().startsWith(dropped + " audit events were lost (" + dropped + ": the spool could not be written)"),
                gap.note());
        assertTrue(gap.note().contains("No space left on device"), gap.note());
    }

    /** Async mode: callers never wait; with block the events wait in memory for the disk, none is lost. */
    @Test
    void asyncBlockKeepsEveryEventUntilTheDiskTakesIt(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        Collecting sink = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                Duration.ofMillis(200)), List.of(new AuditPipeline.NamedSink("s", sink)), disk);
        for (int i = 0; i < 100; i++) p.publishDurable(event(i)).get();
        await(() -> sink.events.size() == 100, "the first events");
        disk.free(0);
        for (int i = 0; i < 300; i++) assertTrue(p.publishDurable(event(100 + i)).get() > 0);
        Thread.sleep(300);
        assertEquals(100, sink.events.size());
        disk.free(Long.MAX_VALUE);
        await(() -> sink.events.size() == 400, "the events that waited for the disk");
        p.close();
        assertEquals(0, p.dropped());
        assertEquals(SpooledPipelineTest.range(1, 400), sink.sequences());
    }

    /** A failed fsync: the waiting callers are told it failed; never a success for bytes not known to be on disk. */
    /**
     * Stopping while the disk still refuses: close gives up after the shutdown timeout (5 s in
     * these options) instead of waiting for the disk for ever, and tells every waiter its event
     * was not recorded. Both modes: block holds the events, drop holds the gap event it could not
     * write (close used to retry that gap event for ever).
     */
    @ParameterizedTest
    @EnumSource(AuditPipeline.WhenFull.class)
    void closingWhileTheDiskIsFullGivesUpAfterTheShutdownTimeout(AuditPipeline.WhenFull whenFull, @TempDir Path dir)
            throws Exception {
        FullDisk disk = new FullDisk();
        Collecting sink = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, whenFull, Duration.ofMillis(200)),
                List.of(new AuditPipeline.NamedSink("s", sink)), disk);
        for (int i = 0; i < 10; i++) p.publishDurable(event(i)).get();
        disk.free(0);
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) pending.add(p.publishDurable(event(100 + i)));
        Thread.sleep(300);  // the writer has met the full disk
        long t0 = System.nanoTime();
        p.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000 + 10_000, "close waited " + ms + " ms for a disk that stays full");
        for (CompletableFuture<Long> f : pending) {
            assertTrue(f.isDone(), "a waiter was left waiting after close");
            if (!f.isCompletedExceptionally()) assertTrue(f.get() < 0 || whenFull == AuditPipeline.WhenFull.DROP);
        }
    }

    @Test
    void aFailedForceFailsTheWaitersAndNeverReportsThemDurable(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        Collecting sink = new Collecting();
        AuditPipeline p = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.DROP,
                Duration.ofSeconds(5)), List.of(new AuditPipeline.NamedSink("s", sink)), disk);
        assertEquals(1, p.publishDurable(event(0)).get());
        disk.failForce = true;
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> p.publishDurable(event(1)).get());
        assertTrue(e.getCause().getMessage().contains("Input/output error"), e.toString());
        disk.failForce = false;
        assertEquals(3, p.publishDurable(event(2)).get());
        p.close();
    }

    /**
     * A record damaged on disk in the middle of the spool: every sink skips it, the events
     * after it arrive, and one gap event names the number it held (not "spool record N is
     * corrupt" forever).
     */
    @Test
    void aDamagedRecordIsSkippedAndItsNumberRecordedAsAGap(@TempDir Path dir) throws Exception {
        Collecting down = new Collecting();
        down.down = true;
        AuditPipeline p = AuditPipeline.spooled(new AuditPipeline.Options("w1", 4096, dir, 1 << 20, 64L << 20,
                AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(5), Duration.ofMillis(50),
                Duration.ofMillis(100)), List.of(new AuditPipeline.NamedSink("a", down)));
        for (int i = 0; i < 20; i++) p.publishDurable(event(i)).get();
        p.close();
        // flip a byte inside record 7 (sequence 8)
        Path seg = dir.resolve("%020d.seg".formatted(0));
        long pos = 0;
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(4);
            for (int i = 0; i < 7; i++) {
                len.clear();
                ch.read(len, pos);
                pos += 8 + len.flip().getInt();
            }
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xEE}), pos + 12);
        }
        Collecting a = new Collecting(), b = new Collecting();
        AuditPipeline again = AuditPipeline.spooled(options(dir, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                Duration.ofSeconds(5)), List.of(new AuditPipeline.NamedSink("a", a), new AuditPipeline.NamedSink("b", b)));
        await(() -> a.events.size() == 20 && b.events.size() == 20, "19 events and a gap event in each sink");
        again.close();
        for (Collecting s : List.of(a, b)) {
            List<Long> seqs = s.events.stream().filter(e -> !e.isSystem()).map(AuditEvent::sequence).toList();
            List<Long> want = new ArrayList<>(SpooledPipelineTest.range(1, 20));
            want.remove(Long.valueOf(8));
            assertEquals(want, seqs);
            AuditEvent gap = s.events.stream().filter(AuditEvent::isSystem).findFirst().orElseThrow();
            assertEquals(List.of("8"), gap.lostSequences());
            assertTrue(gap.note().contains("damaged"), gap.note());
        }
        assertEquals(1, again.counters().damaged());
        assertEquals(1, again.counters().gaps(), "one gap event, however many sinks met the damage");
        assertTrue(EventCodec.decode(EventCodec.encode(event(1))) != null);
    }
}
