package dev.weir.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What "100 Gb/s line rate" means for weir, measured: the bytes weir moved for its clients
 * (requests in plus responses out, HTTP heads and bodies as on the wire) per second of CPU
 * that weir's process used, on Scan-page traffic at saturation, and the cores that rate
 * implies for 100 Gb/s (12.5 GB/s of requests and responses together). Upstream bytes
 * (weir to the store) are not counted: they are the same traffic a second time.
 *
 * <p>A figure measured more than once is the run with the median rate ({@link #median}), and
 * {@link #runs} holds every run's rate, in the order run, so the report shows its spread.
 */
public record LineRate(String scenario, String pages, double seconds, long bytesIn, long bytesOut, double weirCpuSeconds,
                       double requestsPerSecond, double gigabytesPerSecondPerCore, double coresFor100Gbps, List<Double> runs) {
    /** 100 Gb/s in bytes per second. */
    public static final double LINE_RATE_BYTES_PER_SECOND = 100e9 / 8;

    public LineRate {
        runs = List.copyOf(runs);
    }

    /** @param pages the Scan pages measured, as the report names them ("25 items", "up to 1 MB") */
    public static LineRate of(String scenario, String pages, double seconds, long bytesIn, long bytesOut, double weirCpuSeconds,
                              double requestsPerSecond) {
        double perCore = weirCpuSeconds > 0 ? (bytesIn + bytesOut) / weirCpuSeconds : 0;
        double gbPerCore = Math.round(perCore / 1e9 * 10_000) / 10_000.0;
        return new LineRate(scenario, pages, seconds, bytesIn, bytesOut, Math.round(weirCpuSeconds * 1000) / 1000.0,
                requestsPerSecond, gbPerCore, perCore > 0 ? Math.round(LINE_RATE_BYTES_PER_SECOND / perCore * 10) / 10.0 : 0,
                List.of(gbPerCore));
    }

    /**
     * The run of {@code measured} (runs of one scenario and one kind of page) with the median
     * rate (the lower of the middle two of an even number), carrying every run's rate.
     */
    public static LineRate median(List<LineRate> measured) {
        if (measured.isEmpty()) throw new IllegalArgumentException("no runs");
        List<LineRate> sorted = new ArrayList<>(measured);
        sorted.sort(Comparator.comparingDouble(LineRate::gigabytesPerSecondPerCore));
        LineRate m = sorted.get((sorted.size() - 1) / 2);
        List<Double> all = measured.stream().map(LineRate::gigabytesPerSecondPerCore).toList();
        return new LineRate(m.scenario, m.pages, m.seconds, m.bytesIn, m.bytesOut, m.weirCpuSeconds, m.requestsPerSecond,
                m.gigabytesPerSecondPerCore, m.coresFor100Gbps, all);
    }

    /**
     * "weir-demo-audit-async, pages of 25 items: 0.12 GB/s per core (in + out) → 104 cores for 100 Gb/s", and for
     * several runs, their number, the lowest and highest rate and the spread (highest over lowest).
     */
    public String sentence() {
        String what = scenario + ", Scan pages of " + pages;
        if (gigabytesPerSecondPerCore <= 0) return what + ": no measurement (weir used no CPU or moved no bytes)";
        double kbPerPage = requestsPerSecond > 0 ? bytesOut / seconds / requestsPerSecond / 1000 : 0;
        String s = String.format("%s: %.3f GB/s per core of weir CPU (requests in + responses out, %,.0f pages/s of %,.0f KB on average)"
                + " → %.1f cores for 100 Gb/s", what, gigabytesPerSecondPerCore, requestsPerSecond, kbPerPage, coresFor100Gbps);
        if (runs.size() < 2) return s;
        java.util.DoubleSummaryStatistics all = runs.stream().mapToDouble(Double::doubleValue).summaryStatistics();
        double low = all.getMin(), high = all.getMax();
        return s + String.format("; the median of %d runs, lowest %.3f, highest %.3f%s", runs.size(), low, high,
                low > 0 ? String.format(" (spread %.0f%%)", 100 * (high / low - 1)) : "");
    }
}
