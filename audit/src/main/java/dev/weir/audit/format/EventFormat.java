package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;

/** Turns an event into the bytes of one record in a SIEM format. */
public interface EventFormat {
    void write(AuditEvent event, OutputStream out) throws IOException;
}
