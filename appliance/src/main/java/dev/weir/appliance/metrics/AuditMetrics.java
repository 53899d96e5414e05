package dev.weir.appliance.metrics;

import dev.weir.audit.pipeline.AuditCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The audit pipeline's counters, read from one {@link AuditCounters} snapshot per scrape (so the
 * numbers of one scrape agree with each other). The names are those weir exported before the
 * client library was used, so dashboards and alerts keep working. Sink names are the only label
 * values: they come from the configuration (checked as {@code [A-Za-z0-9_-]+}). No error text is
 * exported (a sink's last error could quote what its receiver said), only whether there is one.
 */
final class AuditMetrics implements MultiCollector {
    private final Supplier<AuditCounters> audit;

    /** @param audit the pipeline's counters, or null when audit.mode is off */
    AuditMetrics(Supplier<AuditCounters> audit) {
        this.audit = audit;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        AuditCounters c = audit == null ? null : audit.get();
        out.add(gauge("weir_audit_enabled", "1 if requests are audited (audit.mode is not off)", c == null ? 0 : 1));
        if (c == null) return new MetricSnapshots(out);
        out.add(counter("weir_audit_events_published", "audit events accepted into the queue", c.published()));
        out.add(counter("weir_audit_events_written", "audit events appended to the spool", c.written()));
        out.add(counter("weir_audit_events_dropped",
                "audit events lost (queue full, spool or its disk full in drop mode, damaged spool records)", c.dropped()));
        out.add(counter("weir_audit_gaps", "gap events recorded for dropped events", c.gaps()));
        out.add(counter("weir_audit_spool_damaged_records", "spool records found damaged on disk and skipped", c.damaged()));
        out.add(gauge("weir_audit_spool_writable", "1 while the spool is written, 0 after a failed write (a full disk)",
                c.writeError() == null ? 1 : 0));
        out.add(gauge("weir_audit_spool_bytes", "bytes the audit spool holds on disk", c.spoolBytes()));
        out.add(counter("weir_audit_spool_forces", "times the audit spool was forced to disk (fsyncs)", c.forces()));
        out.add(gauge("weir_audit_queued_records",
                "events accepted but not yet written or dropped: the writer's lag behind the event loops",
                Math.max(0, c.published() - (c.written() - c.gaps()) - c.dropped())));
        out.add(sinkCounter(c, "weir_audit_sink_shipped", "records the sink accepted and flushed", AuditCounters.Sink::shipped));
        out.add(sinkCounter(c, "weir_audit_sink_retried", "failed delivery attempts, each retried from the committed offset",
                AuditCounters.Sink::retried));
        out.add(sinkCounter(c, "weir_audit_sink_dropped", "records the receiver refused for good and the sink skipped",
                AuditCounters.Sink::dropped));
        out.add(sinkGauge(c, "weir_audit_sink_lag_records", "spooled records the sink has not yet committed",
                AuditCounters.Sink::lag));
        out.add(sinkGauge(c, "weir_audit_sink_up", "1 while the sink's last delivery succeeded", s -> s.lastError() == null ? 1 : 0));
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, long value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot sinkCounter(AuditCounters c, String name, String help, ToLongFunction<AuditCounters.Sink> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (AuditCounters.Sink s : c.sinks()) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("sink", s.name()))
                    .value(value.applyAsLong(s)).build());
        }
        return b.build();
    }

    private static GaugeSnapshot sinkGauge(AuditCounters c, String name, String help, ToLongFunction<AuditCounters.Sink> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (AuditCounters.Sink s : c.sinks()) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("sink", s.name()))
                    .value(value.applyAsLong(s)).build());
        }
        return b.build();
    }
}
