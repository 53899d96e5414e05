package dev.weir.lifecycle.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * The worker's settings (config block {@code lifecycle}).
 *
 * @param instanceId  this instance's name in leases; unique among the instances sharing a store
 * @param lease       how long a lease lasts unless renewed (renewed every third of it)
 * @param poll        how often the shards are looked at, and how long a reader at the tip waits
 * @param callTimeout how long a function call may take
 * @param pageLimit   records per GetRecords
 */
public record LifecycleOptions(String instanceId, Duration lease, Duration poll, Duration callTimeout, int pageLimit) {
    public LifecycleOptions {
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isEmpty() || instanceId.contains("|")) throw new IllegalArgumentException("instance id: " + instanceId);
        if (lease.toMillis() < 300) throw new IllegalArgumentException("a lease of at least 300 ms");
        if (poll.isNegative() || poll.isZero()) throw new IllegalArgumentException("poll");
        if (pageLimit < 1 || pageLimit > 1000) throw new IllegalArgumentException("pageLimit");
    }

    public static LifecycleOptions defaults(String instanceId) {
        return new LifecycleOptions(instanceId, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(10), 100);
    }
}
