package dev.weir.appliance.transparent;

import dev.weir.appliance.config.TransparentConfig;
import dev.weir.proxy.transparent.Destination;
import dev.weir.proxy.transparent.Interception;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel rules that send the routes' destinations to weir, as a shell script an operator
 * reads and runs (as root, on the machine or in the namespace weir runs in): an nftables table
 * {@code inet weir} and, for TPROXY, the policy routing that delivers marked packets locally.
 * weir prints them and never installs them itself: they change how the whole host routes, which
 * is the operator's decision (docs/transparent.md explains each line, and the iptables forms).
 *
 * <p>Only the configured destinations are intercepted: traffic to anything else is not weir's
 * business and flows as before. An intercepted destination that is in no route cannot happen
 * with these rules, but other rules may send one (a wider block written by hand): weir refuses
 * it.
 */
public final class InterceptionRules {
    private InterceptionRules() {}

    /** The script for a gateway or a router namespace: interception on {@code prerouting}. */
    public static String script(TransparentConfig c) {
        List<String> rules = new ArrayList<>();
        for (TransparentConfig.Route r : c.routes()) {
            for (Destination d : r.destinations()) rules.add(rule(c, d) + " comment \"weir route " + r.name() + "\"");
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# weir transparent mode (").append(c.mode().configName()).append("): send the routes' destinations to weir's port ")
                .append(c.port()).append(".\n");
        s.append("# Run as root where weir runs; running it again replaces the table.\nset -e\n");
        s.append("nft -f - <<'WEIR_NFT'\n");
        s.append("table inet weir\ndelete table inet weir\ntable inet weir {\n");
        if (c.mode() == Interception.TPROXY) {
            s.append("  chain prerouting {\n    type filter hook prerouting priority mangle; policy accept;\n");
        } else {
            s.append("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n");
        }
        for (String rule : rules) s.append("    ").append(rule).append('\n');
        s.append("  }\n}\nWEIR_NFT\n");
        if (c.mode() == Interception.TPROXY) {
            // marked packets are delivered to this host, whatever their destination address
            int m = c.mark(), t = c.table();
            s.append("ip rule del fwmark ").append(m).append(" lookup ").append(t).append(" 2>/dev/null || true\n");
            s.append("ip rule add fwmark ").append(m).append(" lookup ").append(t).append('\n');
            s.append("ip route replace local 0.0.0.0/0 dev lo table ").append(t).append('\n');
            s.append("ip -6 rule del fwmark ").append(m).append(" lookup ").append(t).append(" 2>/dev/null || true\n");
            s.append("ip -6 rule add fwmark ").append(m).append(" lookup ").append(t).append('\n');
            s.append("ip -6 route replace local ::/0 dev lo table ").append(t).append('\n');
        }
        return s.toString();
    }

    /** One destination's rule. */
    static String rule(TransparentConfig c, Destination d) {
        boolean v4 = d.network() instanceof Inet4Address;
        String family = v4 ? "ip" : "ip6";
        String block = d.network().getHostAddress() + (d.prefix() == d.network().getAddress().length * 8 ? "" : "/" + d.prefix());
        String match = family + " daddr " + block + (d.port() == 0 ? " meta l4proto tcp" : " tcp dport " + d.port());
        return c.mode() == Interception.TPROXY
                ? match + " tproxy " + family + " to :" + c.port() + " meta mark set " + c.mark() + " accept"
                : match + " redirect to :" + c.port();
    }
}
