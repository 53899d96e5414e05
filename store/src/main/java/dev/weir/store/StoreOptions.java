package dev.weir.store;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link BundledStore} runs: how often expired items are swept, the clock that decides
 * expiry (a test can move it), and the largest item collection (the items of one partition
 * key value with their local secondary index entries) of a table with a local secondary
 * index: DynamoDB's 10 GB by default, smaller in a test.
 */
public record StoreOptions(Duration ttlSweepInterval, Clock clock, long itemCollectionSizeLimit) {
    /** DynamoDB's limit: 10 GB per partition key value of a table with a local secondary index. */
    public static final long ITEM_COLLECTION_SIZE_LIMIT = 10L * 1024 * 1024 * 1024;

    public StoreOptions {
        if (itemCollectionSizeLimit <= 0) throw new IllegalArgumentException("item collection size limit must be positive");
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Duration.ofSeconds(10), Clock.systemUTC(), ITEM_COLLECTION_SIZE_LIMIT);
    }

    public StoreOptions withTtlSweepInterval(Duration interval) {
        return new StoreOptions(interval, clock, itemCollectionSizeLimit);
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(ttlSweepInterval, newClock, itemCollectionSizeLimit);
    }

    public StoreOptions withItemCollectionSizeLimit(long bytes) {
        return new StoreOptions(ttlSweepInterval, clock, bytes);
    }
}
