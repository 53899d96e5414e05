package dev.weir.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's figures in a run (medians over its repeated phases), or why it has none.
 * CPU per request is per server process (µs of user + system time per answered request), at
 * saturation and at the fixed offered rate; {@code proxy} names the process that is the
 * proxy in front of the store (weir or haproxy), or is null for a direct scenario.
 *
 * @param percentiles the latency distribution at the fixed rate (from the intended send time)
 */
public record ScenarioFigures(String name, String title, String proxy, boolean available, String unavailableReason,
                              double saturation, double fixedAchieved, double p50, double p99, double p999, double max,
                              Map<String, Double> cpuPerRequestSaturated, Map<String, Double> cpuPerRequestFixed,
                              List<PercentilePoint> percentiles, boolean clean) {

    public ScenarioFigures {
        // Insertion order kept: the proxy first, then the store, in tables and charts.
        cpuPerRequestSaturated = Collections.unmodifiableMap(new LinkedHashMap<>(cpuPerRequestSaturated));
        cpuPerRequestFixed = Collections.unmodifiableMap(new LinkedHashMap<>(cpuPerRequestFixed));
        percentiles = List.copyOf(percentiles);
    }

    /** A scenario that could not run (its server did not start, or a config key it needs is not supported). */
    public static ScenarioFigures unavailable(String name, String title, String proxy, String reason) {
        return new ScenarioFigures(name, title, proxy, false, reason, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), List.of(), false);
    }

    /** All server processes' CPU per request at saturation, added up. */
    @JsonProperty
    public double totalCpuSaturated() {
        return cpuPerRequestSaturated.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** All server processes' CPU per request at the fixed rate, added up. */
    @JsonProperty
    public double totalCpuFixed() {
        return cpuPerRequestFixed.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The proxy process's own CPU per request at saturation (0 without a proxy). */
    @JsonProperty
    public double proxyCpuSaturated() {
        return proxy == null ? 0 : cpuPerRequestSaturated.getOrDefault(proxy, 0.0);
    }

    /** The proxy process's own CPU per request at the fixed rate (0 without a proxy). */
    @JsonProperty
    public double proxyCpuFixed() {
        return proxy == null ? 0 : cpuPerRequestFixed.getOrDefault(proxy, 0.0);
    }

    /** A point of a latency distribution: the latency (µs) that {@code percentile} % of requests did not exceed. */
    public record PercentilePoint(double percentile, double micros) {}
}
