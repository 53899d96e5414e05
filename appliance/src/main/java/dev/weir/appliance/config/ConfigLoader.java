package dev.weir.appliance.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.weir.dpdk.DpdkSettings;
import dev.weir.proxy.identity.CertificateName;
import dev.weir.proxy.transport.Transport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads {@code weir.yaml} and the principals file. The YAML shape is written out here as
 * plain records with defaults, and converted to the immutable {@link WeirConfig}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    record StoreYaml(Boolean enabled, String host, Integer port) {}

    record ProxyYaml(String host, Integer port, String transport, @JsonProperty("max_body_bytes") Integer maxBodyBytes,
                     @JsonProperty("max_header_bytes") Integer maxHeaderBytes,
                     @JsonProperty("max_connections") Integer maxConnections,
                     @JsonProperty("max_connections_per_source") Integer maxConnectionsPerSource,
                     @JsonProperty("first_byte_timeout_ms") Integer firstByteTimeoutMs,
                     @JsonProperty("request_timeout_ms") Integer requestTimeoutMs,
                     @JsonProperty("idle_timeout_ms") Integer idleTimeoutMs, TlsYaml tls, DpdkYaml dpdk,
                     @JsonProperty("compress_answers") Boolean compressAnswers) {}

    /** {@code proxy.dpdk}: the dpdk-bridge's settings (docs/dpdk.md). */
    record DpdkYaml(@JsonProperty("eal_args") List<String> ealArgs, String ip, String netmask, String gateway, String mac,
                    String library, @JsonProperty("idle_park_us") Integer idleParkUs) {}

    record TlsYaml(String certificate, String key, @JsonProperty("client_ca") String clientCa,
                   @JsonProperty("client_auth") String clientAuth) {}

    record UpstreamYaml(String endpoint, String region,
                        @JsonProperty("access_key_id") String accessKeyId,
                        @JsonProperty("secret_access_key") String secretAccessKey,
                        @JsonProperty("timeout_ms") Integer timeoutMs,
                        @JsonProperty("connect_timeout_ms") Integer connectTimeoutMs,
                        @JsonProperty("max_connections") Integer maxConnections,
                        @JsonProperty("account_id") String accountId,
                        @JsonProperty("streams_reveal_counts") String streamsRevealCounts,
                        @JsonProperty("ca_file") String caFile) {}

    record AuditYaml(String file, @JsonProperty("queue_capacity") Integer queueCapacity, String mode,
                     @JsonProperty("when_full") String whenFull, @JsonProperty("block_timeout_ms") Integer blockTimeoutMs,
                     String spool, @JsonProperty("spool_max_bytes") Long spoolMaxBytes, List<Map<String, Object>> sinks,
                     List<SkipYaml> skip, @JsonProperty("instance_id") String instanceId) {}

    record SkipYaml(List<String> tables, List<String> operations) {}

    record MetricsYaml(String host, Integer port) {}

    record MaskingYaml(@JsonProperty("hash_key_id") String hashKeyId, @JsonProperty("hash_key_file") String hashKeyFile) {}

    record LifecycleYaml(Boolean enabled, @JsonProperty("instance_id") String instanceId,
                         @JsonProperty("lease_ms") Integer leaseMs, @JsonProperty("poll_ms") Integer pollMs,
                         @JsonProperty("call_timeout_ms") Integer callTimeoutMs,
                         @JsonProperty("signing_secret") String signingSecret) {}

    record ConfigYaml(StoreYaml store, ProxyYaml proxy, UpstreamYaml upstream, String policies, String principals,
                      AuditYaml audit, MetricsYaml metrics, MaskingYaml masking, LifecycleYaml lifecycle,
                      TransparentConfig.TransparentYaml transparent, ConsoleConfig.ConsoleYaml console) {}

    record PrincipalYaml(String name, @JsonProperty("access_key_id") String accessKeyId,
                         @JsonProperty("secret_access_key") String secretAccessKey,
                         @JsonProperty("tls_identity") Object tlsIdentity, List<String> roles,
                         Map<String, Object> attributes) {}

    record PrincipalsYaml(List<PrincipalYaml> principals) {}

    /** One principal as the principals file gives it; {@code tlsIdentity} is null when it has none. */
    public record PrincipalEntry(String name, String accessKeyId, String secretAccessKey, CertificateName tlsIdentity,
                                 List<String> roles, Map<String, List<String>> attributes) {
        @Override public String toString() {
            return "PrincipalEntry[" + name + ", key=" + accessKeyId + "]";
        }
    }

    /**
     * The transport the configuration names. None named: epoll where Netty's native epoll loads,
     * else nio (with a log line). One named that cannot run on this machine stops start-up: a
     * configuration that asks for a native transport never runs silently on another.
     */
    private static Transport transport(Path file, String name) throws ConfigException {
        if (DPDK.equals(name)) return loopTransport(file);
        return name == null ? Transport.preferred() : named(file, name, Transport::unavailabilityCause);
    }

    // ---- proxy.transport: dpdk (issue 17, docs/dpdk.md) ----

    static final String DPDK = "dpdk";

    /** Under the dpdk-bridge the event loops and the upstream client run on epoll, which must load. */
    private static Transport loopTransport(Path file) throws ConfigException {
        return named(file, "epoll", Transport::unavailabilityCause);
    }

    /** The bridge's settings for {@code proxy.transport: dpdk}, else null; a {@code proxy.dpdk} block without it is an error. */
    static DpdkSettings dpdk(Path file, Path dir, String transport, DpdkYaml d) throws ConfigException {
        if (!DPDK.equals(transport)) {
            if (d != null) throw YamlFiles.at(file, "proxy.dpdk is set but proxy.transport is not dpdk", "proxy", "dpdk");
            return null;
        }
        if (d == null || d.ealArgs() == null || d.ealArgs().isEmpty()) {
            throw YamlFiles.at(file, "proxy.transport dpdk needs proxy.dpdk.eal_args (they name the device DPDK drives,"
                    + " e.g. [--vdev, 'net_af_packet0,iface=eth1'])", "proxy", "transport");
        }
        if (d.ip() == null || !d.ip().matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw YamlFiles.at(file, "proxy.dpdk.ip must be the IPv4 address weir answers on over DPDK, got '" + d.ip() + "'",
                    "proxy", "dpdk");
        }
        if (d.idleParkUs() != null && d.idleParkUs() < 0) {
            throw YamlFiles.at(file, "proxy.dpdk.idle_park_us must be 0 (spin) or more", "proxy", "dpdk");
        }
        return new DpdkSettings(d.ealArgs(), d.ip(), d.netmask(), d.gateway(), d.mac(),
                d.library() == null ? null : dir.resolve(d.library()), 1_000L * or(d.idleParkUs(), 50));
    }

    /** The transport {@code name} names, if it can run ({@code unavailability}: why one cannot, or null). */
    static Transport named(Path file, String name, Function<Transport, Throwable> unavailability) throws ConfigException {
        Transport transport = Transport.named(name);
        if (transport == null) {
            throw new ConfigException(file + ": error: proxy.transport must be nio, epoll, io_uring or dpdk, got '" + name + "'");
        }
        Throwable cause = unavailability.apply(transport);
        if (cause != null) {
            throw YamlFiles.at(file, "proxy.transport " + name + " cannot run on this machine (" + cause
                    + "); set nio, or leave proxy.transport out to use epoll where it runs and nio elsewhere", "proxy", "transport");
        }
        return transport;
    }

    /**
     * Where the upstream credentials come from when the file leaves them out: the environment (a
     * container's secret, so the configuration file can sit in a ConfigMap without them).
     */
    public static final String UPSTREAM_ACCESS_KEY_ID = "WEIR_UPSTREAM_ACCESS_KEY_ID";
    public static final String UPSTREAM_SECRET_ACCESS_KEY = "WEIR_UPSTREAM_SECRET_ACCESS_KEY";

    /**
     * An upstream endpoint checked ({@code http://} or {@code https://} with a host) and its
     * {@code ca_file} resolved against the configuration's folder: only for an https endpoint (on
     * plain http it would promise a protection the connection does not have), and it must be readable.
     * {@code where} names the block in errors ({@code upstream}, {@code route orders: upstream}); a
     * problem is an IllegalArgumentException with the message the caller places in the file.
     */
    static Path upstreamCaFile(Path dir, String where, String endpoint, String caFile) {
        String scheme = null;
        if (endpoint != null) {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            scheme = uri == null ? null : uri.getScheme();
            if (uri == null || !("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
                throw new IllegalArgumentException(where + ".endpoint must be an http:// or https:// URL, got '" + endpoint + "'");
            }
        }
        if (caFile == null) return null;
        if (!"https".equals(scheme)) {
            throw new IllegalArgumentException(where + ".ca_file is set but " + where
                    + ".endpoint is not an https:// URL (the CA file checks the store's TLS certificate)");
        }
        Path ca = dir.resolve(caFile);
        if (!Files.isReadable(ca)) throw new IllegalArgumentException(where + ".ca_file " + ca + " cannot be read");
        return ca;
    }

    public static WeirConfig load(Path file) throws ConfigException {
        return load(file, System.getenv());
    }

    /** As {@link #load(Path)}, with the environment that may hold the upstream credentials. */
    public static WeirConfig load(Path file, Map<String, String> env) throws ConfigException {
        ConfigYaml y = YamlFiles.read(file, ConfigYaml.class);
        Path dir = file.toAbsolutePath().getParent();
        StoreYaml s = y.store() == null ? new StoreYaml(null, null, null) : y.store();
        ProxyYaml p = y.proxy() == null ? new ProxyYaml(null, null, null, null, null, null, null, null, null, null, null, null, null) : y.proxy();
        UpstreamYaml u = y.upstream() == null ? new UpstreamYaml(null, null, null, null, null, null, null, null, null, null) : y.upstream();
        AuditYaml a = y.audit() == null ? new AuditYaml(null, null, null, null, null, null, null, null, null, null) : y.audit();
        WeirConfig.Store store = new WeirConfig.Store(or(s.enabled(), true), or(s.host(), "127.0.0.1"), or(s.port(), 8001));
        Transport transport = transport(file, p.transport());
        int idle = or(p.idleTimeoutMs(), 60_000);
        int maxConnections = or(p.maxConnections(), 10_000);
        WeirConfig.Proxy proxy = new WeirConfig.Proxy(or(p.host(), "127.0.0.1"), or(p.port(), 8000), transport,
                or(p.maxBodyBytes(), 16 * 1024 * 1024), or(p.maxHeaderBytes(), 16 * 1024), maxConnections,
                or(p.maxConnectionsPerSource(), Math.min(256, maxConnections)),
                or(p.firstByteTimeoutMs(), idle > 0 ? Math.min(5_000, idle) : 5_000),
                or(p.requestTimeoutMs(), 30_000), idle, tls(file, dir, p.tls()), dpdk(file, dir, p.transport(), p.dpdk()),
                or(p.compressAnswers(), false));
        checkConnections(file, proxy);
        String endpoint = u.endpoint();
        Path caFile;
        try {
            caFile = upstreamCaFile(dir, "upstream", endpoint, u.caFile());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": error: " + e.getMessage());
        }
        String accessKeyId = u.accessKeyId() != null ? u.accessKeyId() : env.get(UPSTREAM_ACCESS_KEY_ID);
        String secretAccessKey = u.secretAccessKey() != null ? u.secretAccessKey() : env.get(UPSTREAM_SECRET_ACCESS_KEY);
        if (accessKeyId == null || accessKeyId.isEmpty() || secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new ConfigException(file + ": error: upstream.access_key_id and upstream.secret_access_key are required "
                    + "(the credentials weir signs upstream requests with), in the file or in " + UPSTREAM_ACCESS_KEY_ID
                    + " and " + UPSTREAM_SECRET_ACCESS_KEY);
        }
        if (or(u.timeoutMs(), 10_000) < 1) {
            throw YamlFiles.at(file, "upstream.timeout_ms (each request's deadline) must be at least 1", "upstream", "timeout_ms");
        }
        if (proxy.idleTimeoutMs() > 0 && proxy.idleTimeoutMs() <= or(u.timeoutMs(), 10_000)) {
            throw YamlFiles.at(file, "proxy.idle_timeout_ms must be longer than upstream.timeout_ms", "proxy", "idle_timeout_ms");
        }
        String accountId = or(u.accountId(), WeirConfig.Upstream.DEFAULT_ACCOUNT_ID);
        if (!accountId.matches("[0-9]{12}")) {
            throw new ConfigException(file + ": error: upstream.account_id must be a 12-digit AWS account id, got '" + accountId + "'");
        }
        String revealCounts = or(u.streamsRevealCounts(), "refuse");
        if (!revealCounts.equals("refuse") && !revealCounts.equals("accept")) {
            throw YamlFiles.at(file, "upstream.streams_reveal_counts must be refuse or accept, got '" + revealCounts + "'",
                    "upstream", "streams_reveal_counts");
        }
        WeirConfig.Upstream upstream = new WeirConfig.Upstream(endpoint, or(u.region(), "us-east-1"), accessKeyId,
                secretAccessKey, or(u.timeoutMs(), 10_000), or(u.connectTimeoutMs(), 2_000), or(u.maxConnections(), 64),
                accountId, revealCounts.equals("accept"), caFile);
        WeirConfig.Audit audit = audit(file, dir, a);
        WeirConfig.Metrics metrics = y.metrics() == null ? null
                : new WeirConfig.Metrics(or(y.metrics().host(), "127.0.0.1"), or(y.metrics().port(), 8002));
        return new WeirConfig(store, proxy, upstream, dir.resolve(or(y.policies(), "policies")),
                dir.resolve(or(y.principals(), "principals.yaml")), audit, metrics, masking(file, y.masking()),
                lifecycle(file, y.lifecycle()));
    }

    /** The trigger worker's settings: a lease of at least 300 ms, a poll from 10 ms to a third of the lease. */
    private static WeirConfig.Lifecycle lifecycle(Path file, LifecycleYaml l) throws ConfigException {
        if (l == null) return WeirConfig.Lifecycle.DEFAULT;
        WeirConfig.Lifecycle d = WeirConfig.Lifecycle.DEFAULT;
        int lease = or(l.leaseMs(), d.leaseMs());
        int poll = or(l.pollMs(), Math.min(d.pollMs(), Math.max(10, lease / 3)));
        int timeout = or(l.callTimeoutMs(), d.callTimeoutMs());
        if (lease < 300) throw YamlFiles.at(file, "lifecycle.lease_ms must be at least 300, got " + lease, "lifecycle", "lease_ms");
        if (poll < 10 || poll > lease / 3) {
            throw YamlFiles.at(file, "lifecycle.poll_ms must be from 10 to a third of lifecycle.lease_ms (" + lease / 3
                    + "), got " + poll, "lifecycle", "poll_ms");
        }
        if (timeout < 1) throw YamlFiles.at(file, "lifecycle.call_timeout_ms must be at least 1", "lifecycle", "call_timeout_ms");
        if (l.instanceId() != null && (l.instanceId().isBlank() || l.instanceId().contains("|"))) {
            throw YamlFiles.at(file, "lifecycle.instance_id must be a non-empty name without '|'", "lifecycle", "instance_id");
        }
        if (l.signingSecret() != null && l.signingSecret().length() < 16) {
            // not YamlFiles.at: it would quote the line, and with it the secret
            throw new ConfigException(file + ": error: lifecycle.signing_secret must be at least 16 characters");
        }
        return new WeirConfig.Lifecycle(l.enabled(), l.instanceId(), lease, poll, timeout, l.signingSecret());
    }

    /**
     * The connection limits and the first-byte timeout: at least one connection; a limit per
     * source between 0 (none: behind a load balancer every client has its address) and the
     * global one; a first-byte timeout of at least 1 ms and no longer than the idle timeout.
     */
    private static void checkConnections(Path file, WeirConfig.Proxy p) throws ConfigException {
        if (p.maxConnections() < 1) {
            throw YamlFiles.at(file, "proxy.max_connections must be at least 1, got " + p.maxConnections(), "proxy", "max_connections");
        }
        if (p.maxConnectionsPerSource() < 0 || p.maxConnectionsPerSource() > p.maxConnections()) {
            throw YamlFiles.at(file, "proxy.max_connections_per_source must be from 0 (no limit per source) to proxy.max_connections ("
                    + p.maxConnections() + "), got " + p.maxConnectionsPerSource(), "proxy", "max_connections_per_source");
        }
        if (p.firstByteTimeoutMs() < 1 || (p.idleTimeoutMs() > 0 && p.firstByteTimeoutMs() > p.idleTimeoutMs())) {
            throw YamlFiles.at(file, "proxy.first_byte_timeout_ms must be from 1 to proxy.idle_timeout_ms (" + p.idleTimeoutMs()
                    + "), got " + p.firstByteTimeoutMs(), "proxy", "first_byte_timeout_ms");
        }
    }

    /** The hash key's id and file (relative to the home folder; default keys/hash-ID.key), or null without a block. */
    private static WeirConfig.Masking masking(Path file, MaskingYaml m) throws ConfigException {
        if (m == null) return null;
        if (m.hashKeyId() == null) {
            throw YamlFiles.at(file, "masking.hash_key_id is required (the id written before every hash pseudonym, e.g. k1)",
                    "masking");
        }
        if (!dev.weir.policy.field.HashKey.validId(m.hashKeyId())) {
            throw YamlFiles.at(file, "masking.hash_key_id is 1 to 64 letters, digits, '_' or '-', got '" + m.hashKeyId() + "'",
                    "masking", "hash_key_id");
        }
        String keyFile = or(m.hashKeyFile(), "keys/hash-" + m.hashKeyId() + ".key");
        if (keyFile.isBlank()) throw YamlFiles.at(file, "masking.hash_key_file is empty", "masking", "hash_key_file");
        return new WeirConfig.Masking(m.hashKeyId(), Path.of(keyFile));
    }

    /**
     * An error about a setting found wrong after loading (when a sink opens, say), placed at
     * the last of {@code keys} in {@code file} with its line (see YamlFiles.at).
     */
    public static ConfigException errorAt(Path file, String message, String... keys) {
        return YamlFiles.at(file, message, keys);
    }

    public static List<PrincipalEntry> loadPrincipals(Path file) throws ConfigException {
        PrincipalsYaml y = YamlFiles.read(file, PrincipalsYaml.class);
        if (y.principals() == null) throw new ConfigException(file + ":1:1: error: the file needs a 'principals:' list");
        List<PrincipalEntry> out = new java.util.ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        Map<CertificateName, String> tlsOwners = new java.util.HashMap<>();
        int i = 0;
        for (PrincipalYaml p : y.principals()) {
            i++;
            String where = file + ": principal #" + i + (p.name() == null ? "" : " '" + p.name() + "'");
            if (p.name() == null || p.accessKeyId() == null || p.secretAccessKey() == null) {
                throw new ConfigException(where + ": error: name, access_key_id and secret_access_key are required");
            }
            if (!keys.add(p.accessKeyId())) {
                throw new ConfigException(where + ": error: access key id " + p.accessKeyId() + " is used twice");
            }
            CertificateName tls = tlsIdentity(file, p);
            String owner = tls == null ? null : tlsOwners.putIfAbsent(tls, p.name());
            if (owner != null) {
                throw YamlFiles.at(file, "principal '" + owner + "' has the same tls_identity (" + tls + "): a certificate "
                        + "identifies one principal", "principals", "name=" + p.name(), "tls_identity");
            }
            out.add(new PrincipalEntry(p.name(), p.accessKeyId(), p.secretAccessKey(), tls,
                    p.roles() == null ? List.of() : p.roles(), attributes(where, p.attributes())));
        }
        return out;
    }

    /**
     * A principal's {@code tls_identity}: a string is a certificate subject (a distinguished
     * name, compared canonically); a map with exactly one of {@code subject}, {@code dns},
     * {@code uri}, {@code email} and {@code ip} names a subject or a subject alternative name
     * of that type, which only a SAN of the same type matches. Errors point at the line.
     */
    private static CertificateName tlsIdentity(Path file, PrincipalYaml p) throws ConfigException {
        Object raw = p.tlsIdentity();
        if (raw == null) return null;
        String[] at = {"principals", "name=" + p.name(), "tls_identity"};
        String types = java.util.Arrays.stream(CertificateName.Type.values()).map(CertificateName.Type::key)
                .collect(java.util.stream.Collectors.joining(", "));
        CertificateName.Type type;
        Object value;
        if (raw instanceof String s) {
            type = CertificateName.Type.SUBJECT;
            value = s;
        } else if (raw instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            type = CertificateName.Type.byKey(String.valueOf(e.getKey()));
            if (type == null) {
                throw YamlFiles.at(file, "tls_identity names its type with one of " + types + ", not '" + e.getKey() + "'", at);
            }
            value = e.getValue();
        } else {
            throw YamlFiles.at(file, "tls_identity is a certificate subject (a string such as \"CN=etl,OU=batch,O=Example\") "
                    + "or a map with exactly one of " + types + " (e.g. {dns: etl.example.com})", at);
        }
        if (!(value instanceof String text)) {
            throw YamlFiles.at(file, "tls_identity " + type.key() + " must be a string", at);
        }
        try {
            return new CertificateName(type, text);
        } catch (IllegalArgumentException e) {
            throw YamlFiles.at(file, "tls_identity: " + e.getMessage(), at);
        }
    }

    /** Attributes are a string or a list of strings each ({@code region: eu}, {@code regions: [eu, us]}). */
    private static Map<String, List<String>> attributes(String where, Map<String, Object> raw) throws ConfigException {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (raw == null) return out;
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String || x instanceof Number || x instanceof Boolean)) {
                out.put(e.getKey(), list.stream().map(String::valueOf).toList());
            } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                out.put(e.getKey(), List.of(String.valueOf(v)));
            } else {
                throw new ConfigException(where + ": error: attribute '" + e.getKey()
                        + "' must be a string or a list of strings");
            }
        }
        return out;
    }

    private static WeirConfig.Audit audit(Path file, Path dir, AuditYaml a) throws ConfigException {
        String mode = or(a.mode(), "async");
        if (!List.of("async", "sync", "off").contains(mode)) {
            throw YamlFiles.at(file, "audit.mode must be async, sync or off, got '" + mode + "'", "audit", "mode");
        }
        String whenFull = or(a.whenFull(), "block");
        if (!List.of("block", "drop").contains(whenFull)) {
            throw YamlFiles.at(file, "audit.when_full must be block or drop, got '" + whenFull + "'", "audit", "when_full");
        }
        int queue = or(a.queueCapacity(), 65_536);
        int blockTimeout = or(a.blockTimeoutMs(), 2_000);
        long spoolMax = or(a.spoolMaxBytes(), 1L << 30);
        if (queue < 16) throw YamlFiles.at(file, "audit.queue_capacity must be at least 16, got " + queue, "audit", "queue_capacity");
        if (blockTimeout < 1) {
            throw YamlFiles.at(file, "audit.block_timeout_ms must be at least 1, got " + blockTimeout, "audit", "block_timeout_ms");
        }
        if (spoolMax < (1 << 20)) {
            // honoured as given from 1 MiB up (segments are a quarter of it); below, a spool could not hold a batch
            throw YamlFiles.at(file, "audit.spool_max_bytes must be at least 1048576 (1 MiB), got " + spoolMax,
                    "audit", "spool_max_bytes");
        }
        if (a.instanceId() != null && !InstanceId.valid(a.instanceId())) {
            throw YamlFiles.at(file, "audit.instance_id " + InstanceId.RULE + ", got '" + a.instanceId() + "'", "audit", "instance_id");
        }
        String plainFile = a.file() == null ? "audit/audit.jsonl" : a.file();
        List<Map<String, Object>> sinks = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>(List.of("file"));
        int i = 0;
        for (Map<String, Object> spec : a.sinks() == null ? List.<Map<String, Object>>of() : a.sinks()) {
            i++;
            String where = "audit.sinks #" + i + ": ";
            Object name = spec == null ? null : spec.get("name");
            String[] at = name == null ? new String[] {"audit", "sinks"} : new String[] {"audit", "sinks", "name=" + name};
            if (spec == null) throw YamlFiles.at(file, where + "an empty entry", at);
            try {
                dev.weir.audit.sink.SinkConfig.validate(spec);
            } catch (IllegalArgumentException e) {
                throw YamlFiles.at(file, where + e.getMessage(), at);
            }
            if (!name.toString().matches("[A-Za-z0-9_-]+")) {
                throw YamlFiles.at(file, where + "a sink name is letters, digits, '_' or '-' (it names the sink's offset "
                        + "file), got '" + name + "'", at);
            }
            if (!names.add(name.toString())) {
                throw YamlFiles.at(file, where + "sink name '" + name + "' is used twice (the plain audit.file sink is "
                        + "named 'file')", at);
            }
            sinks.add(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spec)));
        }
        if (plainFile.isEmpty() && sinks.isEmpty() && !mode.equals("off")) {
            throw YamlFiles.at(file, "audit has no sink (audit.file is empty and audit.sinks is empty); "
                    + "weir does not run unaudited unless audit.mode is off", "audit");
        }
        List<WeirConfig.AuditSkip> skips = new java.util.ArrayList<>();
        i = 0;
        for (SkipYaml k : a.skip() == null ? List.<SkipYaml>of() : a.skip()) {
            i++;
            String where = "audit.skip #" + i;
            if (k.tables() == null || k.tables().isEmpty()) {
                throw YamlFiles.at(file, where + ": tables is required (use ['*'] for every table)", "audit", "skip");
            }
            List<String> ops = k.operations() == null ? List.of() : k.operations();
            for (String op : ops) {
                boolean group = List.of("read", "write", "delete", "admin").contains(op);
                if (!group && dev.weir.protocol.model.Operation.byName(op) == null) {
                    throw YamlFiles.at(file, where + ": unknown operation '" + op
                            + "' (a DynamoDB operation name, or read, write, delete, admin)", "audit", "skip", op);
                }
            }
            skips.add(new WeirConfig.AuditSkip(List.copyOf(k.tables()), List.copyOf(ops)));
        }
        return new WeirConfig.Audit(mode, whenFull, queue, blockTimeout, Path.of(or(a.spool(), "audit/spool")), spoolMax,
                plainFile.isEmpty() ? null : Path.of(plainFile), List.copyOf(sinks), List.copyOf(skips), a.instanceId());
    }

    private static WeirConfig.Tls tls(Path file, Path dir, TlsYaml t) throws ConfigException {
        if (t == null) return null;
        if (t.certificate() == null || t.key() == null) {
            throw new ConfigException(file + ": error: proxy.tls needs certificate and key (PEM files)");
        }
        String auth = or(t.clientAuth(), t.clientCa() == null ? "none" : "require");
        if (!List.of("none", "optional", "require").contains(auth)) {
            throw new ConfigException(file + ": error: proxy.tls.client_auth must be none, optional or require, got '"
                    + auth + "'");
        }
        if (!auth.equals("none") && t.clientCa() == null) {
            throw new ConfigException(file + ": error: proxy.tls.client_auth " + auth + " needs client_ca");
        }
        return new WeirConfig.Tls(dir.resolve(t.certificate()), dir.resolve(t.key()),
                t.clientCa() == null ? null : dir.resolve(t.clientCa()), auth);
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
