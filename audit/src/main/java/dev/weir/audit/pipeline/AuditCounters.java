package dev.weir.audit.pipeline;

import java.util.List;

/**
 * A plain snapshot of the pipeline's counters, for the metrics endpoint.
 *
 * @param published   events accepted by {@code publish} (each got a sequence number and a queue slot)
 * @param written     records written whole to the spool (or, without a spool, to the sink), gap events included
 * @param dropped     events lost: queue full, timed out before queued, spool full or not writable in
 *                    {@code drop} mode, or held by a damaged spool record; each is in a gap event
 * @param gaps        gap events written
 * @param damaged     spool records found damaged on disk and skipped (their events count in {@code dropped})
 * @param spoolBytes  bytes the spool holds on disk
 * @param spoolEnd    offset after the last spooled record
 * @param forces      times the spool was forced to disk (fsyncs; in {@code sync} mode each serves every record written before it)
 * @param writeError  the error of the last failed spool write, or null while the spool is written
 * @param sinks       one entry per sink
 */
public record AuditCounters(long published, long written, long dropped, long gaps, long damaged, long spoolBytes,
                            long spoolEnd, long forces, String writeError, List<Sink> sinks) {
    /**
     * @param shipped   records the sink accepted and flushed
     * @param retried   failed attempts (each is retried from the committed offset)
     * @param dropped   records the receiver refused for good (e.g. HEC 400) and the sink skipped
     * @param lag       spooled records the sink has not yet committed
     * @param lastError the last failure, or null while the sink is healthy
     */
    public record Sink(String name, long shipped, long retried, long dropped, long lag, long committed, String lastError) {}
}
