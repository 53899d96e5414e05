package dev.weir.store.index;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ByteWriter;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.IndexDefinition;

import java.util.List;

/**
 * The RocksDB key of an index entry: the index id (8 bytes), the index's partition attributes
 * and sort attributes (if any, each list in key schema order), then the item's primary key,
 * each component in the order-preserving, self-delimiting encoding. Entries of one index
 * partition are therefore contiguous and sorted by the index's sort attributes, the first
 * first (a multi-attribute sort key orders as the tuple of its values), ties broken by the
 * table key, and every entry is unique.
 */
public final class IndexKeys {
    private IndexKeys() {}

    public static byte[] encode(IndexDefinition index, List<AttributeValue> hashes, List<AttributeValue> ranges, PrimaryKey item) {
        ByteWriter out = new ByteWriter(48);
        out.writeLong(index.id());
        for (AttributeValue hash : hashes) KeyCodec.writeComponent(out, hash);
        for (AttributeValue range : ranges) KeyCodec.writeComponent(out, range);
        KeyCodec.writeComponent(out, item.hash());
        if (item.range() != null) KeyCodec.writeComponent(out, item.range());
        return out.toByteArray();
    }

    /** The prefix of all entries of an index. */
    public static byte[] prefix(IndexDefinition index) {
        return KeyCodec.tablePrefix(index.id());
    }
}
