package dev.weir.bench.report;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;

/** Latency distributions for the report: histograms as the load generator encodes them, and percentile curves of them. */
public final class Percentiles {
    private Percentiles() {}

    /** Decodes a histogram the load generator wrote (HdrHistogram's compressed encoding, base64). */
    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    /** The histograms (nanoseconds) added up. */
    public static Histogram merge(List<Histogram> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("no histograms");
        Histogram all = new Histogram(parts.getFirst().getLowestDiscernibleValue(), parts.getFirst().getHighestTrackableValue(), 3);
        for (Histogram h : parts) all.add(h);
        return all;
    }

    /**
     * Points of the distribution (µs) at percentiles spaced evenly on the chart's tail-stretched
     * axis (ten per decade of 1 / (1 - p): 0%, 20.6%, 36.9%, ... 90%, ... 99%, ...), as far into
     * the tail as the sample size supports (no 99.99% of 1,000 requests), then the maximum.
     */
    public static List<ScenarioFigures.PercentilePoint> curve(Histogram nanos) {
        List<ScenarioFigures.PercentilePoint> points = new ArrayList<>();
        long n = nanos.getTotalCount();
        if (n == 0) return points;
        for (int k = 0; k <= 50; k++) {
            double tail = Math.pow(10, -k / 10.0);
            if (k > 0 && 1 / tail > n) break;
            double p = 100 * (1 - tail);
            points.add(new ScenarioFigures.PercentilePoint(Math.round(p * 10_000) / 10_000.0, micros(nanos.getValueAtPercentile(p))));
        }
        points.add(new ScenarioFigures.PercentilePoint(100, micros(nanos.getMaxValue())));
        return points;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
