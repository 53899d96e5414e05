package dev.weir.audit.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the offset of their first record. A record is {@code [length:int][crc32c:int][payload]} (see
 * {@link Frames}); offsets count records from 0 and never repeat. One writer appends; any
 * number of {@link Cursor}s read up to {@link #end()}.
 *
 * <p><b>Write, then commit.</b> {@link #append} only buffers. The buffered records are written
 * at the end of the last committed record, and only once every byte of them is written do
 * they count: {@link #end()} moves, and with {@link #flush}{@code (true)} (after the fsync)
 * {@link #durable()}. If a write fails (a full disk: a short write, then ENOSPC), the segment is
 * truncated back to the last committed record and every record not yet committed is
 * discarded, so the spool never holds a torn record that later records follow, the offsets
 * are reused by the next append, and once space returns writing simply goes on. Truncating
 * frees space, so it works on a full disk, on every file system. A reader never reads bytes
 * past the committed ones, so nothing it buffered can be cut away under it.
 *
 * <p><b>Preallocated, so a force writes data only.</b> The active segment is extended with
 * zeros ahead of its records ({@value #PREALLOCATE} bytes at a time, never past the segment's
 * size nor the spool's limit), so most writes land inside the file and a force ({@code
 * fdatasync}) has no size change to commit: it writes the data and flushes the device, with
 * no journal commit, which on ext4 takes about half the CPU and time of a force after an
 * append. Preallocation is only an optimisation: if the zeros cannot be written (a full disk)
 * the segment is cut back to its records and they are appended as before; a failed write of
 * records is cut back as before (the preallocated zeros with it), and a copy-on-write file
 * system that fails a write into preallocated space is handled the same way. A segment is cut
 * to its records when it is closed ({@link #roll}, {@link #close}), so only the active one
 * ever ends in zeros.
 *
 * <p><b>Recovery.</b> Opening a spool after a crash walks the last segment and cuts only its
 * torn tail: the bytes after the last good record that no good record follows. Zeros there
 * are the preallocated end (a length of 0 is never written), cut silently; anything else is a
 * torn write, cut and reported. A damaged record that good records follow is kept in place
 * (logged, and read as {@link Cursor.Damaged}), so a corrupt record in the middle never takes
 * the records after it along.
 *
 * <p>The size limit is honoured as given: segments are at most a quarter of it.
 */
public final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    static final int HEADER = Frames.HEADER;
    /** The largest payload {@link #append} takes. */
    public static final int MAX_RECORD = Frames.MAX_RECORD;
    /**
     * How far ahead of its records the active segment is extended with zeros. Small on purpose:
     * the first force after an extension writes the zeros too, and preallocated room is room
     * the spool keeps writing into while its disk is full (the full-disk fault tests must
     * still meet ENOSPC within a second of a full disk).
     */
    static final int PREALLOCATE = 64 << 10;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

    /**
     * What readers may read: records below {@code end}; of the active segment (the one named
     * {@code activeFirst}), the bytes below {@code activeBytes}. Published as one value so a
     * reader never pairs an end with the byte count of another moment.
     */
    record Tip(long end, long activeFirst, long activeBytes) {}

    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    private final SegmentChannels channels;
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private final List<FileChannel> unforced = new ArrayList<>();
    private final List<String> recovered = new ArrayList<>();
    // writer thread only
    private FileChannel active;
    private long activeFirst;
    private long next;             // offset of the next record appended
    private boolean dirtyTail;     // a failed write may have left bytes after the committed ones
    private long allocated;        // the active segment's size: its committed bytes and the zeros after them
    // read by other threads
    private volatile long activeBytes;   // committed bytes of the active segment
    private volatile Tip tip;
    private volatile long durable;
    private volatile long retainedBytes; // bytes of closed segments still kept

    public Spool(Path dir, long segmentBytes, long maxBytes) throws IOException {
        this(dir, segmentBytes, maxBytes, SegmentChannels.DEFAULT);
    }

    /**
     * @param segmentBytes the size a segment is closed at (at most a quarter of {@code maxBytes}, at least 4 KiB)
     * @param maxBytes     the most the spool holds; {@link #hasRoom} says no beyond it
     * @param channels     opens segment files (tests pass one that fails writes)
     */
    public Spool(Path dir, long segmentBytes, long maxBytes, SegmentChannels channels) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(4096, Math.min(segmentBytes, maxBytes / 4));
        this.channels = channels;
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg"))
                    .forEach(p -> segments.put(Long.parseLong(p.getFileName().toString().substring(0, 20)), p));
        }
        if (segments.isEmpty()) {
            openSegment(0);
        } else {
            Map.Entry<Long, Path> last = segments.lastEntry();
            for (Map.Entry<Long, Path> e : segments.headMap(last.getKey()).entrySet()) retainedBytes += Files.size(e.getValue());
            active = channels.open(last.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            activeFirst = last.getKey();
            long[] walked = recover(active, last.getValue());
            next = activeFirst + walked[0];
            activeBytes = walked[1];
            allocated = walked[1];
        }
        tip = new Tip(next, activeFirst, activeBytes);
        durable = next;
    }

    /** The offset of the oldest record still kept. */
    public long start() {
        return segments.firstKey();
    }

    /** Records below this offset can be read: every byte of them is written. */
    public long end() {
        return tip.end();
    }

    Tip tip() {
        return tip;
    }

    /** Records below this offset are forced to disk. */
    public long durable() {
        return durable;
    }

    /** Bytes on disk, including what is buffered. */
    public long bytes() {
        return retainedBytes + activeBytes + buffer.position();
    }

    /** True if a record of this size fits under the spool's size limit. */
    public boolean hasRoom(int payloadBytes) {
        return bytes() + HEADER + payloadBytes <= maxBytes;
    }

    /** The size limit, as given. */
    public long maxBytes() {
        return maxBytes;
    }

    /** What opening the spool cut off or found damaged (empty after a clean stop). */
    public List<String> recovered() {
        return List.copyOf(recovered);
    }

    /**
     * Buffers a record and returns its offset; writer thread only. It counts once a {@link
     * #flush} (or a later append that has to write the buffer out) has written it. If such a
     * write fails, the exception propagates and every record not yet committed is discarded:
     * {@link #end()} is then the offset of the first lost one, and the next append reuses it.
     */
    public long append(byte[] payload) throws IOException {
        if (payload.length == 0 || payload.length > MAX_RECORD) {
            throw new IllegalArgumentException("a spool record is 1 to " + MAX_RECORD + " bytes, not " + payload.length);
        }
        int size = HEADER + payload.length;
        long used = activeBytes + buffer.position();
        if (used > 0 && used + size > segmentBytes) {
            writeOut();
            roll();
        }
        crc.reset();
        crc.update(payload);
        if (size > buffer.remaining()) writeOut();
        if (size > buffer.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(size).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
            next++;
            write(big);
        } else {
            buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
            next++;
        }
        return next - 1;
    }

    /**
     * Writes the buffered records and makes them readable; with {@code force}, also forces them
     * (and any segment closed since the last force) to disk. On a failed write, see {@link
     * #append}; a failed force leaves the records readable but not {@link #durable()}.
     */
    public void flush(boolean force) throws IOException {
        writeOut();
        if (force) {
            long upTo = tip.end();
            while (!unforced.isEmpty()) {
                FileChannel closed = unforced.getFirst();
                closed.force(false);
                closed.close();
                unforced.removeFirst();
            }
            active.force(false);
            durable = upTo;
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
        try {
            flush(true);
            cutPreallocated();
        } finally {
            for (FileChannel c : unforced) c.close();
            active.close();
        }
    }

    /**
     * Cuts the active segment's preallocated zeros off (it is being closed), so a closed segment
     * ends at its last record. If that fails the zeros stay: readers stop at the next segment's
     * first offset, and recovery takes zeros for the end, so they are only unused space.
     */
    private void cutPreallocated() {
        if (allocated <= activeBytes || dirtyTail) return;
        try {
            active.truncate(activeBytes);
            allocated = activeBytes;
        } catch (IOException ex) {
            log.warn("audit spool: cannot cut the preallocated end of a segment ({}); it keeps {} bytes of zeros",
                    ex.toString(), allocated - activeBytes);
        }
    }

    /** Writes the buffer at the end of the committed bytes; commits it, or cuts it off again and rethrows. */
    private void writeOut() throws IOException {
        if (buffer.position() == 0 && tip.end() == next) return;
        buffer.flip();
        try {
            write(buffer);
        } finally {
            buffer.clear();
        }
    }

    /** Writes {@code bytes} after the committed ones; on success every appended record is committed. */
    private void write(ByteBuffer bytes) throws IOException {
        long at = activeBytes;
        try {
            if (dirtyTail) {
                active.truncate(at);
                dirtyTail = false;
                allocated = at;
            }
            if (at + bytes.remaining() > allocated) preallocate(at + bytes.remaining());
            while (bytes.hasRemaining()) at += active.write(bytes, at);
        } catch (IOException ex) {
            rollBack(ex);
            throw ex;
        }
        activeBytes = at;
        allocated = Math.max(allocated, at);
        tip = new Tip(next, activeFirst, at);
    }

    /**
     * Extends the active segment with zeros past {@code need} (up to {@value #PREALLOCATE} more,
     * within the segment's size and the spool's limit), so the writes that follow change no
     * size. If the zeros cannot be written, the segment is cut back to its committed bytes and
     * the caller writes its records as a plain append.
     */
    private void preallocate(long need) throws IOException {
        if (!channels.preallocates()) return;
        long target = Math.min(need + PREALLOCATE, Math.min(segmentBytes, maxBytes - retainedBytes));
        if (target <= need) return;
        long at = allocated;
        try {
            while (at < target) {
                ByteBuffer z = ZEROS.duplicate().clear().limit((int) Math.min(ZEROS.capacity(), target - at));
                while (z.hasRemaining()) at += active.write(z, at);
            }
            allocated = target;
        } catch (IOException full) {
            log.debug("audit spool: cannot preallocate {} bytes ({}); appending instead", target - allocated, full.toString());
            allocated = activeBytes;
            active.truncate(activeBytes);  // a failure here fails the write: its records are then cut back by rollBack
        }
    }

    /** Forgets every record not yet committed and cuts their bytes off the segment. */
    private void rollBack(IOException cause) {
        long lost = next - tip.end();
        next = tip.end();
        buffer.clear();
        allocated = activeBytes;
        try {
            active.truncate(activeBytes);
        } catch (IOException ex) {
            dirtyTail = true;  // cut before the next write; readers never read past the committed bytes
            cause.addSuppressed(ex);
        }
        log.debug("audit spool: a write failed ({}); {} uncommitted records discarded from offset {}", cause.toString(),
                lost, next);
    }

    /** Closes the active segment (its records are all committed) and starts the next one. */
    private void roll() throws IOException {
        FileChannel closed = active;
        long closedBytes = activeBytes;
        cutPreallocated();
        openSegment(next);
        unforced.add(closed);  // forced (and closed) by the next flush(true)
        retainedBytes += closedBytes;
    }

    private void openSegment(long first) throws IOException {
        Path p = dir.resolve("%020d.seg".formatted(first));
        FileChannel ch = channels.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(first, p);
        active = ch;
        activeFirst = first;
        activeBytes = 0;
        allocated = 0;
        tip = new Tip(next, first, 0);
    }

    /**
     * Walks the last segment as a reader would and cuts its torn tail; returns {records, bytes}.
     * A damaged span that good records follow is kept (it is one offset, read as damaged).
     */
    private long[] recover(FileChannel ch, Path segment) throws IOException {
        long size = ch.size(), pos = 0, count = 0;
        SegmentReader in = new SegmentReader(ch);
        CRC32C c = new CRC32C();
        while (pos < size) {
            Frames.Frame f = Frames.at(in, pos, size, c);
            if (f instanceof Frames.Torn) break;
            if (f instanceof Frames.Bad bad) {
                String what = segment.getFileName() + ": record " + (activeFirst + count) + " is damaged (" + bad.why()
                        + ", bytes " + bad.start() + ".." + bad.end() + "); the records after it are kept";
                recovered.add(what);
                log.error("audit spool {}", what);
            }
            pos = f.end();
            count++;
        }
        if (pos < size) {
            long torn = lastNonZero(in, pos, size) - pos;
            ch.truncate(pos);
            if (torn > 0) {
                String what = segment.getFileName() + ": cut a torn tail of " + torn + " bytes at byte " + pos
                        + ", after " + count + " records (a write that never completed)";
                recovered.add(what);
                log.warn("audit spool {}", what);
            } else {
                log.debug("audit spool {}: cut {} preallocated bytes after {} records", segment.getFileName(), size - pos, count);
            }
        }
        return new long[] {count, pos};
    }

    /** The position after the last byte that is not zero in {@code [from, to)}, or {@code from} if all are zero. */
    private static long lastNonZero(SegmentReader in, long from, long to) throws IOException {
        byte[] block = new byte[8192];
        for (long end = to; end > from; ) {
            long start = Math.max(from, end - block.length);
            byte[] b = start == end - block.length ? block : new byte[(int) (end - start)];
            if (!in.read(start, b, to)) return to;  // unreadable: count it all as torn
            for (int i = b.length - 1; i >= 0; i--) if (b[i] != 0) return start + i + 1;
            end = start;
        }
        return from;
    }

    /** Lists segment files, oldest first (for tools and tests). */
    public List<Path> segmentFiles() {
        return new ArrayList<>(segments.values());
    }
}
