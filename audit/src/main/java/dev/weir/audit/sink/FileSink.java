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

/** Appends formatted events to one file; a flush writes the batch through to the OS. */
public final class FileSink implements AuditSink {
    private final FileChannel channel;
    private final OutputStream out;
    private final EventFormat format;

    public FileSink(Path file, EventFormat format) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        this.format = format;
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
