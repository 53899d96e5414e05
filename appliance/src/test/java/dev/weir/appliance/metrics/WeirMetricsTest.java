package dev.weir.appliance.metrics;

import dev.weir.audit.pipeline.AuditCounters;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exposition of one instance's registry, read strictly; the audit counters keep their old names. */
class WeirMetricsTest {
    static String render(WeirMetrics metrics) throws Exception {
        return new String(MetricsServer.render(metrics.registry(), PrometheusTextFormatWriter.create()), StandardCharsets.UTF_8);
    }

    static WeirMetrics sample() {
        WeirMetrics m = new WeirMetrics();
        m.audit(() -> new AuditCounters(10, 9, 1, 1, 0, 4096, 4096, 3, null,
                List.of(new AuditCounters.Sink("file", 9, 2, 0, 0, 9, null), new AuditCounters.Sink("siem", 7, 5, 1, 2, 7, "down"))));
        m.requests().record("GetItem", "people", "ALLOWED", List.of("people-read"), 2_000_000, 30_000, 1_500_000);
        m.requests().record("GetItem", "other", "NOT_PERMITTED", List.of(), 40_000, 30_000, -1);
        return m;
    }

    @Test
    void theExpositionIsStrictlyWellFormedAndCountsWhatWasRecorded() throws Exception {
        String text = render(sample());
        Exposition e;
        try {
            e = Exposition.parse(text);
        } catch (IllegalArgumentException bad) {
            throw new AssertionError(bad.getMessage() + "\n" + text, bad);
        }
        assertEquals(1, e.value("weir_requests_total", "operation", "GetItem", "table", "people", "decision", "ALLOWED"));
        assertEquals(1, e.value("weir_rule_decisions_total", "rule", "people-read", "decision", "ALLOWED"));
        assertEquals(2, e.value("weir_request_duration_seconds_count"));
        assertEquals(1, e.value("weir_upstream_duration_seconds_count"));
        assertEquals(1, e.value("weir_request_duration_seconds_bucket", "le", "0.0001"), "40 µs is in the 100 µs bucket");
        assertEquals(2, e.value("weir_request_duration_seconds_bucket", "le", "0.0025"));
        assertEquals(0.00204, e.value("weir_request_duration_seconds_sum"), 1e-9);
        assertEquals(10, e.value("weir_audit_events_published_total"));
        assertEquals(2, e.value("weir_audit_sink_lag_records", "sink", "siem"));
        assertEquals(0, e.value("weir_audit_sink_up", "sink", "siem"));
        assertEquals(1, e.value("weir_audit_sink_up", "sink", "file"));
        assertEquals(1, e.value("weir_audit_queued_records"), "10 published, 8 written (9 less a gap), 1 dropped");
        assertEquals(1, e.value("weir_audit_enabled"));
        assertTrue(e.has("jvm_memory_used_bytes") && e.has("jvm_threads_current"), e.names().toString());
        assertEquals("counter", e.types().get("weir_requests_total") != null ? e.types().get("weir_requests_total")
                : e.types().get("weir_requests"));
    }

    @Test
    void aReloadReplacesThePolicyVersionSeries() throws Exception {
        WeirMetrics m = sample();
        m.policy().policyReload(false);
        m.policy().principalsReload(true);
        m.policy().principalsInForce(4);
        Exposition e = Exposition.parse(render(m));
        assertEquals(1, e.value("weir_policy_reloads_total", "outcome", "refused"));
        assertEquals(0, e.value("weir_policy_reloads_total", "outcome", "applied"));
        assertEquals(1, e.value("weir_principals_reloads_total", "outcome", "applied"));
        assertEquals(4, e.value("weir_principals"));
    }

    @Test
    void auditOffIsOneGauge() throws Exception {
        WeirMetrics m = new WeirMetrics();
        m.audit(null);
        Exposition e = Exposition.parse(render(m));
        assertEquals(0, e.value("weir_audit_enabled"));
        assertTrue(!e.has("weir_audit_events_published_total"));
    }
}
