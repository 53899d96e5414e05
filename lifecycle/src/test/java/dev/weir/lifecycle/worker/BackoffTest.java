package dev.weir.lifecycle.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The back-off's bounds: exponential, with jitter, capped. */
class BackoffTest {
    @Test
    void backoffGrowsWithJitterAndStaysWithinItsBounds() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 200; i++) {
            long first = b.before(1, random).toMillis();
            assertTrue(first >= 50 && first <= 100, "retry 1: " + first);
            long third = b.before(3, random).toMillis();
            assertTrue(third >= 200 && third <= 400, "retry 3: " + third);
            long late = b.before(60, random).toMillis();
            assertTrue(late >= 1000 && late <= 2000, "capped: " + late);
        }
        assertTrue(new Backoff(Duration.ZERO, Duration.ZERO).before(1, random).toMillis() <= 1, "a zero back-off waits at most 1 ms");
    }
}
