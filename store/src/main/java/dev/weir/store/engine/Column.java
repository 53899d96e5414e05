package dev.weir.store.engine;

import java.nio.charset.StandardCharsets;

/** The RocksDB column families of the store. */
public enum Column {
    /** Table definitions and catalog sequences. */
    TABLES("tables"),
    /** Items, under {@code dev.weir.store.codec.KeyCodec} keys. */
    ITEMS("items"),
    /** Secondary index entries, under {@code dev.weir.store.index.IndexKeys} keys. */
    INDEXES("indexes"),
    /** ClientRequestTokens of recent transactions, for idempotent retries. */
    TOKENS("tokens"),
    /** The size of each item collection of a table with a local secondary index, under the partition's item key prefix. */
    COLLECTIONS("collections"),
    /**
     * Change streams: each stream's description and shards, and its change records under
     * {@code dev.weir.store.stream.StreamKeys} keys (stream, shard, sequence number).
     */
    STREAMS("streams");

    private final String familyName;

    Column(String familyName) {
        this.familyName = familyName;
    }

    public byte[] familyName() {
        return familyName.getBytes(StandardCharsets.UTF_8);
    }
}
