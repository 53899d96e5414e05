package dev.weir.proxy.transparent;

import dev.weir.audit.event.AuditEvent;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How many unrouted connections get an audit record each: at most {@link #PER_SECOND} a second
 * (in bursts of up to {@link #BURST}); the connections beyond are refused all the same and
 * counted, and their count goes into one summary record ({@code weir:UnroutedConnection} with
 * a note saying how many were not recorded one by one, since when) written with the next record
 * let through or by {@link #flush}, which the listener calls a second after the first one held
 * back. Without a bound a port scan of the intercepted range writes a record per probe: it
 * fills the spool, and with {@code when_full: block} makes the requests of everyone else wait.
 * With it, every refused connection is still accounted for, as one record or in a count.
 * Unrouted connections only: a rare path, so one lock is enough.
 */
public final class UnroutedRecords {
    /** Records a second in the long run. */
    public static final int PER_SECOND = 100;
    /** Records at once after a quiet spell. */
    public static final int BURST = 200;

    private final Consumer<AuditEvent> publish;
    private final LongSupplier nanos;
    private double tokens = BURST;
    private long refilled;
    private long held;
    private long heldSinceMicros;

    /** @param publish where records go (the audit pipeline's publish) */
    public UnroutedRecords(Consumer<AuditEvent> publish, LongSupplier nanos) {
        this.publish = publish;
        this.nanos = nanos;
        this.refilled = nanos.getAsLong();
    }

    /**
     * Records a refused connection, or counts it when over the rate.
     *
     * @return true when this is the first connection held back since the last summary (the
     *         caller then schedules a {@link #flush} a second later)
     */
    public boolean refused(InetSocketAddress source, InetSocketAddress dst, String why) {
        AuditEvent summary;
        synchronized (this) {
            long now = nanos.getAsLong();
            tokens = Math.min(BURST, tokens + (now - refilled) * PER_SECOND / 1e9);
            refilled = now;
            if (tokens < 1) {
                if (held++ > 0) return false;
                heldSinceMicros = System.currentTimeMillis() * 1000;
                return true;
            }
            tokens -= 1;
            summary = takeSummary();
        }
        if (summary != null) publish.accept(summary);
        publish.accept(UnroutedConnection.event(source, dst, why));
        return false;
    }

    /** Writes the summary of the connections held back so far, if any. */
    public void flush() {
        AuditEvent summary;
        synchronized (this) {
            summary = takeSummary();
        }
        if (summary != null) publish.accept(summary);
    }

    private AuditEvent takeSummary() {
        if (held == 0) return null;
        AuditEvent e = UnroutedConnection.summary(held, heldSinceMicros, PER_SECOND);
        held = 0;
        return e;
    }
}
