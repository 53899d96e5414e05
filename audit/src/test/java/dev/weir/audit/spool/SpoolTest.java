package dev.weir.audit.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {
    private static byte[] rec(long i) {
        return ("record-" + i + "-" + "x".repeat((int) (i % 50))).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Cursor c) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<Cursor.Entry> b = c.read(7); !b.isEmpty(); b = c.read(7))
            for (Cursor.Entry e : b) out.add(switch (e) {
                case Cursor.Record r -> r.offset() + ":" + new String(r.payload(), StandardCharsets.UTF_8);
                case Cursor.Damaged d -> d.offset() + ":damaged*" + d.count();
            });
        return out;
    }

    @Test
    void readsAcrossSegmentsFromAnyOffsetAndReleasesOldSegments(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 4096, 1 << 20)) {
            for (long i = 0; i < 500; i++) assertEquals(i, s.append(rec(i)));
            assertTrue(s.end() < 500, "the last records are buffered until a flush");
            assertTrue(s.durable() == 0);
            s.flush(true);
            assertEquals(500, s.durable());
            assertTrue(s.segmentFiles().size() > 3);
            List<String> all = readAll(s.cursor(0));
            assertEquals(500, all.size());
            assertEquals("499:" + new String(rec(499), StandardCharsets.UTF_8), all.getLast());
            List<String> tail = readAll(s.cursor(321));
            assertEquals("321:" + new String(rec(321), StandardCharsets.UTF_8), tail.getFirst());
            long before = s.bytes();
            s.release(300);
            assertTrue(s.bytes() < before);
            assertTrue(s.start() <= 300 && s.start() > 0);
            assertEquals(200, readAll(s.cursor(300)).size());
        }
    }

    @Test
    void reopeningCutsATornTailAndContinuesTheOffsets(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 22)) {
            for (long i = 0; i < 10; i++) s.append(rec(i));
            s.flush(true);
        }
        Path seg = dir.resolve("%020d.seg".formatted(0));
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);  // a torn last record
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 22)) {
            assertEquals(9, s.end());
            assertEquals(9, s.append(rec(9)));
            s.flush(true);
            assertEquals(10, readAll(s.cursor(0)).size());
        }
    }

    /** The cursor's read buffer: records larger than it, records across its edge, and a segment that grows while read. */
    @Test
    void aCursorReadsBigRecordsAndFollowsAGrowingSegment(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 4 << 20, 1 << 26)) {
            Cursor c = s.cursor(0);
            List<byte[]> written = new ArrayList<>();
            List<byte[]> read = new ArrayList<>();
            java.util.Random r = new java.util.Random(7);
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 30; i++) {
                    byte[] p = new byte[i == 7 ? 100_000 + r.nextInt(50_000) : 1 + r.nextInt(3000)];
                    r.nextBytes(p);
                    s.append(p);
                    written.add(p);
                }
                s.flush(false);
                for (List<Cursor.Entry> b = c.read(11); !b.isEmpty(); b = c.read(11)) {
                    for (Cursor.Entry e : b) {
                        assertEquals(read.size(), e.offset());
                        read.add(((Cursor.Record) e).payload());
                    }
                }
                assertEquals(written.size(), read.size());
            }
            for (int i = 0; i < written.size(); i++) assertTrue(java.util.Arrays.equals(written.get(i), read.get(i)), "record " + i);
            c.close();
        }
    }

    @Test
    void aCorruptLastRecordIsReadAsDamagedNotThrown(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 22)) {
            for (long i = 0; i < 10; i++) s.append(rec(i));
            s.flush(true);
            Path seg = dir.resolve("%020d.seg".formatted(0));
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
                // inside the last payload (the file may go on in preallocated zeros)
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), s.tip().activeBytes() - 2);
            }
            try (Cursor c = s.cursor(0)) {
                List<String> all = readAll(c);
                assertEquals(10, all.size());
                assertEquals("9:damaged*1", all.getLast());
                assertEquals(10, c.next());
            }
        }
    }

    @Test
    void roomIsBoundedByMaxBytes(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 4096, 8192)) {
            int n = 0;
            while (s.hasRoom(100)) { s.append(new byte[100]); n++; }
            assertTrue(n > 50 && n < 82, "n=" + n);
            s.flush(false);
            assertFalse(s.hasRoom(100));
            s.release(n);
            assertTrue(s.hasRoom(100));
        }
    }
}
