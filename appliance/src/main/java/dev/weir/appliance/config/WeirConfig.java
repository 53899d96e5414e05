package dev.weir.appliance.config;

import dev.weir.proxy.transport.Transport;

import java.nio.file.Path;

/**
 * The appliance's configuration ({@code conf/weir.yaml}). Relative paths are resolved
 * against the folder of the configuration file, except the audit file, which lives under
 * the home folder.
 */
public record WeirConfig(Store store, Proxy proxy, Upstream upstream, Path policies, Path principals, Audit audit) {

    /** The bundled store, run in the same process when enabled. */
    public record Store(boolean enabled, String host, int port) {}

    /** The firewall listener and its limits on clients. */
    public record Proxy(String host, int port, Transport transport, int maxBodyBytes, int maxHeaderBytes,
                        int maxConnections, int requestTimeoutMs, int idleTimeoutMs, Tls tls) {
        public Proxy withTls(Tls next) {
            return new Proxy(host, port, transport, maxBodyBytes, maxHeaderBytes, maxConnections, requestTimeoutMs,
                    idleTimeoutMs, next);
        }
    }

    /**
     * TLS on the listener (null: plain HTTP). {@code clientCa} null: no client certificates;
     * {@code clientAuth} is none, optional or require.
     */
    public record Tls(Path certificate, Path key, Path clientCa, String clientAuth) {}

    public WeirConfig withProxy(Proxy next) {
        return new WeirConfig(store, next, upstream, policies, principals, audit);
    }

    /**
     * The store the firewall forwards to (endpoint null: the bundled store of this process),
     * and the credentials it signs with.
     */
    public record Upstream(String endpoint, String region, String accessKeyId, String secretAccessKey,
                           int timeoutMs, int connectTimeoutMs, int maxConnections) {
        @Override public String toString() {
            return "Upstream[" + endpoint + ", key=" + accessKeyId + "]";
        }
    }

    /** Where audit events go. */
    public record Audit(Path file, int queueCapacity) {}
}
