package dev.weir.appliance.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.audit.pipeline.AuditCounters;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4), on its own listener so
 * that the data port never answers anything unauthenticated but health. It exposes counters
 * only: no table names, no principals, no error texts (a sink's last error could quote what
 * its receiver said), so it is safe to scrape from the operations network.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final Supplier<AuditCounters> audit;

    /** @param audit the audit pipeline's counters, or null when audit is off */
    public MetricsServer(String host, int port, Supplier<AuditCounters> audit) throws IOException {
        this.audit = audit;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", this::metrics);
        server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("weir-metrics").daemon().factory()));
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = render(audit == null ? null : audit.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The exposition text for a counters snapshot (null: audit is off). */
    static String render(AuditCounters c) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "weir_audit_enabled", "1 if requests are audited (audit.mode is not off)", c == null ? 0 : 1);
        if (c == null) return sb.toString();
        counter(sb, "weir_audit_events_published_total", "audit events accepted into the queue", c.published());
        counter(sb, "weir_audit_events_written_total", "audit events appended to the spool", c.written());
        counter(sb, "weir_audit_events_dropped_total", "audit events lost (queue full, spool or its disk full in drop mode, damaged spool records)", c.dropped());
        counter(sb, "weir_audit_gaps_total", "gap events recorded for dropped events", c.gaps());
        counter(sb, "weir_audit_spool_damaged_records_total", "spool records found damaged on disk and skipped", c.damaged());
        gauge(sb, "weir_audit_spool_writable", "1 while the spool is written, 0 after a failed write (a full disk)",
                c.writeError() == null ? 1 : 0);
        gauge(sb, "weir_audit_spool_bytes", "bytes the audit spool holds on disk", c.spoolBytes());
        counter(sb, "weir_audit_spool_forces_total", "times the audit spool was forced to disk (fsyncs)", c.forces());
        header(sb, "weir_audit_sink_shipped_total", "counter", "records the sink accepted and flushed");
        for (AuditCounters.Sink s : c.sinks()) sample(sb, "weir_audit_sink_shipped_total", s.name(), s.shipped());
        header(sb, "weir_audit_sink_retried_total", "counter", "failed delivery attempts, each retried from the committed offset");
        for (AuditCounters.Sink s : c.sinks()) sample(sb, "weir_audit_sink_retried_total", s.name(), s.retried());
        header(sb, "weir_audit_sink_lag_records", "gauge", "spooled records the sink has not yet committed");
        for (AuditCounters.Sink s : c.sinks()) sample(sb, "weir_audit_sink_lag_records", s.name(), s.lag());
        header(sb, "weir_audit_sink_up", "gauge", "1 while the sink's last delivery succeeded");
        for (AuditCounters.Sink s : c.sinks()) sample(sb, "weir_audit_sink_up", s.name(), s.lastError() == null ? 1 : 0);
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        header(sb, name, "counter", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        header(sb, name, "gauge", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Sink names are [A-Za-z0-9_-]+ (checked by the pipeline), so they need no escaping. */
    private static void sample(StringBuilder sb, String name, String sink, long value) {
        sb.append(name).append("{sink=\"").append(sink).append("\"} ").append(value).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
