package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in segment files {@code DIR/NNNNNNNNNNNNNNNNNNNN.seg}, named by
 * the offset of their first record. A record is {@code [length:int][crc32c:int][payload]};
 * offsets count records from 0 and never repeat. One writer appends; any number of
 * {@link Cursor}s read up to {@link #end()}, which moves only after the bytes are written
 * (and, for {@link #flush}{@code (true)}, forced to disk). Opening a spool after a crash
 * cuts the last segment at its first torn or corrupt record.
 */
public final class Spool implements AutoCloseable {
    static final int HEADER = 8;

    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private FileChannel active;
    private final List<FileChannel> unforced = new ArrayList<>();
    private long activeFirst;
    private volatile long activeSize;
    private long next;            // offset of the next record appended (writer only)
    private volatile long end;    // records below this offset are readable
    private volatile long durable; // records below this offset are forced to disk
    private volatile long retainedBytes; // bytes of closed segments still kept

    public Spool(Path dir, long segmentBytes, long maxBytes) throws IOException {
        this.dir = dir;
        this.segmentBytes = Math.max(segmentBytes, 4096);
        this.maxBytes = Math.max(maxBytes, this.segmentBytes * 2);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg"))
                    .forEach(p -> segments.put(Long.parseLong(p.getFileName().toString().substring(0, 20)), p));
        }
        if (segments.isEmpty()) {
            openSegment(0);
        } else {
            Map.Entry<Long, Path> last = segments.lastEntry();
            long count = recover(last.getValue());
            for (Map.Entry<Long, Path> e : segments.headMap(last.getKey()).entrySet()) retainedBytes += Files.size(e.getValue());
            active = FileChannel.open(last.getValue(), StandardOpenOption.WRITE);
            activeFirst = last.getKey();
            activeSize = active.size();
            active.position(activeSize);
            next = activeFirst + count;
        }
        end = next;
        durable = next;
    }

    /** The offset of the oldest record still kept. */
    public long start() {
        return segments.firstKey();
    }

    /** Records below this offset can be read. */
    public long end() {
        return end;
    }

    /** Records below this offset are on disk. */
    public long durable() {
        return durable;
    }

    /** Bytes on disk, including what is buffered. */
    public long bytes() {
        return retainedBytes + activeSize + buffer.position();
    }

    /** True if a record of this size fits under the spool's size limit. */
    public boolean hasRoom(int payloadBytes) {
        return bytes() + HEADER + payloadBytes <= maxBytes;
    }

    /** Appends a record (buffered until {@link #flush}); returns its offset. Writer thread only. */
    public long append(byte[] payload) throws IOException {
        if (activeSize + buffer.position() + HEADER + payload.length > segmentBytes && activeSize + buffer.position() > 0) {
            writeBuffer();
            unforced.add(active);  // forced (and closed) by the next flush(true)
            retainedBytes += activeSize;
            openSegment(next);
        }
        if (HEADER + payload.length > buffer.remaining()) writeBuffer();
        crc.reset();
        crc.update(payload);
        if (HEADER + payload.length > buffer.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
            while (big.hasRemaining()) activeSize += active.write(big);
        } else {
            buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        }
        return next++;
    }

    /** Writes the buffered records and makes them readable; with {@code force}, also forces them to disk. */
    public void flush(boolean force) throws IOException {
        writeBuffer();
        end = next;
        if (force) {
            for (FileChannel closed : unforced) {
                closed.force(false);
                closed.close();
            }
            unforced.clear();
            active.force(false);
            durable = next;
        }
    }

    /** Deletes every closed segment whose records are all below {@code offset}. Writer thread only. */
    public void release(long offset) throws IOException {
        while (segments.size() > 1) {
            Map.Entry<Long, Path> first = segments.firstEntry();
            Long second = segments.higherKey(first.getKey());
            if (second == null || second > offset || first.getKey() == activeFirst) return;
            retainedBytes -= Files.size(first.getValue());
            segments.remove(first.getKey());
            Files.deleteIfExists(first.getValue());
        }
    }

    /** A reader starting at {@code offset} (clamped to the oldest kept record). */
    public Cursor cursor(long offset) {
        return new Cursor(this, Math.max(offset, start()));
    }

    Map.Entry<Long, Path> segmentOf(long offset) {
        return segments.floorEntry(offset);
    }

    Long nextSegment(long first) {
        return segments.higherKey(first);
    }

    @Override
    public void close() throws IOException {
        flush(true);
        active.close();
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) activeSize += active.write(buffer);
        buffer.clear();
    }

    private void openSegment(long first) throws IOException {
        Path p = dir.resolve("%020d.seg".formatted(first));
        active = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        activeFirst = first;
        activeSize = 0;
        segments.put(first, p);
    }

    /** Counts the good records of a segment and cuts it after the last one. */
    private static long recover(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0, count = 0, size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            CRC32C c = new CRC32C();
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                header.flip();
                int len = header.getInt(), sum = header.getInt();
                if (len < 0 || pos + HEADER + len > size) break;
                ByteBuffer payload = ByteBuffer.allocate(len);
                ch.read(payload, pos + HEADER);
                c.reset();
                c.update(payload.array());
                if ((int) c.getValue() != sum) break;
                pos += HEADER + len;
                count++;
            }
            if (pos < size) ch.truncate(pos);
            return count;
        }
    }

    /** Lists segment files, oldest first (for tools and tests). */
    public List<Path> segmentFiles() {
        return new ArrayList<>(segments.values());
    }
}
