package dev.weir.audit.pipeline;

import java.util.List;

/**
 * A plain snapshot of the pipeline's counters, for the metrics endpoint.
 *
 * @param published   events accepted by {@code publish} (each got a sequence number and a queue slot)
 * @param written     events appended to the spool (or, without a spool, written to the sink)
 * @param dropped     events lost: queue full, or spool full in {@code drop} mode
 * @param gaps        gap events recorded for those drops
 * @param spoolBytes  bytes the spool holds on disk
 * @param spoolEnd    offset after the last spooled record
 * @param sinks       one entry per sink
 */
public record AuditCounters(long published, long written, long dropped, long gaps, long spoolBytes, long spoolEnd,
                            List<Sink> sinks) {
    /**
     * @param shipped   records the sink accepted and flushed
     * @param retried   failed attempts (each is retried from the committed offset)
     * @param dropped   records the receiver refused for good (e.g. HEC 400) and the sink skipped
     * @param lag       spooled records the sink has not yet committed
     * @param lastError the last failure, or null while the sink is healthy
     */
    public record Sink(String name, long shipped, long retried, long dropped, long lag, long committed, String lastError) {}
}
