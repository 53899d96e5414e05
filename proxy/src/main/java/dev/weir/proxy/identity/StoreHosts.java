package dev.weir.proxy.identity;

import java.util.Locale;
import java.util.Set;

/**
 * The names one store is called by, as clients put them in the Host header their signature
 * covers ({@code dynamodb.us-east-1.amazonaws.com}, {@code 10.0.2.2:8000}, {@code [fd00::2]:8000}).
 * A SigV4 signature verifies whatever Host it covers, so where weir guards several stores it is
 * this list, not the signature, that tells a request meant for this store from one meant for
 * another.
 */
public record StoreHosts(Set<String> names) {
    public StoreHosts {
        names = Set.copyOf(names.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        if (names.isEmpty()) throw new IllegalArgumentException("a store needs at least one host name");
    }

    /**
     * True when a Host header value names this store: one of {@link #names}, compared without
     * case; a default port ({@code :80}, {@code :443}) may be written or left out.
     */
    public boolean accepts(String host) {
        if (host == null || host.isEmpty()) return false;
        String h = host.toLowerCase(Locale.ROOT);
        if (names.contains(h)) return true;
        if (h.endsWith(":80") || h.endsWith(":443")) return names.contains(h.substring(0, h.lastIndexOf(':')));
        return names.contains(h + ":80") || names.contains(h + ":443");
    }

    /** The TLS server names (SNI): the names without port, IPv6 addresses without brackets. */
    public Set<String> serverNames() {
        return Set.copyOf(names.stream().map(StoreHosts::withoutPort).toList());
    }

    static String withoutPort(String host) {
        if (host.startsWith("[")) return host.substring(1, host.indexOf(']') < 0 ? host.length() : host.indexOf(']'));
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.indexOf(':') != colon ? host : host.substring(0, colon);
    }
}
