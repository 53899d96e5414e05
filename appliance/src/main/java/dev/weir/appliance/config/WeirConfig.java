package dev.weir.appliance.config;

import dev.weir.dpdk.DpdkSettings;
import dev.weir.proxy.transport.Transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The appliance's configuration ({@code conf/weir.yaml}). Relative paths are resolved
 * against the folder of the configuration file, except the audit file, which lives under
 * the home folder.
 */
public record WeirConfig(Store store, Proxy proxy, Upstream upstream, Path policies, Path principals, Audit audit,
                         Metrics metrics, Masking masking, Lifecycle lifecycle) {

    public WeirConfig(Store store, Proxy proxy, Upstream upstream, Path policies, Path principals, Audit audit,
                      Metrics metrics, Masking masking) {
        this(store, proxy, upstream, policies, principals, audit, metrics, masking, Lifecycle.DEFAULT);
    }

    /**
     * The data-lifecycle trigger worker ({@code lifecycle} block, docs/triggers.md).
     *
     * @param enabled       true or false; null (not set): on when the policy has a trigger
     * @param instanceId    this instance's name in the lease table (default: host name and process id)
     * @param signingSecret the secret function calls are signed with (or {@code WEIR_TRIGGER_SECRET}; per
     *                      trigger {@code WEIR_TRIGGER_SECRET_<ID>}); never logged
     */
    public record Lifecycle(Boolean enabled, String instanceId, int leaseMs, int pollMs, int callTimeoutMs,
                            String signingSecret) {
        public static final Lifecycle DEFAULT = new Lifecycle(null, null, 30_000, 1_000, 10_000, null);

        @Override public String toString() {
            return "Lifecycle[" + enabled + ", " + instanceId + ", lease " + leaseMs + " ms]";
        }
    }

    /** The bundled store, run in the same process when enabled. */
    public record Store(boolean enabled, String host, int port) {}

    /** The Prometheus metrics listener ({@code GET /metrics}); null in the config: none. */
    public record Metrics(String host, int port) {}

    /**
     * The firewall listener and its limits on clients. {@code dpdk} non-null: the listener is the
     * dpdk-bridge's ({@code proxy.transport: dpdk}) and {@code transport} is what the event loops
     * and the upstream client run on.
     */
    public record Proxy(String host, int port, Transport transport, int maxBodyBytes, int maxHeaderBytes,
                        int maxConnections, int maxConnectionsPerSource, int firstByteTimeoutMs, int requestTimeoutMs,
                        int idleTimeoutMs, Tls tls, DpdkSettings dpdk, boolean compressAnswers) {
        /** Answers not compressed ({@code proxy.compress_answers} left out). */
        public Proxy(String host, int port, Transport transport, int maxBodyBytes, int maxHeaderBytes, int maxConnections,
                     int maxConnectionsPerSource, int firstByteTimeoutMs, int requestTimeoutMs, int idleTimeoutMs, Tls tls,
                     DpdkSettings dpdk) {
            this(host, port, transport, maxBodyBytes, maxHeaderBytes, maxConnections, maxConnectionsPerSource,
                    firstByteTimeoutMs, requestTimeoutMs, idleTimeoutMs, tls, dpdk, false);
        }

        /** A listener on a kernel socket ({@code transport}), no dpdk-bridge. */
        public Proxy(String host, int port, Transport transport, int maxBodyBytes, int maxHeaderBytes, int maxConnections,
                     int maxConnectionsPerSource, int firstByteTimeoutMs, int requestTimeoutMs, int idleTimeoutMs, Tls tls) {
            this(host, port, transport, maxBodyBytes, maxHeaderBytes, maxConnections, maxConnectionsPerSource,
                    firstByteTimeoutMs, requestTimeoutMs, idleTimeoutMs, tls, null);
        }

        public Proxy withTls(Tls next) {
            return new Proxy(host, port, transport, maxBodyBytes, maxHeaderBytes, maxConnections, maxConnectionsPerSource,
                    firstByteTimeoutMs, requestTimeoutMs, idleTimeoutMs, next, dpdk, compressAnswers);
        }
    }

    /**
     * TLS on the listener (null: plain HTTP). {@code clientCa} null: no client certificates;
     * {@code clientAuth} is none, optional or require.
     */
    public record Tls(Path certificate, Path key, Path clientCa, String clientAuth) {}

    public WeirConfig withProxy(Proxy next) {
        return new WeirConfig(store, next, upstream, policies, principals, audit, metrics, masking, lifecycle);
    }

    /**
     * The store the firewall forwards to (endpoint null: the bundled store of this process),
     * the credentials it signs with, and the region and account its tables live in (a request
     * that names a table by an ARN of another region or account is refused).
     */
    public record Upstream(String endpoint, String region, String accessKeyId, String secretAccessKey,
                           int timeoutMs, int connectTimeoutMs, int maxConnections, String accountId,
                           boolean streamsRevealCountsAccepted, Path caFile) {
        /** The bundled store's account, which is also the default. */
        public static final String DEFAULT_ACCOUNT_ID = "000000000000";

        /**
         * {@code streamsRevealCountsAccepted}: {@code upstream.streams_reveal_counts: accept}, the operator accepts
         * that a foreign upstream's stream numbers may tell a restricted reader how many changes it did not see
         * (docs/threat-model.md, "Stream records"). {@code caFile}: {@code upstream.ca_file}, the PEM CAs an
         * https endpoint's certificate must chain to (null: the system's trusted CAs).
         */
        public Upstream(String endpoint, String region, String accessKeyId, String secretAccessKey,
                        int timeoutMs, int connectTimeoutMs, int maxConnections, String accountId) {
            this(endpoint, region, accessKeyId, secretAccessKey, timeoutMs, connectTimeoutMs, maxConnections, accountId, false, null);
        }

        public Upstream(String endpoint, String region, String accessKeyId, String secretAccessKey,
                        int timeoutMs, int connectTimeoutMs, int maxConnections, String accountId,
                        boolean streamsRevealCountsAccepted) {
            this(endpoint, region, accessKeyId, secretAccessKey, timeoutMs, connectTimeoutMs, maxConnections, accountId,
                    streamsRevealCountsAccepted, null);
        }

        public Upstream(String endpoint, String region, String accessKeyId, String secretAccessKey,
                        int timeoutMs, int connectTimeoutMs, int maxConnections) {
            this(endpoint, region, accessKeyId, secretAccessKey, timeoutMs, connectTimeoutMs, maxConnections, DEFAULT_ACCOUNT_ID);
        }

        @Override public String toString() {
            return "Upstream[" + endpoint + ", key=" + accessKeyId + "]";
        }
    }

    /**
     * How requests are audited. {@code mode} is async, sync or off; {@code whenFull} block or
     * drop; {@code file} the plain JSON-lines sink named "file" (null: none); {@code sinks} the
     * other sinks as written in the file (see dev.weir.audit.sink.SinkConfig), checked for
     * name, type and known settings. The spool and relative paths live under the home folder.
     * {@code instanceId} is the name this replica's records carry (null: see {@link InstanceId}).
     */
    public record Audit(String mode, String whenFull, int queueCapacity, int blockTimeoutMs, Path spool,
                        long spoolMaxBytes, Path file, List<Map<String, Object>> sinks, List<AuditSkip> skip,
                        String instanceId) {}

    /**
     * The key {@code hash} masks use ({@code masking} block; null: none, and a policy using
     * {@code hash} does not load): its id and its file, relative to the home folder.
     */
    public record Masking(String hashKeyId, Path hashKeyFile) {}

    /** Allowed requests on these tables with these operations (or groups; empty: all) are not audited. */
    public record AuditSkip(List<String> tables, List<String> operations) {}
}
