package dev.weir.proxy.transparent;

import java.util.Locale;

/**
 * How the kernel hands weir a connection meant for someone else, and so where weir reads the
 * address the client meant.
 *
 * <ul>
 *   <li>{@link #TPROXY}: the listener has {@code IP_TRANSPARENT}; a TPROXY rule delivers the
 *       connection unchanged, so the accepted socket's local address <em>is</em> the original
 *       destination and weir answers from it. Nothing is rewritten; preferred.</li>
 *   <li>{@link #REDIRECT}: a NAT rule rewrote the destination to weir's port; the original one
 *       is read from conntrack with {@code getsockopt(SO_ORIGINAL_DST)} ({@link OriginalDst}).</li>
 * </ul>
 */
public enum Interception {
    TPROXY, REDIRECT;

    /** The name used in the configuration: tproxy, redirect. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode the configuration names, or null for an unknown name. */
    public static Interception named(String name) {
        for (Interception i : values()) if (i.configName().equals(name)) return i;
        return null;
    }
}
