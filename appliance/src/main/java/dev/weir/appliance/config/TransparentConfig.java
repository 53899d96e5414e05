package dev.weir.appliance.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.weir.proxy.transparent.Destination;
import dev.weir.proxy.transparent.Interception;
import dev.weir.proxy.transport.Transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code transparent} block of {@code weir.yaml} (docs/transparent.md): how connections are
 * intercepted, where the interception listener binds, and the routes from original
 * destinations to stores. Each route names its own upstream (endpoint, region, account,
 * the credentials weir signs with), its own policy folder, the Host names clients call the
 * store by, and optionally its TLS certificate. Nothing has a default that could send a
 * client to a store it did not address: a route without an endpoint, credentials, names or
 * policies does not load.
 *
 * @param mode  tproxy or redirect
 * @param host  the listener's address ({@code ::}: IPv4 and IPv6)
 * @param port  the listener's port, which the interception rules name
 * @param mark  the packet mark the printed TPROXY rules and policy routing use
 * @param table the routing table the printed policy routing uses
 */
public record TransparentConfig(Interception mode, String host, int port, int mark, int table, List<Route> routes) {

    /**
     * One store.
     *
     * @param hosts    the Host header values (and TLS names) clients use for the store; a request
     *                 carrying another Host is refused
     * @param policies the route's policy folder (required: a policy written for one store is never
     *                 applied to another's tables by default; name the same folder twice to share one)
     * @param tls      the store's certificate and key (client_ca and client_auth as on proxy.tls), or null
     */
    public record Route(String name, List<Destination> destinations, List<String> hosts, Path policies,
                        WeirConfig.Upstream upstream, WeirConfig.Tls tls) {}

    record TransparentYaml(String mode, String host, Integer port, Integer mark, Integer table, List<RouteYaml> routes) {}

    record RouteYaml(String name, List<String> destinations, List<String> hosts, String policies,
                     ConfigLoader.UpstreamYaml upstream, ConfigLoader.TlsYaml tls) {}

    /** The file's transparent block, or null when it has none; {@code transport} is the proxy's. */
    public static TransparentConfig load(Path file, Transport transport) throws ConfigException {
        ConfigLoader.ConfigYaml y = YamlFiles.read(file, ConfigLoader.ConfigYaml.class);
        TransparentYaml t = y.transparent();
        if (t == null) return null;
        Path dir = file.toAbsolutePath().getParent();
        Interception mode = Interception.named(t.mode() == null ? "tproxy" : t.mode());
        if (mode == null) {
            throw YamlFiles.at(file, "transparent.mode must be tproxy or redirect, got '" + t.mode() + "'", "transparent", "mode");
        }
        if (transport == Transport.NIO) {
            throw YamlFiles.at(file, "transparent mode needs the epoll or io_uring transport (Java NIO can neither set "
                    + "IP_TRANSPARENT nor read SO_ORIGINAL_DST); set proxy.transport to epoll or io_uring", "transparent");
        }
        int port = t.port() == null ? 15001 : t.port();
        if (port < 1 || port > 65_535) throw YamlFiles.at(file, "transparent.port must be from 1 to 65535", "transparent", "port");
        int mark = t.mark() == null ? 1 : t.mark();
        int table = t.table() == null ? 100 : t.table();
        if (mark < 1) throw YamlFiles.at(file, "transparent.mark must be at least 1", "transparent", "mark");
        if (table < 1 || table > 252) throw YamlFiles.at(file, "transparent.table must be from 1 to 252", "transparent", "table");
        if (t.routes() == null || t.routes().isEmpty()) {
            throw YamlFiles.at(file, "transparent.routes is required: without a route every intercepted connection is refused",
                    "transparent");
        }
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RouteYaml r : t.routes()) routes.add(route(file, dir, r, names));
        return new TransparentConfig(mode, t.host() == null ? "::" : t.host(), port, mark, table, List.copyOf(routes));
    }

    private static Route route(Path file, Path dir, RouteYaml r, Set<String> names) throws ConfigException {
        if (r == null || r.name() == null || !r.name().matches("[A-Za-z0-9_.-]+")) {
            throw YamlFiles.at(file, "every transparent route needs a name of letters, digits, '_', '.' or '-' (audit records "
                    + "name the store by it)", "transparent", "routes");
        }
        String[] at = {"transparent", "routes", "name=" + r.name()};
        if (!names.add(r.name())) throw YamlFiles.at(file, "route name '" + r.name() + "' is used twice", at);
        if (r.destinations() == null || r.destinations().isEmpty()) {
            throw YamlFiles.at(file, "route " + r.name() + ": destinations is required (addresses or CIDR blocks, with or "
                    + "without a port)", at);
        }
        List<Destination> destinations = new ArrayList<>();
        for (String d : r.destinations()) {
            try {
                destinations.add(Destination.parse(d));
            } catch (IllegalArgumentException e) {
                throw YamlFiles.at(file, "route " + r.name() + ": destination " + e.getMessage(), at);
            }
        }
        if (r.hosts() == null || r.hosts().isEmpty() || r.hosts().stream().anyMatch(h -> h == null || h.isBlank()
                || !h.matches("[A-Za-z0-9.:\\[\\]_-]+"))) {
            throw YamlFiles.at(file, "route " + r.name() + ": hosts is required: the names clients call the store by, as "
                    + "their Host header carries them (dynamodb.us-east-1.amazonaws.com, 10.0.2.2:8000, [fd00::2]:8000)", at);
        }
        if (r.policies() == null) {
            throw YamlFiles.at(file, "route " + r.name() + ": policies is required (the policy folder for this store's tables)", at);
        }
        return new Route(r.name(), List.copyOf(destinations), List.copyOf(r.hosts()), dir.resolve(r.policies()),
                upstream(file, dir, r.name(), r.upstream(), at), tls(file, dir, r.name(), r.tls(), at));
    }

    private static WeirConfig.Upstream upstream(Path file, Path dir, String route, ConfigLoader.UpstreamYaml u, String[] at)
            throws ConfigException {
        String where = "route " + route + ": upstream";
        if (u == null || u.endpoint() == null) {
            throw YamlFiles.at(file, where + ".endpoint is required (the store this route forwards to; never the "
                    + "destination a client happened to address)", at);
        }
        Path caFile;
        try {
            caFile = ConfigLoader.upstreamCaFile(dir, where, u.endpoint(), u.caFile());
        } catch (IllegalArgumentException e) {
            throw YamlFiles.at(file, e.getMessage(), at);
        }
        if (u.accessKeyId() == null || u.secretAccessKey() == null) {
            // no YamlFiles.at on the upstream block: its lines may hold the secret
            throw new ConfigException(file + ": error: " + where + ".access_key_id and secret_access_key are required");
        }
        String account = u.accountId() == null ? WeirConfig.Upstream.DEFAULT_ACCOUNT_ID : u.accountId();
        if (!account.matches("[0-9]{12}")) throw YamlFiles.at(file, where + ".account_id must be a 12-digit AWS account id", at);
        String reveal = u.streamsRevealCounts() == null ? "refuse" : u.streamsRevealCounts();
        if (!reveal.equals("refuse") && !reveal.equals("accept")) {
            throw YamlFiles.at(file, where + ".streams_reveal_counts must be refuse or accept", at);
        }
        int timeout = u.timeoutMs() == null ? 10_000 : u.timeoutMs();
        if (timeout < 1) throw YamlFiles.at(file, where + ".timeout_ms must be at least 1", at);
        return new WeirConfig.Upstream(u.endpoint(), u.region() == null ? "us-east-1" : u.region(), u.accessKeyId(),
                u.secretAccessKey(), timeout, u.connectTimeoutMs() == null ? 2_000 : u.connectTimeoutMs(),
                u.maxConnections() == null ? 64 : u.maxConnections(), account, reveal.equals("accept"), caFile);
    }

    private static WeirConfig.Tls tls(Path file, Path dir, String route, ConfigLoader.TlsYaml t, String[] at) throws ConfigException {
        if (t == null) return null;
        if (t.certificate() == null || t.key() == null) {
            throw YamlFiles.at(file, "route " + route + ": tls needs certificate and key (PEM files)", at);
        }
        String auth = t.clientAuth() == null ? (t.clientCa() == null ? "none" : "require") : t.clientAuth();
        if (!List.of("none", "optional", "require").contains(auth) || (!auth.equals("none") && t.clientCa() == null)) {
            throw YamlFiles.at(file, "route " + route + ": tls.client_auth is none, optional or require (the last two need client_ca)",
                    at);
        }
        return new WeirConfig.Tls(dir.resolve(t.certificate()), dir.resolve(t.key()),
                t.clientCa() == null ? null : dir.resolve(t.clientCa()), auth);
    }
}
