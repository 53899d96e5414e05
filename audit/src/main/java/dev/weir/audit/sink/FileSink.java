package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.spool.SegmentChannels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends formatted events to one file; a flush writes the batch through to the OS. Opening
 * it cuts off a record that a crash left half written (see {@link #dropTornTail}).
 *
 * <p>A batch is kept in memory until {@link #flush} and written after the last whole record.
 * If that write fails (a full disk), the file is cut back to where the batch began and the
 * batch is forgotten, so the shipper's retry of the same batch, once there is space again,
 * leaves neither a torn line nor a repeated one.
 */
public final class FileSink implements AuditSink {
    private final FileChannel channel;
    private final EventFormat format;
    private final Batch batch = new Batch(64 * 1024);
    private long committed;       // bytes of whole records in the file
    private boolean tornTail;     // a failed write left bytes after them that could not be cut yet

    public FileSink(Path file, EventFormat format) throws IOException {
        this(file, format, SegmentChannels.DEFAULT);
    }

    /** As {@link #FileSink(Path, EventFormat)}, opening the file through {@code channels} (tests inject faults). */
    FileSink(Path file, EventFormat format, SegmentChannels channels) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = channels.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        dropTornTail(channel);
        this.committed = channel.size();
        this.format = format;
    }

    /**
     * A crash can leave the last record half written. It was never committed, so the spool
     * ships it again: cut it off, so that every line in the file is a whole record.
     */
    private static void dropTornTail(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) return;
        long end = size;
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (end > 0) {
            long from = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - from));
            channel.read(buf, from);
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    long keep = from + i + 1;
                    if (keep < size) channel.truncate(keep);
                    return;
                }
            }
            end = from;
        }
        channel.truncate(0);
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        try {
            format.write(event, batch);
        } catch (IOException | RuntimeException ex) {
            batch.reset();  // the shipper sends the whole batch again
            throw ex;
        }
    }

    /** The records of a batch, written from its own array. */
    private static final class Batch extends ByteArrayOutputStream {
        Batch(int size) {
            super(size);
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    @Override
    public void flush() throws IOException {
        ByteBuffer bytes = batch.bytes();
        long at = committed;
        try {
            if (tornTail) {
                channel.truncate(committed);
                tornTail = false;
            }
            while (bytes.hasRemaining()) at += channel.write(bytes, at);
        } catch (IOException ex) {
            try {
                channel.truncate(committed);
            } catch (IOException cut) {
                tornTail = true;
                ex.addSuppressed(cut);
            }
            throw ex;
        } finally {
            batch.reset();  // written, or forgotten: the shipper sends a failed batch again
        }
        committed = at;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            channel.force(false);
        } finally {
            channel.close();
        }
    }
}
