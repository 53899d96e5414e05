package dev.weir.store.item;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Items in the {@code items} column family. Every write holds the lock of its key's stripe,
 * so a read-modify-write of one item is atomic against every other write to it; reads do
 * not lock.
 */
public final class ItemStore {
    private final RocksEngine engine;
    private final KeyLocks locks;

    public ItemStore(RocksEngine engine, KeyLocks locks) {
        this.engine = engine;
        this.locks = locks;
    }

    /** The item under a key, or null. */
    public Map<String, AttributeValue> get(byte[] key) {
        byte[] bytes = engine.get(Column.ITEMS, key);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /** Writes an item, replacing any item under its key. */
    public void put(byte[] key, Map<String, AttributeValue> item) {
        byte[] bytes = ItemCodec.encode(item);
        locks.withLock(key, () -> {
            engine.put(Column.ITEMS, key, bytes);
            return null;
        });
    }

    /**
     * Atomically replaces the item under a key by {@code change.apply(old)} (old is null if
     * absent; a null result deletes the item) and returns the old item. {@code change} may
     * throw to abandon the write, as a failed condition will.
     */
    public Map<String, AttributeValue> update(byte[] key, UnaryOperator<Map<String, AttributeValue>> change) {
        return locks.withLock(key, () -> {
            Map<String, AttributeValue> old = get(key);
            Map<String, AttributeValue> next = change.apply(old);
            if (next == null) {
                if (old != null) engine.delete(Column.ITEMS, key);
            } else {
                engine.put(Column.ITEMS, key, ItemCodec.encode(next));
            }
            return old;
        });
    }
}
