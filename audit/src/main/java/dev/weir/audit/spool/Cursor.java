package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a {@link Spool} forward from an offset. One thread per cursor. It reads only what the
 * spool has committed, so a record is never returned half written, and it reads damaged bytes
 * as a {@link Damaged} entry rather than stopping there: the records after the damage are
 * returned as usual, and the reader decides what the loss means (the shipper records a gap).
 */
public final class Cursor implements AutoCloseable {
    /** What a read returns at an offset. */
    public sealed interface Entry permits Record, Damaged {
        long offset();
    }

    /** A record and its offset. */
    public record Record(long offset, byte[] payload) implements Entry {}

    /**
     * Offsets {@code offset} to {@code offset + count - 1} cannot be read: their bytes on disk
     * are damaged (a checksum that does not match, bytes that frame no record, or a closed
     * segment that ends before its records do).
     */
    public record Damaged(long offset, long count, String reason) implements Entry {}

    private final Spool spool;
    private final CRC32C crc = new CRC32C();
    private long next;
    private long segmentFirst = -1;
    private Path segmentFile;
    private SegmentReader reader;
    private long position;

    Cursor(Spool spool, long offset) {
        this.spool = spool;
        this.next = offset;
    }

    /** The offset of the next entry this cursor returns. */
    public long next() {
        return next;
    }

    /**
     * Up to {@code max} entries, in offset order; empty when the cursor has reached the end.
     * An IOException means the spool could not be read now (try again later): damage is
     * returned as {@link Damaged}, never thrown.
     */
    public List<Entry> read(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        Spool.Tip tip = spool.tip();
        while (out.size() < max && next < tip.end()) {
            ensureSegment(tip);
            Long following = spool.nextSegment(segmentFirst);
            long stop = following == null ? tip.end() : Math.min(following, tip.end());  // offsets this segment holds
            long limit = limit(tip);
            Frames.Frame f = position >= limit ? new Frames.Torn(position, limit) : Frames.at(reader, position, limit, crc);
            switch (f) {
                case Frames.Good g -> {
                    out.add(new Record(next, g.payload()));
                    next++;
                    position = g.end();
                }
                case Frames.Bad b -> {
                    out.add(new Damaged(next, 1, segmentFile.getFileName() + " bytes " + b.start() + ".." + b.end() + ": " + b.why()));
                    next++;
                    position = b.end();
                }
                case Frames.Torn t -> {
                    out.add(new Damaged(next, stop - next, segmentFile.getFileName() + " has no readable record from byte "
                            + t.start() + " to " + t.end() + ", where record " + stop + " should begin"));
                    next = stop;
                    position = limit;
                }
            }
        }
        return out;
    }

    /** The bytes of the open segment a reader may read: the committed ones of the active segment, all of a closed one. */
    private long limit(Spool.Tip tip) throws IOException {
        return segmentFirst == tip.activeFirst() ? tip.activeBytes() : reader.size();
    }

    /** Opens the segment holding {@code next} and walks to it, unless already there. */
    private void ensureSegment(Spool.Tip tip) throws IOException {
        if (reader != null) {
            Long following = spool.nextSegment(segmentFirst);
            if (following == null || following > next) return;
        }
        Map.Entry<Long, Path> seg = spool.segmentOf(next);
        if (seg == null) throw new IOException("spool record " + next + " was already deleted");
        if (reader != null) reader.close();
        reader = new SegmentReader(FileChannel.open(seg.getValue(), StandardOpenOption.READ));
        segmentFirst = seg.getKey();
        segmentFile = seg.getValue();
        position = 0;
        long limit = limit(tip);
        for (long o = segmentFirst; o < next && position < limit; o++) {
            Frames.Frame f = Frames.at(reader, position, limit, crc);
            position = f instanceof Frames.Torn ? limit : f.end();
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) reader.close();
    }
}
