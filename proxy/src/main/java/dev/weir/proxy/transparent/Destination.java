package dev.weir.proxy.transparent;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One entry of a route's destinations: an address or a CIDR block, and a port or any port.
 * Written {@code 10.0.2.2:8000}, {@code 10.0.2.0/24}, {@code 10.0.2.0/24:8000},
 * {@code [fd00::2]:8000}, {@code [fd00::]/64:8000} or {@code fd00::/64} (an IPv6 address without
 * brackets has no port). Addresses are numeric only: a host name here would make routing
 * depend on a resolver weir does not control.
 *
 * @param network the block's first address (host bits zero)
 * @param prefix  its prefix length (32 or 128 for one address)
 * @param port    the port, or 0 for any
 */
public record Destination(InetAddress network, int prefix, int port) {
    public Destination {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("a prefix of " + prefix + " bits for " + network);
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port " + port + " is out of range");
        if (!sameBlock(network.getAddress(), network.getAddress(), prefix) || !masked(network.getAddress(), prefix)) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefix + " has bits set past its prefix");
        }
    }

    /** Parses one entry (see the class comment); a clear message on anything else. */
    public static Destination parse(String text) {
        String s = text.strip();
        String addr;
        int port = 0;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "': a '[' without its ']'");
            addr = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith("/")) {
                // [fd00::]/64:8000 is accepted as well as [fd00::/64]:8000
                int colon = rest.indexOf(':');
                addr += colon < 0 ? rest : rest.substring(0, colon);
                rest = colon < 0 ? "" : rest.substring(colon);
            }
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
                port = port(text, rest.substring(1));
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            addr = s;  // an IPv6 address without brackets: no port
        } else {
            int colon = s.indexOf(':');
            addr = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = port(text, s.substring(colon + 1));
        }
        int slash = addr.indexOf('/');
        String ip = slash < 0 ? addr : addr.substring(0, slash);
        InetAddress a = numeric(text, ip);
        int bits = a.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(addr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the prefix length is not a number");
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + text + "': a prefix length from 0 to " + bits);
        }
        if (!masked(a.getAddress(), prefix)) {
            throw new IllegalArgumentException("'" + text + "': bits are set past the prefix (write the block's first address)");
        }
        return new Destination(a, prefix, port);
    }

    /** True when {@code dst} is in the block and on the port (any port when 0). */
    public boolean matches(InetSocketAddress dst) {
        InetAddress a = unmapped(dst.getAddress());
        if (a.getAddress().length != network.getAddress().length) return false;
        if (port != 0 && port != dst.getPort()) return false;
        return sameBlock(network.getAddress(), a.getAddress(), prefix);
    }

    /** How specific the entry is: longer prefixes first, then a port over any port. */
    int specificity() {
        return prefix * 2 + (port != 0 ? 1 : 0);
    }

    @Override public String toString() {
        String a = network.getHostAddress() + (prefix == network.getAddress().length * 8 ? "" : "/" + prefix);
        if (port == 0) return a;
        return network instanceof Inet4Address ? a + ":" + port : "[" + a + "]:" + port;
    }

    /** An IPv4 address a dual-stack socket shows as {@code ::ffff:a.b.c.d}, as the IPv4 address. */
    public static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) return a;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return a;
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) return a;
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException impossible) {
            return a;
        }
    }

    private static int port(String text, String p) {
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65_535) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the port must be a number from 1 to 65535");
        }
    }

    private static InetAddress numeric(String text, String ip) {
        boolean v4 = ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = ip.contains(":") && ip.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) throw new IllegalArgumentException("'" + text + "': an IPv4 or IPv6 address (numeric), not '" + ip + "'");
        try {
            return InetAddress.getByName(ip);  // numeric: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': '" + ip + "' is not an address");
        }
    }

    private static boolean masked(byte[] a, int prefix) {
        for (int i = 0; i < a.length * 8; i++) {
            if (i >= prefix && (a[i / 8] & (0x80 >>> (i % 8))) != 0) return false;
        }
        return true;
    }

    private static boolean sameBlock(byte[] net, byte[] a, int prefix) {
        int full = prefix / 8, rest = prefix % 8;
        for (int i = 0; i < full; i++) if (net[i] != a[i]) return false;
        if (rest == 0) return true;
        int mask = (0xff00 >>> rest) & 0xff;
        return (net[full] & mask) == (a[full] & mask);
    }
}
