package dev.weir.audit.chain;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.spool.FullDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chained sink on a disk that fills up at every possible point (a short write into the
 * log, the chain, a digest line, a new file's header): the failed batch is sent again as the
 * shipper would, and in the end every record is there and the chain verifies.
 */
class ChainedFileSinkFaultTest {
    private static final java.security.KeyPair KEYS = Ed25519Pem.generate();

    private static AuditEvent event(long seq) {
        return AuditEvent.builder().sequence(seq).instance("w").timeMicros(1_700_000_000_000_000L + seq)
                .principal("p" + seq).operation("PutItem").table("people").decision("ALLOWED").status(200).build();
    }

    @Test
    void aFullDiskAtAnyPointNeverBreaksTheChain(@TempDir Path tmp) throws Exception {
        // fsync dominates this test's time: on tmpfs (when there is one) it costs nothing
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "weir-chain-fault") : tmp;
        Random random = new Random(1414);
        try {
            rounds(dir, random);
        } finally {
            if (dir != tmp) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void rounds(Path dir, Random random) throws Exception {
        for (int round = 0; round < 10; round++) {
            Path d = dir.resolve("r" + round);
            FullDisk disk = new FullDisk();
            ChainTest.ManualClock clock = new ChainTest.ManualClock();
            ChainedFileSink sink = new ChainedFileSink(new ChainedFileSink.Options(d, new EcsJsonLines(), 8_000,
                    Duration.ofDays(1), Duration.ofSeconds(3), KEYS.getPrivate(), clock), disk);
            long committed = 0;  // the shipper's offset: events 1..committed are delivered
            int failures = 0;
            while (committed < 200) {
                if (random.nextInt(4) == 0) disk.free(random.nextInt(3_000));  // the disk fills somewhere in this batch
                int batch = 1 + random.nextInt(12);
                try {
                    for (long s = committed + 1; s <= Math.min(200, committed + batch); s++) sink.write(event(s));
                    sink.flush();
                    committed = Math.min(200, committed + batch);
                } catch (IOException full) {
                    failures++;
                    // repaired at once: the directory verifies even while the disk is still full
                    ChainVerifier.Report now = ChainVerifier.verify(d, KEYS.getPublic());
                    assertTrue(now.ok(), "round " + round + " right after a failure: " + now.problems());
                    disk.free(Long.MAX_VALUE);  // space returns; the shipper retries the batch from its offset
                }
                clock.now = clock.now.plusSeconds(1);
            }
            disk.free(Long.MAX_VALUE);
            sink.close();
            assertTrue(failures > 0, "round " + round + " never hit the full disk");
            ChainVerifier.Report r = ChainVerifier.verify(d, KEYS.getPublic());
            assertTrue(r.ok(), "round " + round + ": " + r.problems());
            assertTrue(r.complete(), "round " + round + ": " + r.unrecorded());
            TreeSet<Long> seen = new TreeSet<>();
            for (long n : ChainFiles.logNumbers(d)) {
                for (String line : Files.readAllLines(d.resolve(ChainFiles.logName(n)))) {
                    int at = line.indexOf("\"event.sequence\":");
                    seen.add(Long.parseLong(line.substring(at + 17, line.indexOf(',', at))));
                }
            }
            assertEquals(200, seen.size(), "round " + round);
            assertEquals(200L, seen.last());
        }
    }

    /** A failure while a new file is being opened leaves no header-less file behind: the next start removes it. */
    @Test
    void aFileWhoseHeaderNeverGotWrittenIsRemoved(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        ChainedFileSink sink = new ChainedFileSink(ChainedFileSink.Options.of(dir, new EcsJsonLines()), disk);
        sink.write(event(1));
        sink.flush();
        disk.failForce = true;
        try {
            sink.write(event(2));
            sink.flush();
        } catch (IOException expected) {
            // the force failed
        }
        disk.free(0);  // not even a header fits now
        disk.failForce = false;
        for (int i = 0; i < 3; i++) {
            try {
                sink.write(event(2));
            } catch (IOException expected) {
                // reopening fails: no space
            }
        }
        disk.free(Long.MAX_VALUE);
        sink.write(event(2));
        sink.flush();
        sink.close();
        ChainVerifier.Report r = ChainVerifier.verify(dir, null);
        assertTrue(r.ok(), r.problems().toString());
        List<Long> files = new ArrayList<>(ChainFiles.logNumbers(dir));
        for (long n : files) assertTrue(Files.readString(dir.resolve(ChainFiles.chainName(n))).startsWith(ChainFiles.CHAIN_MAGIC));
    }
}
