package dev.weir.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Latency a proxy adds, measured with one connection at a low fixed rate (no queueing, so
 * the difference is the proxy's own time per request): the proxy scenario's p50 and p99
 * minus those of the store direct, in µs, medians over the runs.
 */
public record AddedLatency(String scenario, String baseline, double rate, double p50, double p99, double baselineP50,
                           double baselineP99) {
    @JsonProperty
    public double addedP50() {
        return Math.round((p50 - baselineP50) * 10) / 10.0;
    }

    @JsonProperty
    public double addedP99() {
        return Math.round((p99 - baselineP99) * 10) / 10.0;
    }

    /** "weir-allow-all adds 85.0 µs at p50 (180.0 against 95.0 µs) and 120.0 µs at p99". */
    public String sentence() {
        String sentence = String.format("%s adds %.1f µs at p50 (%.1f against %.1f µs) and %.1f µs at p99 (%.1f against %.1f µs)",
                scenario, addedP50(), p50, baselineP50, addedP99(), p99, baselineP99);
        // A proxy cannot make the store faster: a negative difference means the baseline was disturbed.
        return addedP50() < 0 ? sentence + " [negative: the baseline phases were disturbed, rerun on a quieter machine]" : sentence;
    }
}
