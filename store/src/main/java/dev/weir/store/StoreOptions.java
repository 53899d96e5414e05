package dev.weir.store;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.store.table.TimeToLiveOperations;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link BundledStore} runs: the one key pair whose SigV4 signatures it accepts (weir's
 * upstream credentials; every other request is refused, so a local process that can reach the
 * port still reads nothing), how often expired items are swept, the clock that decides expiry
 * (a test can move it; signatures are always checked against the real time), and the largest
 * item collection (the items of one partition key value with their local secondary index
 * entries) of a table with a local secondary index: DynamoDB's 10 GB by default, smaller in a
 * test; and how change streams are cut into shards: {@code streamShards} hash-range shards per
 * stream (1 to 4), each closed and succeeded by a child after {@code streamShardLifetime}
 * (four hours by default; time only, never a count, see docs/streams.md); and how long after a
 * change of a table's time to live UpdateTimeToLive refuses another (DynamoDB's hour by default,
 * shorter in a test).
 *
 * <p>There is no way to run the store without credentials: it does not trust its network.
 */
public record StoreOptions(Credentials credentials, Duration ttlSweepInterval, Clock clock, long itemCollectionSizeLimit,
                           int streamShards, Duration streamShardLifetime, Duration ttlChangeInterval) {
    /** DynamoDB's limit: 10 GB per partition key value of a table with a local secondary index. */
    public static final long ITEM_COLLECTION_SIZE_LIMIT = 10L * 1024 * 1024 * 1024;

    public StoreOptions {
        if (credentials == null || blank(credentials.accessKeyId()) || blank(credentials.secretAccessKey())) {
            throw new IllegalArgumentException("the bundled store needs the access key id and secret access key it accepts "
                    + "requests signed with (weir's upstream credentials); it does not run open");
        }
        if (itemCollectionSizeLimit <= 0) throw new IllegalArgumentException("item collection size limit must be positive");
        if (streamShards < 1 || streamShards > 4) throw new IllegalArgumentException("stream shards must be 1 to 4");
        if (streamShardLifetime == null || streamShardLifetime.toMillis() < 1) {
            throw new IllegalArgumentException("stream shard lifetime must be positive");
        }
        if (ttlChangeInterval == null || ttlChangeInterval.isNegative()) {
            throw new IllegalArgumentException("the interval between time-to-live changes must not be negative");
        }
    }

    /** The defaults, accepting requests signed with {@code credentials} only. */
    public static StoreOptions signedBy(Credentials credentials) {
        return new StoreOptions(credentials, Duration.ofSeconds(10), Clock.systemUTC(), ITEM_COLLECTION_SIZE_LIMIT,
                2, Duration.ofHours(4), TimeToLiveOperations.CHANGE_INTERVAL);
    }

    public StoreOptions withTtlSweepInterval(Duration interval) {
        return new StoreOptions(credentials, interval, clock, itemCollectionSizeLimit, streamShards, streamShardLifetime, ttlChangeInterval);
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(credentials, ttlSweepInterval, newClock, itemCollectionSizeLimit, streamShards, streamShardLifetime, ttlChangeInterval);
    }

    public StoreOptions withItemCollectionSizeLimit(long bytes) {
        return new StoreOptions(credentials, ttlSweepInterval, clock, bytes, streamShards, streamShardLifetime, ttlChangeInterval);
    }

    /** Change streams with {@code shards} hash-range shards each, every shard succeeded by a child after {@code lifetime}. */
    public StoreOptions withStreamShards(int shards, Duration lifetime) {
        return new StoreOptions(credentials, ttlSweepInterval, clock, itemCollectionSizeLimit, shards, lifetime, ttlChangeInterval);
    }

    /** UpdateTimeToLive refuses a change within {@code interval} of the table's last one (zero: never). */
    public StoreOptions withTtlChangeInterval(Duration interval) {
        return new StoreOptions(credentials, ttlSweepInterval, clock, itemCollectionSizeLimit, streamShards, streamShardLifetime,
                interval);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
