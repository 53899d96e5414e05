package dev.weir.store;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link BundledStore} runs: how often expired items are swept, and the clock that
 * decides expiry (a test can move it).
 */
public record StoreOptions(Duration ttlSweepInterval, Clock clock) {
    public static StoreOptions defaults() {
        return new StoreOptions(Duration.ofSeconds(10), Clock.systemUTC());
    }

    public StoreOptions withTtlSweepInterval(Duration interval) {
        return new StoreOptions(interval, clock);
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(ttlSweepInterval, newClock);
    }
}
