package dev.weir.proxy.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;

/**
 * The firewall's per-request metrics, recorded once per request when it is answered (never per
 * item): how many requests by operation, table and decision, how often each rule decided, and
 * how long deciding, the store and the whole request took.
 *
 * <p>Recording takes no lock shared between event loops: counters are the client library's
 * (striped {@code LongAdder}s behind a lock-free map lookup of their label values), histograms
 * are {@link StripedHistogram}s (one stripe per thread). Label values come from
 * {@link MetricLabels} (operations weir knows, tables the policy names) and from the verdict
 * (decision kinds, rule ids of the loaded policy), never from the principal: a label per
 * principal would grow the scrape with every principal file and say who is calling to anyone
 * who can scrape.
 */
public final class RequestMetrics {
    /** Upper bounds of the request and upstream histograms, in seconds: 100 µs to 10 s. */
    static final double[] REQUEST_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1, 2.5, 5, 10};
    /** Upper bounds of the decide histogram, in seconds: 5 µs to 100 ms (deciding is a table lookup and a parse). */
    static final double[] DECIDE_BOUNDS = {0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
            0.005, 0.01, 0.1};

    private final Counter requests;
    private final Counter rules;
    private final StripedHistogram total;
    private final StripedHistogram decide;
    private final StripedHistogram upstream;

    /** Makes the metrics and registers them with {@code registry}. */
    public RequestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("weir_requests_total")
                .help("requests answered, by operation, table (as the policy names it, else other), and decision")
                .labelNames("operation", "table", "decision").withoutExemplars().register(registry);
        rules = Counter.builder().name("weir_rule_decisions_total")
                .help("requests each policy rule took part in deciding, by rule id and decision")
                .labelNames("rule", "decision").withoutExemplars().register(registry);
        total = new StripedHistogram("weir_request_duration_seconds",
                "time from a request's arrival to its answer being ready (audit record queued or, in sync mode, before it is durable)",
                REQUEST_BOUNDS);
        decide = new StripedHistogram("weir_decide_duration_seconds",
                "time from a request's arrival to its decision: identify, parse every expression, decide", DECIDE_BOUNDS);
        upstream = new StripedHistogram("weir_upstream_duration_seconds",
                "time from a permitted request's plan to its filtered answer: every exchange with the store and the response filter",
                REQUEST_BOUNDS);
        registry.register(total);
        registry.register(decide);
        registry.register(upstream);
    }

    /**
     * Records one answered request.
     *
     * @param operation     from {@link MetricLabels#operation}
     * @param table         from {@link MetricLabels#table}
     * @param decision      the verdict's audit name ({@code ALLOWED} or a refusal's kind)
     * @param ruleIds       the rules that decided (ids of the loaded policy)
     * @param totalNanos    arrival to answer
     * @param decideNanos   arrival to decision, or negative when the request was not decided (refused before)
     * @param upstreamNanos plan to filtered answer, or negative when it was not forwarded
     */
    public void record(String operation, String table, String decision, List<String> ruleIds, long totalNanos,
                       long decideNanos, long upstreamNanos) {
        requests.labelValues(operation, table, decision).inc();
        for (int i = 0; i < ruleIds.size(); i++) rules.labelValues(ruleIds.get(i), decision).inc();
        total.observeNanos(totalNanos);
        if (decideNanos >= 0) decide.observeNanos(decideNanos);
        if (upstreamNanos >= 0) upstream.observeNanos(upstreamNanos);
    }
}
