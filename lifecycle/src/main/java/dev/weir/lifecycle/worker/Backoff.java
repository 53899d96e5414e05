package dev.weir.lifecycle.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter between a trigger's failed calls: before retry n (from 1),
 * a wait drawn evenly from [d/2, d] where d = low * 2^(n-1), capped at high. The jitter keeps
 * instances that failed together from retrying together.
 */
public record Backoff(Duration low, Duration high) {
    public Duration before(int retry, RandomGenerator random) {
        long lowMs = Math.max(1, low.toMillis());
        long highMs = Math.max(lowMs, high.toMillis());
        int shift = Math.min(Math.max(retry - 1, 0), 40);
        long d = lowMs << shift;
        if (d <= 0 || d > highMs || (d >> shift) != lowMs) d = highMs;
        long half = d / 2;
        return Duration.ofMillis(half + random.nextLong(d - half + 1));
    }
}
