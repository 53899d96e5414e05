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

    /** @param dst the original destination, or null when it could not be read ({@code why} says why) */
    public static AuditEvent event(InetSocketAddress source, InetSocketAddress dst, String why) {
        String to = dst == null ? "unknown" : dst.getAddress().getHostAddress() + " port " + dst.getPort();
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000)
                .source(source == null ? "unknown" : source.getAddress().getHostAddress(), source == null ? 0 : source.getPort())
                .operation(OPERATION).decision("DENIED").errorType("UnroutedDestination")
                .note("original destination " + to + (why == null ? " is in no route" : ": " + why)).build();
    }
}
