package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EventFormat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends formatted events to one file; a flush writes the batch through to the OS. Opening
 * it cuts off a record that a crash left half written (see {@link #dropTornTail}).
 */
public final class FileSink implements AuditSink {
    private final FileChannel channel;
    private final OutputStream out;
    private final EventFormat format;

    public FileSink(Path file, EventFormat format) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        dropTornTail(channel);
        channel.position(channel.size());
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
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
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
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
        format.write(event, out);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        channel.force(false);
        out.close();
    }
}
