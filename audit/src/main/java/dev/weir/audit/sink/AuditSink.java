package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;

import java.io.IOException;

/** Where events go. Called by the pipeline's single writer thread only. */
public interface AuditSink extends AutoCloseable {
    void write(AuditEvent event) throws IOException;

    /** Makes everything written so far durable (or delivered). Called after each batch. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
