package dev.weir.proxy.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A histogram kept per thread adds up, once the threads are done, to every observation in its bucket. */
class StripedHistogramTest {
    private static final double[] BOUNDS = {0.001, 0.01, 0.1};

    @Test
    void eachObservationLandsInTheFirstBucketItFits() {
        StripedHistogram h = new StripedHistogram("t_seconds", "test", BOUNDS);
        h.observeNanos(1_000_000);      // exactly 1 ms: le="0.001"
        h.observeNanos(1_000_001);      // just over: le="0.01"
        h.observeNanos(-5);             // a clock step back counts as 0
        h.observeNanos(5_000_000_000L); // 5 s: +Inf
        HistogramSnapshot.HistogramDataPointSnapshot d = point(h);
        assertEquals(List.of(2L, 1L, 0L, 1L), counts(d));
        assertEquals(4, d.getCount());
        assertEquals(5.002000001, d.getSum(), 1e-12);
    }

    @Test
    void fourThreadsObservingAtOnceLoseNothing() throws Exception {
        StripedHistogram h = new StripedHistogram("t_seconds", "test", BOUNDS);
        int threads = 4, each = 50_000;
        long[] expected = new long[BOUNDS.length + 1];
        long[][] values = new long[threads][each];
        Random random = new Random(18);
        long sum = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                long v = (long) (random.nextDouble() * 200_000_000L);
                values[t][i] = v;
                sum += v;
                expected[v <= 1_000_000 ? 0 : v <= 10_000_000 ? 1 : v <= 100_000_000 ? 2 : 3]++;
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = values[t];
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (long v : mine) h.observeNanos(v);
            }));
        }
        start.countDown();
        for (int i = 0; i < 20; i++) point(h); // scrapes while they record
        for (Thread t : running) t.join();
        HistogramSnapshot.HistogramDataPointSnapshot d = point(h);
        assertEquals(List.of(expected[0], expected[1], expected[2], expected[3]), counts(d));
        assertEquals((long) threads * each, d.getCount());
        assertEquals(sum / 1e9, d.getSum(), 1e-6);
    }

    @Test
    void boundsMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new StripedHistogram("t_seconds", "test", 0.1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new StripedHistogram("t_seconds", "test"));
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot point(StripedHistogram h) {
        return ((HistogramSnapshot) h.collect()).getDataPoints().getFirst();
    }

    /** Per-bucket (not cumulative) counts, +Inf last. */
    private static List<Long> counts(HistogramSnapshot.HistogramDataPointSnapshot d) {
        List<Long> out = new ArrayList<>();
        for (ClassicHistogramBucket b : d.getClassicBuckets()) out.add(b.getCount());
        return out;
    }
}
