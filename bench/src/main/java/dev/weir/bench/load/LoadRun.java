package dev.weir.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the connections of one phase share: the mix, the time window (System.nanoTime), and
 * the histograms (nanoseconds, per entry of the mix) they record into.
 */
final class LoadRun {
    private static final long LOWEST_NANOS = 1_000;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int MAX_ERROR_SAMPLES = 5;

    final RequestMix mix;
    final boolean open;
    final long start;
    final long measureStart;
    final long end;
    /** Latency from the intended send time (open loop) or from the actual send (closed loop). */
    final Histogram[] latency;
    /** Latency from the actual send: the server's answer time, as a closed-loop tool would see it. */
    final Histogram[] service;
    final CountDownLatch finished;
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorSampleCount = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();

    LoadRun(RequestMix mix, boolean open, long start, long measureStart, long end, int connections) {
        this.mix = mix;
        this.open = open;
        this.start = start;
        this.measureStart = measureStart;
        this.end = end;
        this.latency = histograms(mix.size());
        this.service = histograms(mix.size());
        this.finished = new CountDownLatch(connections);
    }

    private static Histogram[] histograms(int n) {
        Histogram[] h = new Histogram[n];
        for (int i = 0; i < n; i++) h[i] = new ConcurrentHistogram(LOWEST_NANOS, HIGHEST_NANOS, 3);
        return h;
    }

    void record(int entry, long latencyNanos, long serviceNanos) {
        latency[entry].recordValue(clamp(latencyNanos));
        service[entry].recordValue(clamp(serviceNanos));
    }

    private static long clamp(long nanos) {
        return Math.min(Math.max(nanos, 0), HIGHEST_NANOS);
    }

    boolean wantsErrorSample() {
        return errorSampleCount.get() < MAX_ERROR_SAMPLES;
    }

    void errorSample(String sample) {
        if (errorSampleCount.incrementAndGet() <= MAX_ERROR_SAMPLES) errorSamples.add(sample);
    }

    List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    void fail(String why) {
        failure.compareAndSet(null, why);
    }

    String failure() {
        return failure.get();
    }
}
