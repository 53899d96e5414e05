package dev.weir.store.item;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.table.TableDefinition;

/** The key values of one item, validated against its table; {@code range} is null without a range key. */
public record PrimaryKey(AttributeValue hash, AttributeValue range) {

    /** The RocksDB key of the item in {@code table}. */
    public byte[] encode(TableDefinition table) {
        return KeyCodec.encode(table.id(), hash, range);
    }
}
