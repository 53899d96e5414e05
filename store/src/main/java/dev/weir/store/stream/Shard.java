package dev.weir.store.stream;

import java.util.TreeSet;

/**
 * One shard of a stream: the records of one hash range for one period. Mutable, guarded by
 * its {@link StreamState}'s monitor. {@code lastSeq} is the last sequence number given out,
 * {@code inFlight} those given to writes not yet committed or failed: a reader reads only
 * below the lowest of them, so no record ever appears behind a reader's position.
 * {@code trimmedThrough} is the last sequence number removed by retention (or -1).
 */
final class Shard {
    final String shardId;
    final String parentShardId;
    final int slot;
    final int ordinal;
    final long openedMicros;
    long closedMicros = -1;
    long lastSeq;
    long trimmedThrough = -1;
    final TreeSet<Long> inFlight = new TreeSet<>();

    Shard(String shardId, String parentShardId, int slot, int ordinal, long openedMicros) {
        this.shardId = shardId;
        this.parentShardId = parentShardId;
        this.slot = slot;
        this.ordinal = ordinal;
        this.openedMicros = openedMicros;
        this.lastSeq = openedMicros - 1;
    }

    boolean open() {
        return closedMicros < 0;
    }

    /** The highest sequence number below which every record given out is committed or failed. */
    long horizon() {
        return inFlight.isEmpty() ? lastSeq : inFlight.first() - 1;
    }
}
