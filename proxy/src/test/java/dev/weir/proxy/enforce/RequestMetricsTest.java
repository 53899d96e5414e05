package dev.weir.proxy.enforce;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall's request metrics: each answered request counted once under label values the
 * operator bounds (tables the policy names, operations weir knows, rule ids of the policy), so
 * callers choosing table names and targets cannot grow the scrape.
 */
class RequestMetricsTest {
    private static final String POLICY = """
            role admin
            role analyst
            @id("admin-all") allow admin on table * op *
            @id("people-read") allow analyst on table people op [GetItem]
              fields [id, name]
            @id("no-secrets") deny analyst on table secrets op *
              reason "closed"
            """;

    static FirewallHarness weir;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> target.endsWith("GetItem")
                ? Map.entry(200, "{\"Item\":{\"id\":{\"S\":\"1\"},\"name\":{\"S\":\"Ann\"}}}")
                : Map.entry(200, "{}"), Map.of());
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    @Test
    void anAllowedAndADeniedGetItemCountUnderTheirTableDecisionAndRule() {
        double allowed = requests("GetItem", "people", "ALLOWED"), denied = requests("GetItem", "secrets", "FORBIDDEN");
        double rule = rule("people-read", "ALLOWED"), denyRule = rule("no-secrets", "FORBIDDEN");
        long timed = histogramCount("weir_request_duration_seconds"), upstream = histogramCount("weir_upstream_duration_seconds");
        assertEquals(200, weir.call("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}").status());
        assertEquals(400, weir.call("analyst", "GetItem", "{\"TableName\":\"secrets\",\"Key\":{\"id\":{\"S\":\"1\"}}}").status());
        assertEquals(allowed + 1, requests("GetItem", "people", "ALLOWED"));
        assertEquals(denied + 1, requests("GetItem", "secrets", "FORBIDDEN"));
        assertEquals(rule + 1, rule("people-read", "ALLOWED"));
        assertEquals(denyRule + 1, rule("no-secrets", "FORBIDDEN"));
        assertEquals(timed + 2, histogramCount("weir_request_duration_seconds"), "each request timed once");
        assertEquals(upstream + 1, histogramCount("weir_upstream_duration_seconds"), "only the forwarded one went upstream");
    }

    @Test
    void aThousandUnknownTablesAndTargetsDoNotGrowTheSeries() {
        int before = series();
        for (int i = 0; i < 1000; i++) {
            // allowed by admin-all (a wildcard), forwarded, answered 200: still "other"
            assertEquals(200, weir.call("admin", "DescribeTable", "{\"TableName\":\"t-" + i + "-x\"}").status());
            // refused: a target no DynamoDB operation has
            assertEquals(400, weir.call("admin", "Op" + i, "{\"TableName\":\"u-" + i + "\"}").status());
            // unauthenticated: an unknown key and a client-chosen table and target
            weir.respond("AKNOBODY" + i, "x", "Nope" + i, "{\"TableName\":\"v-" + i + "\"}");
        }
        int after = series();
        assertTrue(after - before <= 6, "series grew from " + before + " to " + after);
        Set<String> values = new HashSet<>();
        for (MetricSnapshot m : weir.metrics.scrape()) {
            if (m instanceof CounterSnapshot c) {
                c.getDataPoints().forEach(d -> d.getLabels().forEach(l -> values.add(l.getValue())));
            }
        }
        assertFalse(values.stream().anyMatch(v -> v.matches("[tuv]-\\d+(-x)?|Op\\d+|Nope\\d+|AKNOBODY\\d+")),
                "no client-chosen label value: " + values);
        assertTrue(requests("DescribeTable", "other", "ALLOWED") >= 1000);
        assertTrue(requests("unknown", "none", "INVALID") >= 1000);
        assertTrue(requests("unknown", "none", "UNAUTHENTICATED") >= 1000);
    }

    /** Data points over every metric (a histogram counts as one: its buckets are fixed). */
    private static int series() {
        int n = 0;
        for (MetricSnapshot m : weir.metrics.scrape()) n += m.getDataPoints().size();
        return n;
    }

    private static double requests(String op, String table, String decision) {
        return counter("weir_requests", Map.of("operation", op, "table", table, "decision", decision));
    }

    private static double rule(String rule, String decision) {
        return counter("weir_rule_decisions", Map.of("rule", rule, "decision", decision));
    }

    private static double counter(String name, Map<String, String> labels) {
        MetricSnapshots all = weir.metrics.scrape();
        for (MetricSnapshot m : all) {
            if (!(m instanceof CounterSnapshot c) || !c.getMetadata().getName().equals(name)) continue;
            for (var d : c.getDataPoints()) {
                boolean match = true;
                for (var e : labels.entrySet()) match &= e.getValue().equals(d.getLabels().get(e.getKey()));
                if (match) return d.getValue();
            }
        }
        return 0;
    }

    private static long histogramCount(String name) {
        for (MetricSnapshot m : weir.metrics.scrape()) {
            if (m instanceof HistogramSnapshot h && h.getMetadata().getName().equals(name)) {
                return h.getDataPoints().getFirst().getCount();
            }
        }
        throw new AssertionError("no histogram " + name);
    }
}
