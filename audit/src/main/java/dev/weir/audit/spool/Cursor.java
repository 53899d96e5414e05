package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Reads a {@link Spool} forward from an offset. One thread per cursor. */
public final class Cursor implements AutoCloseable {
    /** A record and its offset. */
    public record Entry(long offset, byte[] payload) {}

    private final Spool spool;
    private long next;
    private long segmentFirst = -1;
    private FileChannel channel;
    private long position;
    private final ByteBuffer header = ByteBuffer.allocate(Spool.HEADER);
    private final CRC32C crc = new CRC32C();

    Cursor(Spool spool, long offset) {
        this.spool = spool;
        this.next = offset;
    }

    /** The offset of the next record this cursor returns. */
    public long next() {
        return next;
    }

    /** Up to {@code max} records, in order; empty when the cursor has reached the end. */
    public List<Entry> read(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        long end = spool.end();
        while (out.size() < max && next < end) {
            ensureSegment();
            int len = readHeader();
            int sum = header.getInt(4);
            ByteBuffer payload = ByteBuffer.allocate(len);
            while (payload.hasRemaining()) {
                if (channel.read(payload, position + Spool.HEADER + payload.position()) < 0)
                    throw new IOException("spool record " + next + " is torn");
            }
            crc.reset();
            crc.update(payload.array());
            if ((int) crc.getValue() != sum) throw new IOException("spool record " + next + " is corrupt");
            position += Spool.HEADER + len;
            out.add(new Entry(next++, payload.array()));
        }
        return out;
    }

    /** Opens the segment holding {@code next} and positions at it, unless already there. */
    private void ensureSegment() throws IOException {
        if (channel != null) {
            Long following = spool.nextSegment(segmentFirst);
            if (following == null || following > next) return;
        }
        Map.Entry<Long, Path> seg = spool.segmentOf(next);
        if (seg == null) throw new IOException("spool record " + next + " was already deleted");
        if (channel != null) channel.close();
        channel = FileChannel.open(seg.getValue(), StandardOpenOption.READ);
        segmentFirst = seg.getKey();
        position = 0;
        for (long o = segmentFirst; o < next; o++) position += Spool.HEADER + readHeader();
    }

    /** Reads the record header at {@code position}; returns the payload length. */
    private int readHeader() throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            if (channel.read(header, position + header.position()) < 0) throw new IOException("spool record " + next + " is missing");
        }
        int len = header.getInt(0);
        if (len < 0) throw new IOException("spool record " + next + " is corrupt");
        return len;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
