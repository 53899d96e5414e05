package dev.weir.proxy.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A classic Prometheus histogram of durations, recorded per thread and summed when scraped.
 *
 * <p>Why not the client library's {@code Histogram}: its observations go through a buffer that,
 * while a scrape runs, appends under a lock shared by every thread (and counts every observation
 * in shared atomics), so each scrape would make the event loops queue on one lock. Here each
 * thread (each event loop) owns a stripe that only it writes, with opaque stores and no
 * read-modify-write shared with another thread; a scrape reads every stripe with opaque loads.
 * A scrape that runs while a loop records may see a bucket count before the sum that goes with
 * it: the difference is one observation, gone by the next scrape. The exposition is the
 * library's own ({@link HistogramSnapshot}), so the text format, the {@code le} labels and the
 * {@code _bucket}/{@code _count}/{@code _sum} series are written by the library.
 *
 * <p>Stripes are kept for the life of the histogram (a thread that ends leaves its counts, as a
 * counter must); their number is the number of threads that ever recorded, a few per event loop.
 */
public final class StripedHistogram implements Collector {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final String name;
    private final String help;
    /** Upper bounds in nanoseconds, ascending; the last bucket (+Inf) has no bound here. */
    private final long[] boundsNanos;
    /** The same bounds in seconds, with +Inf last, as the exposition states them. */
    private final double[] boundsSeconds;
    private final CopyOnWriteArrayList<long[]> stripes = new CopyOnWriteArrayList<>();
    private final ThreadLocal<long[]> mine = ThreadLocal.withInitial(this::newStripe);

    /** @param boundsSeconds the buckets' upper bounds in seconds, ascending (+Inf is added) */
    public StripedHistogram(String name, String help, double... boundsSeconds) {
        if (boundsSeconds.length == 0) throw new IllegalArgumentException("a histogram needs buckets");
        for (int i = 1; i < boundsSeconds.length; i++) {
            if (!(boundsSeconds[i] > boundsSeconds[i - 1])) throw new IllegalArgumentException("bounds must ascend");
        }
        this.name = name;
        this.help = help;
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        this.boundsSeconds = Arrays.copyOf(boundsSeconds, boundsSeconds.length + 1);
        this.boundsSeconds[boundsSeconds.length] = Double.POSITIVE_INFINITY;
    }

    /** One slot per bucket, then the sum in nanoseconds. */
    private long[] newStripe() {
        long[] s = new long[boundsNanos.length + 2];
        stripes.add(s);
        return s;
    }

    /** Records one duration (negative ones count as 0). Only the calling thread's stripe is written. */
    public void observeNanos(long nanos) {
        long n = Math.max(0, nanos);
        long[] s = mine.get();
        int b = bucket(n);
        COUNTS.setOpaque(s, b, (long) COUNTS.getOpaque(s, b) + 1);
        int sum = s.length - 1;
        COUNTS.setOpaque(s, sum, (long) COUNTS.getOpaque(s, sum) + n);
    }

    /** The first bucket whose bound is at least {@code n}; the +Inf bucket when none is. */
    private int bucket(long n) {
        long[] bounds = boundsNanos;
        int lo = 0, hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[mid] < n) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    @Override
    public MetricSnapshot collect() {
        long[] counts = new long[boundsSeconds.length];
        long sumNanos = 0;
        for (long[] s : stripes) {
            for (int i = 0; i < counts.length; i++) counts[i] += (long) COUNTS.getOpaque(s, i);
            sumNanos += (long) COUNTS.getOpaque(s, s.length - 1);
        }
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, counts))
                        .sum(sumNanos / 1e9).build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return name;
    }
}
