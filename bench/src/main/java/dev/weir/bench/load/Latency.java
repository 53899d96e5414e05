package dev.weir.bench.load;

import org.HdrHistogram.Histogram;

/** A latency distribution's summary, in microseconds. */
public record Latency(long count, double mean, double p50, double p90, double p99, double p999, double max) {
    static Latency of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) return new Latency(0, 0, 0, 0, 0, 0, 0);
        return new Latency(nanos.getTotalCount(), us(nanos.getMean()),
                us(nanos.getValueAtPercentile(50)), us(nanos.getValueAtPercentile(90)),
                us(nanos.getValueAtPercentile(99)), us(nanos.getValueAtPercentile(99.9)),
                us(nanos.getMaxValue()));
    }

    private static double us(double nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
