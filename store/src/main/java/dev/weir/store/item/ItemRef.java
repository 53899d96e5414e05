package dev.weir.store.item;

import dev.weir.store.table.TableDefinition;

import java.nio.ByteBuffer;

/** One item a write names: its table (as resolved when the request arrived), its key, and the key's RocksDB form. */
public record ItemRef(TableDefinition table, PrimaryKey key, byte[] encoded) {

    public static ItemRef of(TableDefinition table, PrimaryKey key) {
        return new ItemRef(table, key, key.encode(table));
    }

    /** A value-equal handle on the encoded key, for maps. */
    public ByteBuffer identity() {
        return ByteBuffer.wrap(encoded);
    }
}
