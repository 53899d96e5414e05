package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

/**
 * The records a format made lately, by the very event they were made from: two sinks of one
 * format shipping the same event object (the pipeline's shippers share their decoded events)
 * format it once (issue 16: the default configuration writes every event as ECS twice, to the
 * file and to the chain). An event is immutable, so the same object always makes the same
 * bytes; an equal event that is another object is simply formatted again.
 *
 * <p>Slots are written and read without locks: each holds an immutable {@link Slot} of final
 * fields, so a thread that sees a slot sees its bytes whole. The bytes kept are never handed out
 * to be changed: {@link EventFormat#encode} callers get a copy.
 */
final class Made {
    /** How many recent records are kept (a power of two). */
    static final int SIZE = 1024;

    private record Slot(AuditEvent event, byte[] bytes) {}

    private final Slot[] slots = new Slot[SIZE];

    /** The bytes made from this very event, or null. */
    byte[] get(AuditEvent event) {
        Slot s = slots[(int) (event.sequence() & (SIZE - 1))];
        return s != null && s.event() == event ? s.bytes() : null;
    }

    /** Keeps {@code bytes}, which nobody changes from now on. */
    void put(AuditEvent event, byte[] bytes) {
        slots[(int) (event.sequence() & (SIZE - 1))] = new Slot(event, bytes);
    }
}
