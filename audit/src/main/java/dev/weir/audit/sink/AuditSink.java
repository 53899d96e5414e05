package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;

import java.io.IOException;

/** Where events go. Called by one thread only (the pipeline's writer, or the sink's shipper). */
public interface AuditSink extends AutoCloseable {
    void write(AuditEvent event) throws IOException;

    /** Makes everything written so far durable (or delivered). Called after each batch. */
    void flush() throws IOException;

    /**
     * Events this sink refused for good and skipped (the receiver called them invalid), so the
     * pipeline moved past them; each is also logged. Zero for sinks that only ever retry.
     */
    default long dropped() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
