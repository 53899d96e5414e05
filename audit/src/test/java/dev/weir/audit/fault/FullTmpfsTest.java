package dev.weir.audit.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.chain.ChainFiles;
import dev.weir.audit.chain.ChainVerifier;
import dev.weir.audit.chain.ChainedFileSink;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.FileSink;
import dev.weir.audit.spool.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spool and both file sinks on a real 8 MiB tmpfs that is filled until ENOSPC while two
 * producers publish, then given its space back (the filler deleted), then the pipeline
 * restarted: no torn record on disk, the sinks resume by themselves, every acknowledged event
 * is in both sinks, every loss is in a gap event with its numbers, and the chain verifies
 * (ok, or ok with gaps: never tampered, never incomplete). Once per mode: sync/block,
 * sync/drop, async/block.
 */
class FullTmpfsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BLOCK_TIMEOUT = Duration.ofMillis(300);

    /** What the producers were told. */
    private static final class Told {
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong dropped = new AtomicLong(), failed = new AtomicLong(), failedEarly = new AtomicLong();
    }

    private static AuditEvent event(int i) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000).principal("p" + i).operation("PutItem")
                .table("people").itemKeys(List.of("{\"id\":\"" + i + "\"}")).decision("ALLOWED").status(200).build();
    }

    private static AuditPipeline open(Path fs, String instance, AuditPipeline.Mode mode, AuditPipeline.WhenFull whenFull)
            throws Exception {
        // spool_max_bytes of 2 MiB on an 8 MiB disk: segments of 512 KiB, released as the sinks commit
        AuditPipeline.Options o = new AuditPipeline.Options(instance, 4096, fs.resolve("spool"), 0, 2L << 20, mode, whenFull,
                BLOCK_TIMEOUT, Duration.ofMillis(50), Duration.ofSeconds(10));
        return AuditPipeline.spooled(o, List.of(
                new AuditPipeline.NamedSink("chain", new ChainedFileSink(ChainedFileSink.Options.of(fs.resolve("chain"), new EcsJsonLines()))),
                new AuditPipeline.NamedSink("file", new FileSink(fs.resolve("audit.jsonl"), new EcsJsonLines()))));
    }

    private static void produce(AuditPipeline p, AtomicBoolean stop, Told told, boolean sync) {
        for (int i = 0; !stop.get(); i++) {
            long t0 = System.nanoTime();
            try {
                long seq = p.publishDurable(event(i)).get();
                if (seq > 0) told.acknowledged.add(seq);
                else told.dropped.incrementAndGet();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TimeoutException)) throw new AssertionError("unexpected failure", e);
                told.failed.incrementAndGet();
                if (System.nanoTime() - t0 < BLOCK_TIMEOUT.toNanos() - 10_000_000) told.failedEarly.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
            // a steady rate, about 1,000 events a second per producer at most: the sinks' files share the small disk
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private void run(Path tmp, AuditPipeline.Mode mode, AuditPipeline.WhenFull whenFull) throws Exception {
        try (Tmpfs fs = Tmpfs.mount(tmp.resolve("disk"), "8m")) {
            Told told = new Told();
            AuditPipeline p = open(fs.dir, "w1", mode, whenFull);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                producers.add(Thread.ofPlatform().start(() -> produce(p, stop, told, mode == AuditPipeline.Mode.SYNC)));
            }
            long t0 = System.nanoTime();
            Thread.sleep(300);
            Path filler = fs.fill();
            Thread.sleep(1500);
            String errorWhileFull = p.counters().writeError();
            Files.delete(filler);  // space returns: no restart
            Thread.sleep(700);
            stop.set(true);
            for (Thread t : producers) t.join();
            long droppedCounted = p.dropped();
            long t1 = System.nanoTime();
            p.close();
            long t2 = System.nanoTime();

            AuditPipeline again = open(fs.dir, "w2", mode, whenFull);
            for (int i = 0; i < 10; i++) again.publishDurable(event(i)).get();
            again.close();
            System.out.printf("full tmpfs %s/%s: ran %d ms, closed in %d ms, restarted in %d ms%n", mode, whenFull,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);

            String what = mode + "/" + whenFull + ": ";
            assertTrue(errorWhileFull != null && errorWhileFull.contains("No space left on device"),
                    what + "the disk never filled: " + errorWhileFull);
            try (Spool s = new Spool(fs.dir.resolve("spool"), 1 << 19, 2L << 20)) {
                assertEquals(List.of(), s.recovered(), what + "the spool holds a torn or damaged record");
            }
            ChainVerifier.Report r = ChainVerifier.verify(fs.dir.resolve("chain"), null);
            if (!r.ok()) {
                Path keep = Path.of("/tmp/fulltmpfs-debug-" + mode + whenFull);
                new ProcessBuilder("cp", "-r", fs.dir.toString(), keep.toString()).start().waitFor();
            }
            assertTrue(r.ok(), what + "TAMPERED: " + r.problems());
            assertTrue(r.complete(), what + "events missing without a gap event: " + r.unrecorded());

            TreeSet<Long> inChain = sequences(chainLines(fs.dir.resolve("chain")), "w1");
            TreeSet<Long> inFile = sequences(Files.readAllLines(fs.dir.resolve("audit.jsonl")), "w1");
            assertTrue(!told.acknowledged.isEmpty());
            for (long s : told.acknowledged) {
                assertTrue(inChain.contains(s) && inFile.contains(s), what + "acknowledged event " + s + " is missing from a sink");
            }
            assertEquals(10, sequences(Files.readAllLines(fs.dir.resolve("audit.jsonl")), "w2").size(), what + "after the restart");
            assertEquals(0, told.failedEarly.get(), what + "a request failed before block_timeout");
            if (whenFull == AuditPipeline.WhenFull.DROP) {
                assertTrue(told.dropped.get() > 0, what + "nothing was dropped");
                assertEquals(told.dropped.get(), droppedCounted, what + "every drop is counted");
                assertTrue(r.lostInGaps() >= told.dropped.get(), what + "drops not in gap events: " + r.gaps());
            } else {
                assertEquals(0, droppedCounted, what + "block mode dropped events");
                assertEquals(0, r.lostInGaps(), what + r.gaps());
                if (mode == AuditPipeline.Mode.SYNC) assertTrue(told.failed.get() > 0, what + "no request waited out the full disk");
            }
            System.out.printf("full tmpfs %s: %d acknowledged, %d dropped (in gap events: %d), %d failed after block_timeout%n",
                    what, told.acknowledged.size(), told.dropped.get(), r.lostInGaps(), told.failed.get());
        }
    }

    private static List<String> chainLines(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (long n : ChainFiles.logNumbers(dir)) out.addAll(Files.readAllLines(dir.resolve(ChainFiles.logName(n))));
        return out;
    }

    private static TreeSet<Long> sequences(List<String> lines, String instance) throws Exception {
        TreeSet<Long> out = new TreeSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            if (n.path("observer.name").asText().equals(instance)) out.add(n.path("event.sequence").asLong());
        }
        return out;
    }

    @Test
    void syncBlock(@TempDir Path tmp) throws Exception {
        run(tmp, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK);
    }

    @Test
    void syncDrop(@TempDir Path tmp) throws Exception {
        run(tmp, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.DROP);
    }

    @Test
    void asyncBlock(@TempDir Path tmp) throws Exception {
        run(tmp, AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK);
    }
}
