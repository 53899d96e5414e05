package dev.weir.appliance.metrics;

import dev.weir.proxy.policy.PolicySnapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The policy and principals in force and their reloads: which policy version runs (its SHA-256,
 * the hash audit records carry), how many rules and principals, and how many reloads took
 * effect or were refused (a refused reload leaves the running version, so only this counter and
 * the audit's reload record show that a change did not take).
 */
public final class PolicyMetrics {
    private final Gauge loaded;
    private final Gauge rules;
    private final Info version;
    private final Counter policyReloads;
    private final Gauge lastReload;
    private final Counter principalsReloads;
    private final Gauge principals;

    PolicyMetrics(PrometheusRegistry registry) {
        loaded = Gauge.builder().name("weir_policy_loaded").help("1 while a policy is loaded, 0 while every request is denied")
                .register(registry);
        rules = Gauge.builder().name("weir_policy_rules").help("rules of the policy in force").register(registry);
        version = Info.builder().name("weir_policy").help("the policy in force: its SHA-256 over the policy files (one series)")
                .labelNames("sha256").register(registry);
        policyReloads = Counter.builder().name("weir_policy_reloads_total")
                .help("policy reloads by outcome: applied, or refused (it did not parse, check or pass its tests; the running version stays)")
                .labelNames("outcome").withoutExemplars().register(registry);
        lastReload = Gauge.builder().name("weir_policy_last_reload_timestamp_seconds")
                .help("when the policy in force was loaded (Unix time)").register(registry);
        principalsReloads = Counter.builder().name("weir_principals_reloads_total")
                .help("principals file reloads by outcome: applied, or refused (the running principals stay)")
                .labelNames("outcome").withoutExemplars().register(registry);
        principals = Gauge.builder().name("weir_principals").help("principals in force").register(registry);
        for (String outcome : new String[] {"applied", "refused"}) {
            policyReloads.initLabelValues(outcome);
            principalsReloads.initLabelValues(outcome);
        }
    }

    /** The policy now in force (at start, and after each reload that took effect). */
    public void inForce(PolicySnapshot policy) {
        loaded.set(policy.loaded() ? 1 : 0);
        rules.set(policy.loaded() ? policy.table().ruleCount() : 0);
        version.setLabelValues(policy.contentHash());
        lastReload.set(System.currentTimeMillis() / 1000.0);
    }

    /** A policy reload's outcome. */
    public void policyReload(boolean applied) {
        policyReloads.labelValues(applied ? "applied" : "refused").inc();
    }

    /** A principals reload's outcome. */
    public void principalsReload(boolean applied) {
        principalsReloads.labelValues(applied ? "applied" : "refused").inc();
    }

    /** How many principals are in force (at start, and after each reload that took effect). */
    public void principalsInForce(int count) {
        principals.set(count);
    }
}
