package dev.weir.proxy.transparent;

import dev.weir.proxy.enforce.Firewall;
import io.netty.handler.ssl.SslContext;

import dev.weir.proxy.identity.StoreHosts;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One store behind a transparent weir: the destinations whose connections are its, the names
 * clients may call it by (in their Host header, their signature and their TLS SNI), and its
 * own {@link Firewall} (its upstream client and pools, table schemas and tags, account, policy
 * and iterator seal), chosen once per connection by the original destination.
 *
 * @param name         the route's name; audit records name the store by it
 * @param destinations the original destinations that are this store's
 * @param hosts        the Host values a request may carry, lower case (a name, {@code name:port},
 *                     {@code 10.0.2.2:8000}, {@code [fd00::2]:8000}); never empty
 * @param firewall     the store's firewall
 * @param tls          the store's TLS context (its certificate for its names), or null for plain HTTP
 */
public record Route(String name, List<Destination> destinations, Set<String> hosts, Firewall firewall, SslContext tls) {
    public Route {
        Objects.requireNonNull(name, "name");
        destinations = List.copyOf(destinations);
        hosts = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        Objects.requireNonNull(firewall, "firewall");
        if (destinations.isEmpty()) throw new IllegalArgumentException("route " + name + " has no destination");
        if (hosts.isEmpty()) throw new IllegalArgumentException("route " + name + " has no host name");
    }

    /** True when a Host header value names this store (see {@link StoreHosts#accepts}). */
    public static boolean accepts(Set<String> hosts, String host) {
        return new StoreHosts(hosts).accepts(host);
    }

    /** The TLS server names (SNI) of this store: its host names without port. */
    public Set<String> serverNames() {
        return new StoreHosts(hosts).serverNames();
    }
}
