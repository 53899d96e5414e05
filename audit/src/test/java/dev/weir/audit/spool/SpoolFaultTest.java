package dev.weir.audit.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spool under write failures (through {@link FullDisk}: short writes then ENOSPC, failing
 * forces and truncates) and with damaged bytes on disk: nothing torn is ever readable, the
 * offsets never count a failed record, writing goes on once space returns, and damage in the
 * middle never takes the records after it along.
 */
class SpoolFaultTest {
    private static byte[] rec(String tag, long i) {
        return (tag + "-" + i + "-" + "x".repeat((int) (i % 40))).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Spool s, long from) throws IOException {
        List<String> out = new ArrayList<>();
        try (Cursor c = s.cursor(from)) {
            for (List<Cursor.Entry> b = c.read(13); !b.isEmpty(); b = c.read(13)) {
                for (Cursor.Entry e : b) out.add(switch (e) {
                    case Cursor.Record r -> r.offset() + ":" + new String(r.payload(), StandardCharsets.UTF_8);
                    case Cursor.Damaged d -> d.offset() + ":damaged*" + d.count();
                });
            }
        }
        return out;
    }

    private static List<String> expected(String tag, long from, long to, long firstOffset) {
        List<String> out = new ArrayList<>();
        for (long i = from; i < to; i++) out.add((firstOffset + i - from) + ":" + new String(rec(tag, i), StandardCharsets.UTF_8));
        return out;
    }

    /** Every segment file holds whole records only, ending exactly at its last one. */
    private static long wholeRecords(Path dir) throws IOException {
        long records = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".seg")).sorted().toList()) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
                CRC32C crc = new CRC32C();
                while (b.hasRemaining()) {
                    assertTrue(b.remaining() >= 8, p + " ends in a torn header");
                    int len = b.getInt(), sum = b.getInt();
                    assertTrue(len > 0 && len <= b.remaining(), p + " ends in a torn record");
                    crc.reset();
                    crc.update(b.array(), b.position(), len);
                    assertEquals(sum, (int) crc.getValue(), p + " holds a corrupt record");
                    b.position(b.position() + len);
                    records++;
                }
            }
        }
        return records;
    }

    @Test
    void aFullDiskCutsTheFailedWriteBackAndWritingResumesWhenSpaceReturns(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24, disk)) {
            for (int i = 0; i < 100; i++) s.append(rec("a", i));
            s.flush(true);
            assertEquals(100, s.durable());
            disk.free(700);  // part of the next batch fits
            for (int i = 0; i < 50; i++) assertEquals(100 + i, s.append(rec("b", i)));
            IOException full = assertThrows(IOException.class, () -> s.flush(true));
            assertEquals("No space left on device", full.getMessage());
            assertEquals(100, s.end(), "no record of the failed batch counts");
            assertEquals(100, s.durable());
            assertEquals(100, wholeRecords(dir), "the short write was cut off again");
            assertEquals(expected("a", 0, 100, 0), readAll(s, 0));

            // the cut gave the 700 bytes back, no more: the next batch fails the same way, nothing moves
            for (int i = 0; i < 50; i++) s.append(rec("c", i));
            assertThrows(IOException.class, () -> s.flush(false));
            assertEquals(100, s.end());

            disk.free(Long.MAX_VALUE);  // space returns: the same offsets are used again, no restart
            for (int i = 0; i < 50; i++) assertEquals(100 + i, s.append(rec("d", i)));
            s.flush(true);
            assertEquals(150, s.durable());
            List<String> want = new ArrayList<>(expected("a", 0, 100, 0));
            want.addAll(expected("d", 0, 50, 100));
            assertEquals(want, readAll(s, 0));
        }
        assertEquals(150, wholeRecords(dir));
        try (Spool again = new Spool(dir, 1 << 20, 1 << 24)) {
            assertEquals(150, again.end());
            assertEquals(List.of(), again.recovered());
        }
    }

    /** The 1 MiB write buffer fills inside append: the failure surfaces there, and only uncommitted records go. */
    @Test
    void aWriteFailingInsideAppendDiscardsOnlyTheUncommittedRecords(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 64 << 20, 1L << 30, disk)) {
            byte[] big = new byte[4000];
            java.util.Arrays.fill(big, (byte) 'z');
            disk.free(300_000);
            IOException full = null;
            long appended = 0;
            for (int i = 0; i < 1000 && full == null; i++) {
                try {
                    s.append(big);
                    appended++;
                } catch (IOException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "the buffer was written out and failed");
            assertEquals(0, s.end(), "the first write out of the buffer failed as a whole");
            assertEquals(0, Files.size(s.segmentFiles().getLast()));
            disk.free(Long.MAX_VALUE);
            assertEquals(0, s.append(big));
            s.flush(true);
            assertEquals(1, s.durable());
            assertTrue(appended > 200);
        }
    }

    /** A big record is written straight through; when that fails it is the only one lost. */
    @Test
    void aRecordLargerThanTheBufferFailsAlone(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 64 << 20, 1L << 30, disk)) {
            s.append(rec("a", 0));
            disk.free(1_500_000);
            assertThrows(IOException.class, () -> s.append(new byte[2 << 20]));
            assertEquals(1, s.end(), "the small record before it was written out first");
            disk.free(Long.MAX_VALUE);
            assertEquals(1, s.append(new byte[2 << 20]));
            s.flush(true);
            assertEquals(2, readAll(s, 0).size());
        }
        assertEquals(2, wholeRecords(dir));
    }

    /**
     * If even the truncate fails, the torn bytes stay on disk past the committed ones: a reader
     * never buffers them (so it never returns stale bytes once they are overwritten), and the
     * next write cuts them first.
     */
    @Test
    void bytesPastTheCommittedOnesAreNeverReadEvenIfTheyCannotBeCut(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24, disk)) {
            for (int i = 0; i < 20; i++) s.append(rec("a", i));
            s.flush(false);
            disk.free(400);
            disk.failTruncate = true;
            for (int i = 0; i < 20; i++) s.append(rec("b", i));
            assertThrows(IOException.class, () -> s.flush(false));
            Path seg = s.segmentFiles().getLast();
            long committed = Files.size(seg) - 400;
            try (Cursor c = s.cursor(0)) {
                assertEquals(20, c.read(100).size());  // reads up to the committed bytes, the torn ones lie beyond
                disk.failTruncate = false;
                disk.free(Long.MAX_VALUE);
                for (int i = 0; i < 20; i++) s.append(rec("c", i));
                s.flush(false);
                assertTrue(Files.size(seg) > committed);
                List<String> got = new ArrayList<>();
                for (Cursor.Entry e : c.read(100)) got.add(e.offset() + ":" + new String(((Cursor.Record) e).payload(), StandardCharsets.UTF_8));
                assertEquals(expected("c", 0, 20, 20), got);
            }
        }
        assertEquals(40, wholeRecords(dir));
    }

    @Test
    void aFailedForceLeavesRecordsReadableButNotDurable(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24, disk)) {
            for (int i = 0; i < 5; i++) s.append(rec("a", i));
            disk.failForce = true;
            assertThrows(IOException.class, () -> s.flush(true));
            assertEquals(5, s.end());
            assertEquals(0, s.durable());
            disk.failForce = false;
            s.flush(true);
            assertEquals(5, s.durable());
        }
    }

    /** A segment that cannot be created at a roll leaves the full one active; nothing committed is lost. */
    @Test
    void aSegmentThatCannotBeCreatedLosesOnlyTheRecordBeingAppended(@TempDir Path dir) throws Exception {
        FullDisk disk = new FullDisk();
        try (Spool s = new Spool(dir, 4096, 1 << 24, disk)) {
            int i = 0;
            while (s.segmentFiles().size() == 1) s.append(rec("a", i++));
            s.flush(true);
            long end = s.end();
            disk.failOpen = true;
            int before = s.segmentFiles().size();
            IOException e = null;
            for (int k = 0; k < 200 && e == null; k++) {
                try {
                    s.append(rec("b", k));
                } catch (IOException ex) {
                    e = ex;
                }
            }
            assertTrue(e != null);
            assertEquals(before, s.segmentFiles().size());
            long committed = s.end();
            assertTrue(committed >= end);
            disk.failOpen = false;
            s.append(rec("c", 0));
            s.flush(true);
            assertEquals(committed + 1, s.end());
            assertEquals(committed + 1, readAll(s, 0).size());
        }
    }

    /** Damage in the middle of the last segment: reopening keeps everything after it, and a reader skips just the damage. */
    @Test
    void damageInTheMiddleIsSkippedAndEverythingAfterItKept(@TempDir Path dir) throws Exception {
        long fifth;
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            for (int i = 0; i < 10; i++) s.append(rec("a", i));
            s.flush(true);
        }
        Path seg = dir.resolve("%020d.seg".formatted(0));
        byte[] bytes = Files.readAllBytes(seg);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long pos = 0;
        for (int i = 0; i < 5; i++) pos += 8 + b.getInt((int) pos);
        fifth = pos;
        // one flipped payload byte in record 5, and the length of record 7 overwritten
        long seventh = fifth + 8 + b.getInt((int) fifth);
        seventh += 8 + b.getInt((int) seventh);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#'}), fifth + 10);
            ch.write(ByteBuffer.wrap(new byte[] {0x7f, 0, 0, 0}), seventh);
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            assertEquals(10, s.end(), "every offset is kept");
            assertEquals(2, s.recovered().size(), s.recovered().toString());
            assertTrue(s.recovered().getFirst().contains("record 5 is damaged"), s.recovered().toString());
            List<String> got = readAll(s, 0);
            List<String> want = new ArrayList<>(expected("a", 0, 5, 0));
            want.add("5:damaged*1");
            want.addAll(expected("a", 6, 7, 6));
            want.add("7:damaged*1");
            want.addAll(expected("a", 8, 10, 8));
            assertEquals(want, got);
            assertEquals(want.subList(8, 10), readAll(s, 8), "a cursor placed after the damage walks through it");
            s.append(rec("a", 10));
            s.flush(true);
            assertEquals("10:" + new String(rec("a", 10), StandardCharsets.UTF_8), readAll(s, 0).getLast());
        }
    }

    /**
     * A crash leaves the active segment's preallocated zeros after its last record (or an
     * extended size whose data never arrived): that is the end of the records, cut without a
     * report. Half a record before the zeros is a torn write: cut and reported, by its own bytes.
     */
    @Test
    void zerosAtTheEndAreTheEndAndHalfARecordBeforeThemIsATornTail(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            for (int i = 0; i < 10; i++) s.append(rec("a", i));
            s.flush(true);
        }
        Path seg = dir.resolve("%020d.seg".formatted(0));
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4096), size);
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            assertEquals(10, s.end());
            assertEquals(List.of(), s.recovered(), "zeros are the preallocated end, not damage");
            assertEquals(size, Files.size(seg));
            assertEquals(10, s.append(rec("a", 10)));
            s.flush(true);
            assertEquals(expected("a", 0, 11, 0), readAll(s, 0));
        }
        long whole = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            byte[] half = java.util.Arrays.copyOf(frame(rec("a", 11)), 20);
            ch.write(ByteBuffer.wrap(half), whole);
            ch.write(ByteBuffer.allocate(100_000), whole + half.length);
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 24)) {
            assertEquals(11, s.end());
            assertEquals(whole, Files.size(seg));
            assertEquals(1, s.recovered().size(), s.recovered().toString());
            assertTrue(s.recovered().getFirst().contains("cut a torn tail of 20 bytes"), s.recovered().toString());
        }
    }

    /** A record as the spool frames it: {@code [length][crc32c][payload]}. */
    static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    /** A closed segment that lost its end (power loss before its fsync) is read as damaged up to the next segment. */
    @Test
    void aClosedSegmentThatEndsEarlyIsDamagedUpToTheNextSegment(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 4096, 1 << 24)) {
            for (int i = 0; i < 200; i++) s.append(rec("a", i));
            s.flush(true);
            Path first = s.segmentFiles().getFirst();
            long second = Long.parseLong(s.segmentFiles().get(1).getFileName().toString().substring(0, 20));
            try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 50);
            }
            List<String> got = readAll(s, 0);
            String damaged = got.stream().filter(l -> l.contains("damaged")).findFirst().orElseThrow();
            long at = Long.parseLong(damaged.substring(0, damaged.indexOf(':')));
            assertEquals(at + ":damaged*" + (second - at), damaged, "the lost tail of the first segment is one entry");
            assertEquals(200 - (second - at) + 1, got.size());
            assertEquals(expected("a", 0, at, 0), got.subList(0, (int) at));
            assertEquals(second + ":" + new String(rec("a", second), StandardCharsets.UTF_8), got.get((int) at + 1));
            assertEquals("199:" + new String(rec("a", 199), StandardCharsets.UTF_8), got.getLast());
        }
    }

    /** spool_max_bytes below two default segments is honoured, not raised: segments shrink to a quarter of it. */
    @Test
    void aSmallLimitIsHonoured(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 16 << 20, 1 << 20)) {
            assertEquals(1 << 20, s.maxBytes());
            byte[] p = new byte[1000];
            java.util.Arrays.fill(p, (byte) 1);
            int n = 0;
            while (s.hasRoom(p.length)) {
                s.append(p);
                n++;
            }
            s.flush(true);
            assertTrue(s.bytes() <= 1 << 20, "bytes " + s.bytes());
            assertTrue(n > 1000 && n < 1050, "n=" + n);
            for (Path seg : s.segmentFiles()) assertTrue(Files.size(seg) <= 256 << 10, seg + " " + Files.size(seg));
        }
    }
}
