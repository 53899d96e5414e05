package dev.weir.store.stream;

import java.nio.ByteBuffer;

/**
 * Keys of the {@code streams} column family. A stream's description (and its shards) under
 * {@code 'm' streamNo}; a change record under {@code 'r' streamNo shard seq} (8, 4 and 8
 * bytes, big-endian), so the records of one shard are contiguous and in sequence order, and a
 * range delete trims a shard's oldest records; the iterator signing key under {@code 'k'}.
 */
final class StreamKeys {
    static final byte[] ITERATOR_KEY = {'k'};
    static final byte[] META_PREFIX = {'m'};

    private StreamKeys() {}

    static byte[] meta(long streamNo) {
        return ByteBuffer.allocate(9).put((byte) 'm').putLong(streamNo).array();
    }

    static byte[] record(long streamNo, int shard, long seq) {
        return ByteBuffer.allocate(21).put((byte) 'r').putLong(streamNo).putInt(shard).putLong(seq).array();
    }

    /** The first key after every record of a stream. */
    static byte[] streamEnd(long streamNo) {
        return ByteBuffer.allocate(9).put((byte) 'r').putLong(streamNo + 1).array();
    }

    static byte[] streamStart(long streamNo) {
        return ByteBuffer.allocate(9).put((byte) 'r').putLong(streamNo).array();
    }

    static long seqOf(byte[] recordKey) {
        return ByteBuffer.wrap(recordKey, 13, 8).getLong();
    }

    /** Whether {@code key} is a record of that stream's shard. */
    static boolean inShard(byte[] key, long streamNo, int shard) {
        if (key.length != 21 || key[0] != 'r') return false;
        ByteBuffer b = ByteBuffer.wrap(key);
        return b.getLong(1) == streamNo && b.getInt(9) == shard;
    }
}
