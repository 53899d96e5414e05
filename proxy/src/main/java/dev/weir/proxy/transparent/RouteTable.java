package dev.weir.proxy.transparent;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The original destination's route: the most specific destination entry that matches (the
 * longest prefix, then an entry with a port over one without) names the store. No match, no
 * store: the connection is refused, never forwarded anywhere (fail closed). The same entry in
 * two routes is refused when the table is made, so which store a connection reaches never
 * depends on the order of the configuration.
 */
public final class RouteTable {
    private record Entry(Destination destination, Route route) {}

    private final List<Entry> entries;
    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<Destination, String> owners = new HashMap<>();
        Map<String, Boolean> names = new HashMap<>();
        List<Entry> all = new ArrayList<>();
        for (Route r : routes) {
            if (names.put(r.name(), true) != null) throw new IllegalArgumentException("two routes are named " + r.name());
            for (Destination d : r.destinations()) {
                String owner = owners.putIfAbsent(d, r.name());
                if (owner != null) {
                    throw new IllegalArgumentException("destination " + d + " is in routes " + owner + " and " + r.name()
                            + ": a destination names one store");
                }
                all.add(new Entry(d, r));
            }
        }
        all.sort(Comparator.comparingInt((Entry e) -> e.destination().specificity()).reversed());
        this.entries = List.copyOf(all);
    }

    /** The route of a connection whose original destination is {@code dst}, or null when no route has it. */
    public Route routeFor(InetSocketAddress dst) {
        if (dst == null) return null;
        for (Entry e : entries) if (e.destination().matches(dst)) return e.route();
        return null;
    }

    public List<Route> routes() {
        return routes;
    }
}
