package dev.weir.proxy.transparent;

import dev.weir.audit.event.AuditEvent;

import java.net.InetSocketAddress;

/**
 * The audit record of an intercepted connection weir refused because its original destination
 * is in no route ({@code weir:UnroutedConnection}, decision {@code DENIED}, error type
 * {@code UnroutedDestination}): who connected, and where they meant to go, in the note. The
 * connection is closed before a byte is read, so nothing of the request is recorded.
 */
public final class UnroutedConnection {
    public static final String OPERATION = "weir:UnroutedConnection";

    private UnroutedConnection() {}

    /**
     * The record of {@code count} unrouted connections refused since {@code sinceMicros} without
     * a record each ({@link UnroutedRecords}: over {@code perSecond} records a second). Who made
     * them is not named: they may come from many sources.
     */
    public static AuditEvent summary(long count, long sinceMicros, int perSecond) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000)
                .source("unknown", 0)
                .operation(OPERATION).decision("DENIED").errorType("UnroutedDestination")
                .note(count + " more unrouted connection" + (count == 1 ? " was" : "s were") + " refused since "
                        + java.time.Instant.ofEpochSecond(0, sinceMicros * 1000) + " without a record each (over "
                        + perSecond + " records a second)").build();
    }

        /** @param dst the original destination, or null when it could not be read ({@code why} says why) */
    public static AuditEvent event(InetSocketAddress source, InetSocketAddress dst, String why) {
        String to = dst == null ? "unknown" : dst.getAddress().getHostAddress() + " port " + dst.getPort();
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000)
                .source(source == null ? "unknown" : source.getAddress().getHostAddress(), source == null ? 0 : source.getPort())
                .operation(OPERATION).decision("DENIED").errorType("UnroutedDestination")
                .note("original destination " + to + (why == null ? " is in no route" : ": " + why)).build();
    }
}
