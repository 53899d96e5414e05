package dev.weir.appliance.metrics;

import dev.weir.appliance.lifecycle.RunningTriggers;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.proxy.metrics.RequestMetrics;
import dev.weir.proxy.server.ProxyServer;
import dev.weir.proxy.upstream.UpstreamClient;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;

/**
 * Every metric one weir instance exports (docs/metrics.md), in one registry of its own (never the
 * library's global one, so two appliances in one JVM, as tests run them, do not mix): the
 * firewall's {@link RequestMetrics}, the audit pipeline's counters, the policy and principals,
 * the upstream's failures, open connections, the triggers, and the JVM's.
 */
public final class WeirMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final PolicyMetrics policy = new PolicyMetrics(registry);

    public WeirMetrics() {
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** What the firewall records each answered request into. */
    public RequestMetrics requests() {
        return requests;
    }

    public PolicyMetrics policy() {
        return policy;
    }

    /** The audit pipeline's counters (null: audit is off, exported as {@code weir_audit_enabled 0}). */
    public void audit(Supplier<AuditCounters> counters) {
        registry.register(new AuditMetrics(counters));
    }

    /** Failed exchanges with the store, by reason, read from the client's counters when scraped. */
    public void upstream(UpstreamClient upstream) {
        CounterWithCallback.builder().name("weir_upstream_errors_total")
                .help("exchanges with the store (weir's own lookups included) that failed: timeout (the request's deadline), "
                        + "unreachable (no connection, cut, unreadable answer), server_error (a 5xx answer)")
                .labelNames("reason")
                .callback(cb -> {
                    cb.call(upstream.timeouts(), "timeout");
                    cb.call(upstream.failures(), "unreachable");
                    cb.call(upstream.serverErrors(), "server_error");
                }).register(registry);
    }

    /** Client connections open on the firewall's listener now. */
    public void connections(ProxyServer server) {
        GaugeWithCallback.builder().name("weir_open_connections").help("client connections open on the firewall's listener")
                .callback(cb -> cb.call(server.openConnections())).register(registry);
    }

    /** The data-lifecycle triggers' cheap numbers: shards this instance runs, their lag, API-call trigger events dropped. */
    public void triggers(RunningTriggers triggers) {
        GaugeWithCallback.builder().name("weir_trigger_shards_running")
                .help("stream shards this instance holds a lease on and runs triggers for")
                .callback(cb -> cb.call(triggers.streams() == null ? 0 : triggers.streams().running().size())).register(registry);
        // one series per trigger (ids of the loaded policy), not per shard: shards come and go with the store
        GaugeWithCallback.builder().name("weir_trigger_lag_seconds")
                .help("how far the trigger is behind its stream: the most any of its shards this instance runs is behind "
                        + "(the age of the newest record read and not yet checkpointed; 0 at the stream's tip)")
                .labelNames("trigger")
                .callback(cb -> {
                    if (triggers.streams() == null) return;
                    java.util.Map<String, Long> worst = new java.util.TreeMap<>();
                    triggers.streams().behindMillis().forEach((key, ms) -> {
                        String trigger = key.substring(0, Math.max(0, key.indexOf('|')));
                        worst.merge(trigger, Math.max(0, ms), Math::max);
                    });
                    worst.forEach((trigger, ms) -> cb.call(ms / 1000.0, trigger));
                }).register(registry);
        CounterWithCallback.builder().name("weir_trigger_request_events_dropped_total")
                .help("API-call trigger events dropped because their queue was full")
                .callback(cb -> cb.call(triggers.requests() == null ? 0 : triggers.requests().dropped())).register(registry);
    }
}
