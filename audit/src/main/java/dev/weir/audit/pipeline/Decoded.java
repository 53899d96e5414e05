package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;

/**
 * The events a pipeline's shippers decoded lately, by spool offset: the first shipper to reach a
 * record decodes it, the others take its event (issue 16: the default configuration ships every
 * record to two sinks, and decoding was a tenth of a shipper's work). The shippers usually read
 * the same batch within milliseconds of each other; one further behind than the ring holds, or
 * two reading the same record at once, simply decode it themselves.
 *
 * <p>A committed spool record never changes, so an event kept for an offset is the event its
 * bytes decode to. Slots are written and read without locks: each holds an immutable
 * {@link Slot} of final fields over an immutable event, so a thread that sees a slot sees it whole.
 */
final class Decoded {
    /** How many recent records are kept (a power of two): a few batches' worth, about 2 MB of events. */
    static final int SIZE = 1024;

    private record Slot(long offset, AuditEvent event) {}

    private final Slot[] slots = new Slot[SIZE];

    /** The event decoded for the record at {@code offset}, or null if it is not (or no longer) kept. */
    AuditEvent get(long offset) {
        Slot s = slots[(int) (offset & (SIZE - 1))];
        return s != null && s.offset() == offset ? s.event() : null;
    }

    /**
     * Keeps the event of {@code offset}, unless its slot holds a later record: a shipper far behind
     * must not push out the records the others, and itself, are about to need.
     */
    void put(long offset, AuditEvent event) {
        int i = (int) (offset & (SIZE - 1));
        Slot s = slots[i];
        if (s == null || s.offset() < offset) slots[i] = new Slot(offset, event);
    }
}
