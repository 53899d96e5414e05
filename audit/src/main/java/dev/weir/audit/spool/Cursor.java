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

/**
 * Reads a {@link Spool} forward from an offset. One thread per cursor. Reads go through a
 * 64 KiB buffer, so a batch of small records costs a few system calls rather than two per
 * record; segments are append-only, so buffered bytes never go stale (a read past the
 * buffered bytes refills it).
 */
public final class Cursor implements AutoCloseable {
    /** A record and its offset. */
    public record Entry(long offset, byte[] payload) {}

    private final Spool spool;
    private long next;
    private long segmentFirst = -1;
    private FileChannel channel;
    private long position;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferStart = -1;  // file position of buffer[0] in the open segment, -1 when empty
    private int bufferLength;
    private final byte[] header = new byte[Spool.HEADER];
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
            int sum = ByteBuffer.wrap(header).getInt(4);
            byte[] payload = new byte[len];
            readAt(position + Spool.HEADER, payload, "torn");
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != sum) throw new IOException("spool record " + next + " is corrupt");
            position += Spool.HEADER + len;
            out.add(new Entry(next++, payload));
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
        bufferStart = -1;
        segmentFirst = seg.getKey();
        position = 0;
        for (long o = segmentFirst; o < next; o++) position += Spool.HEADER + readHeader();
    }

    /** Reads the record header at {@code position}; returns the payload length. */
    private int readHeader() throws IOException {
        readAt(position, header, "missing");
        int len = ByteBuffer.wrap(header).getInt(0);
        if (len < 0) throw new IOException("spool record " + next + " is corrupt");
        return len;
    }

    /** Fills {@code dst} with the segment's bytes at {@code at}, from the buffer where it can. */
    private void readAt(long at, byte[] dst, String whatIfShort) throws IOException {
        if (dst.length > buffer.capacity()) {
            ByteBuffer direct = ByteBuffer.wrap(dst);
            while (direct.hasRemaining()) {
                if (channel.read(direct, at + direct.position()) < 0) throw new IOException("spool record " + next + " is " + whatIfShort);
            }
            return;
        }
        if (bufferStart < 0 || at < bufferStart || at + dst.length > bufferStart + bufferLength) {
            buffer.clear();
            while (buffer.position() < dst.length) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    bufferStart = -1;
                    throw new IOException("spool record " + next + " is " + whatIfShort);
                }
            }
            bufferStart = at;
            bufferLength = buffer.position();
        }
        System.arraycopy(buffer.array(), (int) (at - bufferStart), dst, 0, dst.length);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
