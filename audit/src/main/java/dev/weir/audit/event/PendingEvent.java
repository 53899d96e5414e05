package dev.weir.audit.event;

/**
 * An audit event whose fields are worked out later, on the audit writer's thread. An event loop
 * that records a request hands the pipeline one of these (references to what it already holds),
 * so recording costs the loop a queue offer rather than the building of an event: key texts,
 * path lists, the address as text, a table join (issue 16, "Audit events cost a few hundred
 * nanoseconds").
 *
 * <p>An implementation may hold only data that nobody changes once it is handed over (the writer
 * reads it on another thread, after the queue's hand-off), and must make the same event whenever
 * asked. The pipeline asks once and numbers what it gets. An {@link AuditEvent} is its own pending
 * event.
 */
public interface PendingEvent {
    /** The event, its sequence number and instance id left for the pipeline to set. */
    AuditEvent event();
}
