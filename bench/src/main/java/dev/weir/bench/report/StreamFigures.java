package dev.weir.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code stream-read} scenario through one endpoint: the whole stream read from
 * TRIM_HORIZON, pass after pass, over the measured window. {@code streamRecords} is what the
 * stream holds (read directly from the store); {@code returnedPerPass} what this endpoint's
 * caller got per pass (fewer under a restricted view, whose hidden records weir reads and
 * drops). Records per second and CPU per record count the stream's records a pass covered,
 * returned or not, so that every endpoint is measured on the same work. {@code storeRatio}:
 * records per second ÷ the store direct's, {@code cpuRatio}: CPU per record of all processes
 * ÷ the store direct's (null for the store itself, or when it was not measured).
 *
 * @param scenario        {@code store-direct}, {@code weir-allow-all} or {@code weir-demo-audit-off}
 * @param cpuPerRecord    CPU µs per stream record, per server process (weir and the store)
 * @param requestsPerPass GetShardIterator and GetRecords requests of one pass (every shard)
 * @param clientCores     the cores the reader (the benchmark's own process) used meanwhile: near
 *                        {@code shards} cores, the reader and not the server limited records/s
 * @param problem         why the figures cannot be trusted or were not measured (null: none)
 */
public record StreamFigures(String scenario, String view, long streamRecords, long returnedPerPass, int shards,
                            long requestsPerPass, int passes, double seconds, double recordsPerSecond, double clientCores,
                            Map<String, Double> cpuPerRecord, Double storeRatio, Double cpuRatio, String problem) {
    public StreamFigures {
        cpuPerRecord = Collections.unmodifiableMap(new LinkedHashMap<>(cpuPerRecord));
    }

    /** A scenario that could not be measured, and why. */
    public static StreamFigures failed(String scenario, String view, String problem) {
        return new StreamFigures(scenario, view, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), null, null, problem);
    }

    @JsonProperty
    public double totalCpuPerRecord() {
        return Math.round(cpuPerRecord.values().stream().mapToDouble(Double::doubleValue).sum() * 100) / 100.0;
    }

    /** The same figures with the ratios against the store direct's ({@code store} null or unmeasured: none). */
    public StreamFigures against(StreamFigures store) {
        if (store == null || store.recordsPerSecond() <= 0 || store.totalCpuPerRecord() <= 0 || recordsPerSecond <= 0
                || store == this) {
            return this;
        }
        return new StreamFigures(scenario, view, streamRecords, returnedPerPass, shards, requestsPerPass, passes, seconds,
                recordsPerSecond, clientCores, cpuPerRecord, Math.round(recordsPerSecond / store.recordsPerSecond() * 1000) / 1000.0,
                Math.round(totalCpuPerRecord() / store.totalCpuPerRecord() * 1000) / 1000.0, problem);
    }

    /** One line of the printed table. */
    public String line() {
        if (recordsPerSecond <= 0) return String.format("%-22s %s", scenario, problem == null ? "not measured" : problem);
        StringBuilder cpu = new StringBuilder();
        cpuPerRecord.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.equals("store") ? 1 : b.equals("store") ? -1
                : a.compareTo(b))).forEach(e -> cpu.append(cpu.isEmpty() ? "" : " + ").append(e.getKey())
                .append(String.format(" %.2f", e.getValue())));
        if (cpuPerRecord.size() > 1) cpu.append(String.format(" = %.2f", totalCpuPerRecord()));
        String ratios = storeRatio == null ? "" : String.format("; ÷ store-direct: records/s %.2f×, CPU/record %.2f×", storeRatio, cpuRatio);
        return String.format("%-22s %10s %,12.0f | %,7d of %,7d returned | CPU µs/record %s; reader %.2f cores%s%s", scenario, view,
                recordsPerSecond, returnedPerPass, streamRecords, cpu, clientCores, ratios, problem == null ? "" : " [" + problem + "]");
    }
}
