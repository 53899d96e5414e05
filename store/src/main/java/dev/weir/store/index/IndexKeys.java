package dev.weir.store.index;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ByteWriter;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.IndexDefinition;

/**
 * The RocksDB key of an index entry: the index id (8 bytes), the index's hash key and range
 * key (if any), then the item's primary key, each component in the order-preserving encoding.
 * Entries of one index partition are therefore contiguous and sorted by the index range key,
 * ties broken by the table key, and every entry is unique.
 */
public final class IndexKeys {
    private IndexKeys() {}

    public static byte[] encode(IndexDefinition index, AttributeValue hash, AttributeValue range, PrimaryKey item) {
        ByteWriter out = new ByteWriter(48);
        out.writeLong(index.id());
        KeyCodec.writeComponent(out, hash);
        if (range != null) KeyCodec.writeComponent(out, range);
        KeyCodec.writeComponent(out, item.hash());
        if (item.range() != null) KeyCodec.writeComponent(out, item.range());
        return out.toByteArray();
    }

    /** The prefix of all entries of an index. */
    public static byte[] prefix(IndexDefinition index) {
        return KeyCodec.tablePrefix(index.id());
    }
}
