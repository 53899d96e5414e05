package dev.weir.audit.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The active segment is extended with zeros ahead of its records, so a force has no size to
 * commit. What must hold: the zeros never count as records (not for readers, not after a
 * crash), closed segments end at their last record, the limit holds on disk, and a disk that
 * cannot take the zeros still takes the records.
 */
class SpoolPreallocationTest {
    private static byte[] rec(long i) {
        return ("record-" + i + "-" + "y".repeat((int) (i % 60))).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Spool s) throws IOException {
        List<String> out = new ArrayList<>();
        try (Cursor c = s.cursor(0)) {
            for (List<Cursor.Entry> b = c.read(50); !b.isEmpty(); b = c.read(50)) {
                for (Cursor.Entry e : b) out.add(switch (e) {
                    case Cursor.Record r -> r.offset() + ":" + new String(r.payload(), StandardCharsets.UTF_8);
                    case Cursor.Damaged d -> d.offset() + ":damaged*" + d.count();
                });
            }
        }
        return out;
    }

    private static List<String> expected(long from, long to) {
        List<String> out = new ArrayList<>();
        for (long i = from; i < to; i++) out.add(i + ":" + new String(rec(i), StandardCharsets.UTF_8));
        return out;
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] != 0) return false;
        return true;
    }

    /** A copy of the spool's files as a crash would leave them (the page cache survives a killed process). */
    private static Path crashCopy(Path dir, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    @Test
    void theActiveSegmentRunsAheadInZerosAndClosedOnesEndAtTheirLastRecord(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 64 << 10, 1 << 24)) {
            for (int i = 0; i < 3000; i++) s.append(rec(i));
            s.flush(true);
            List<Path> segs = s.segmentFiles();
            assertTrue(segs.size() > 2, segs.toString());
            for (Path closed : segs.subList(0, segs.size() - 1)) {
                byte[] b = Files.readAllBytes(closed);
                assertTrue(b.length <= 64 << 10);
                assertTrue(b.length > 60 << 10, closed + " was cut to " + b.length);
                int len = java.nio.ByteBuffer.wrap(b).getInt(0);
                assertTrue(len > 0, "a closed segment starts with a record");
            }
            Path active = segs.getLast();
            long committed = s.tip().activeBytes();
            byte[] b = Files.readAllBytes(active);
            assertTrue(b.length > committed, "the active segment is preallocated: " + b.length + " bytes for " + committed);
            assertTrue(allZero(b, (int) committed), "past the records there are only zeros");
            assertEquals(3000, readAll(s).size());
        }
        // a clean close cuts the zeros: every file ends at its last record
        try (Spool s = new Spool(dir, 64 << 10, 1 << 24)) {
            assertEquals(List.of(), s.recovered());
            assertEquals(3000, s.end());
            assertEquals(s.tip().activeBytes(), Files.size(s.segmentFiles().getLast()));
        }
    }

    /** Killed after a force: the zeros after the last record are its end, not damage; the offsets go on from there. */
    @Test
    void aCrashLeavesATailOfZerosThatRecoveryTakesForTheEnd(@TempDir Path dir) throws Exception {
        Path copy;
        try (Spool s = new Spool(dir.resolve("live"), 1 << 20, 1 << 24)) {
            for (int i = 0; i < 500; i++) s.append(rec(i));
            s.flush(true);
            long committed = s.tip().activeBytes();
            assertTrue(Files.size(s.segmentFiles().getLast()) > committed);
            copy = crashCopy(dir.resolve("live"), dir.resolve("crashed"));
        }
        Path seg = copy.resolve("%020d.seg".formatted(0));
        long zeros = Files.size(seg);
        try (Spool s = new Spool(copy, 1 << 20, 1 << 24)) {
            assertEquals(500, s.end());
            assertEquals(List.of(), s.recovered(), "a preallocated tail is not a torn write");
            assertTrue(Files.size(seg) < zeros, "the zeros were cut");
            assertEquals(500, s.append(rec(500)));
            s.flush(true);
            assertEquals(expected(0, 501), readAll(s));
        }
        try (Spool s = new Spool(copy, 1 << 20, 1 << 24)) {
            assertEquals(expected(0, 501), readAll(s));
        }
    }

    /** Killed between a write and its force: what reached the file is whole records, then zeros; nothing torn is kept. */
    @Test
    void aCrashBetweenAWriteAndItsForceKeepsOnlyWholeRecords(@TempDir Path dir) throws Exception {
        Path copy;
        try (Spool s = new Spool(dir.resolve("live"), 1 << 20, 1 << 24)) {
            for (int i = 0; i < 200; i++) s.append(rec(i));
            s.flush(true);
            for (int i = 200; i < 300; i++) s.append(rec(i));
            s.flush(false);  // written, not forced
            assertEquals(300, s.end());
            assertEquals(200, s.durable());
            copy = crashCopy(dir.resolve("live"), dir.resolve("crashed"));
        }
        // the operating system may have written any part of the unforced pages: cut the copy in the middle of record 250
        Path seg = copy.resolve("%020d.seg".formatted(0));
        byte[] b = Files.readAllBytes(seg);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int pos = 0;
        for (int i = 0; i < 250; i++) pos += 8 + buf.getInt(pos);
        java.util.Arrays.fill(b, pos + 5, b.length, (byte) 0);
        Files.write(seg, b);
        try (Spool s = new Spool(copy, 1 << 20, 1 << 24)) {
            assertEquals(250, s.end(), "the whole records before the torn one stay, the forced ones among them");
            assertEquals(1, s.recovered().size(), s.recovered().toString());
            assertTrue(s.recovered().getFirst().contains("cut a torn tail of 5 bytes"), s.recovered().toString());
            assertEquals(expected(0, 250), readAll(s));
        }
    }

    /** The zeros count against spool_max_bytes on disk: the files together never exceed it. */
    @Test
    void preallocationStaysWithinTheLimit(@TempDir Path dir) throws Exception {
        long max = 1 << 20;
        try (Spool s = new Spool(dir, 16 << 20, max)) {
            int n = 0;
            while (s.hasRoom(rec(n).length)) {
                s.append(rec(n++));
                if (n % 100 == 0) {
                    s.flush(true);
                    long onDisk = 0;
                    for (Path p : s.segmentFiles()) onDisk += Files.size(p);
                    assertTrue(onDisk <= max, "on disk " + onDisk + " after " + n + " records");
                }
            }
            assertTrue(n > 10_000, "n=" + n);
        }
    }

    /** A disk with room for the records but not for the zeros: the records are appended as before, nothing fails. */
    @Test
    void aDiskThatCannotTakeTheZerosStillTakesTheRecords(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk(true);
        disk.free(20_000);
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24, disk)) {
            for (int i = 0; i < 100; i++) s.append(rec(i));
            s.flush(true);
            assertEquals(100, s.durable());
            assertEquals(s.tip().activeBytes(), Files.size(s.segmentFiles().getLast()), "no zeros were left behind");
            for (int i = 100; i < 150; i++) s.append(rec(i));
            s.flush(true);
            assertEquals(expected(0, 150), readAll(s));
            disk.free(Long.MAX_VALUE);
            for (int i = 150; i < 200; i++) s.append(rec(i));
            s.flush(true);
            assertTrue(Files.size(s.segmentFiles().getLast()) > s.tip().activeBytes(), "with room again it preallocates");
            assertEquals(expected(0, 200), readAll(s));
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            assertEquals(List.of(), s.recovered());
            assertEquals(expected(0, 200), readAll(s));
        }
    }
}
