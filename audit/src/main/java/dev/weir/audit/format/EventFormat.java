package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;

/** Turns an event into the bytes of one record in a SIEM format. */
public interface EventFormat {
    /** The name used in configuration: ecs, ocsf, cef, leef, syslog. */
    String name();

    /** One record, UTF-8, without a line terminator; it never contains CR or LF. */
    byte[] encode(AuditEvent event);

    /** Writes the record and a line feed. */
    default void write(AuditEvent event, OutputStream out) throws IOException {
        out.write(encode(event));
        out.write('\n');
    }
}
