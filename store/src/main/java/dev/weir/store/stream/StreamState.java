package dev.weir.store.stream;

import dev.weir.store.table.KeySchema;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One stream: what DescribeStream shows of it and its shards. Mutable; every access holds its
 * monitor (sequence numbers are given out under it, so they increase per shard).
 */
final class StreamState {
    private static final SecureRandom RANDOM = new SecureRandom();

    final long streamNo;
    final String arn;
    final String label;
    final String tableName;
    final KeySchema keySchema;
    final StreamViewType viewType;
    final long createdMillis;
    long disabledMillis = -1;
    final List<Shard> shards = new ArrayList<>();
    int nextOrdinal;

    StreamState(long streamNo, String arn, String label, String tableName, KeySchema keySchema, StreamViewType viewType,
                long createdMillis) {
        this.streamNo = streamNo;
        this.arn = arn;
        this.label = label;
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.viewType = viewType;
        this.createdMillis = createdMillis;
    }

    boolean enabled() {
        return disabledMillis < 0;
    }

    /** Opens a shard for {@code slot} at {@code micros}: its id from the time and randomness, never a counter. */
    Shard openShard(int slot, String parentShardId, long micros) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String millis = Long.toString(micros / 1000);
        String id = "shardId-" + "0".repeat(Math.max(0, 20 - millis.length())) + millis + "-" + HexFormat.of().formatHex(random);
        Shard shard = new Shard(id, parentShardId, slot, nextOrdinal++, micros);
        shards.add(shard);
        return shard;
    }

    /** The open shard of {@code slot}, or null once the stream is disabled. */
    Shard openShard(int slot) {
        for (int i = shards.size() - 1; i >= 0; i--) {
            Shard s = shards.get(i);
            if (s.slot == slot && s.open()) return s;
        }
        return null;
    }

    Shard shard(String shardId) {
        for (Shard s : shards) if (s.shardId.equals(shardId)) return s;
        return null;
    }

    Shard shard(int ordinal) {
        for (Shard s : shards) if (s.ordinal == ordinal) return s;
        return null;
    }

    /**
     * Closes each open shard opened at least {@code lifetimeMicros} ago and opens its child;
     * true if anything changed (the caller persists).
     */
    boolean roll(long nowMicros, long lifetimeMicros) {
        if (!enabled()) return false;
        boolean changed = false;
        for (Shard s : List.copyOf(shards)) {
            if (!s.open() || nowMicros - s.openedMicros < lifetimeMicros) continue;
            long end = Math.max(s.lastSeq, nowMicros);
            s.closedMicros = end;
            openShard(s.slot, s.shardId, end + 1);
            changed = true;
        }
        return changed;
    }

    /** Closes every shard, at {@code nowMicros} or after its last record. */
    void disable(long nowMillis, long nowMicros) {
        disabledMillis = nowMillis;
        for (Shard s : shards) if (s.open()) s.closedMicros = Math.max(s.lastSeq, nowMicros);
    }
}
