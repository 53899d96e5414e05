package dev.weir.store.item;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.index.IndexEntries;
import dev.weir.store.stream.ChangeRecords;
import dev.weir.store.stream.StreamCatalog;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableStats;
import dev.weir.store.value.ItemSize;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Items in the {@code items} column family and their secondary index entries. Every write
 * holds the stripe locks of the keys it touches, so a read-modify-write (conditions,
 * counters, ReturnValues, transactions) is atomic against every other write to those items,
 * without a global lock; the item, all its index entries and its change record (a table with
 * a stream) go to RocksDB in one synced write batch, so a change record exists exactly when
 * its write does. Reads do not lock.
 */
public final class ItemStore {
    private final RocksEngine engine;
    private final KeyLocks locks;
    private final TableCatalog catalog;
    private final TableStats stats;
    private final Clock clock;
    private final ItemCollections collections;
    private final StreamCatalog streams;

    /** Without change streams: a table with a stream enabled is refused (tests of other parts). */
    public ItemStore(RocksEngine engine, KeyLocks locks, TableCatalog catalog, TableStats stats, Clock clock,
                     long itemCollectionSizeLimit) {
        this(engine, locks, catalog, stats, clock, itemCollectionSizeLimit, null);
    }

    public ItemStore(RocksEngine engine, KeyLocks locks, TableCatalog catalog, TableStats stats, Clock clock,
                     long itemCollectionSizeLimit, StreamCatalog streams) {
        this.streams = streams;
        this.engine = engine;
        this.locks = locks;
        this.catalog = catalog;
        this.stats = stats;
        this.clock = clock;
        this.collections = new ItemCollections(engine, itemCollectionSizeLimit);
    }

    /** The size in bytes of the item collection of {@code hash} in a table with a local secondary index. */
    public long itemCollectionSize(TableDefinition table, AttributeValue hash) {
        return collections.size(ItemCollections.key(table, hash));
    }

    /** The item under a key, or null: an expired item not yet swept is still there, as in DynamoDB. */
    public Map<String, AttributeValue> get(TableDefinition table, PrimaryKey key) {
        return stored(key.encode(table));
    }

    /** The item stored under an encoded key, expired or not, or null. */
    public Map<String, AttributeValue> stored(byte[] key) {
        byte[] bytes = engine.get(Column.ITEMS, key);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    public long nowSeconds() {
        return clock.millis() / 1000;
    }

    /**
     * Runs {@code body} with the locks of every item in {@code refs} held, then commits what it
     * staged (items and index entries) in one synced write and records the write units in
     * {@code consumed}. If {@code body} throws, nothing is written. The tables are looked up
     * again under the locks, so index changes published meanwhile are honoured.
     */
    public <R> R atomically(List<ItemRef> refs, Consumed consumed, Function<WriteSession, R> body) {
        return atomically(refs, List.of(), consumed, body);
    }

    /** As {@link #atomically(List, Consumed, Function)}, also holding the locks of {@code otherKeys} (a transaction's token). */
    public <R> R atomically(List<ItemRef> refs, List<byte[]> otherKeys, Consumed consumed, Function<WriteSession, R> body) {
        List<byte[]> keys = new ArrayList<>(refs.size() + otherKeys.size());
        for (ItemRef r : refs) {
            keys.add(r.encoded());
            if (ItemCollections.tracked(r.table())) {
                keys.add(ItemCollections.lockKey(ItemCollections.key(r.table(), r.key().hash())));
            }
        }
        keys.addAll(otherKeys);
        return locks.withLocks(keys, () -> {
            Map<ByteBuffer, WriteSession.Slot> slots = new LinkedHashMap<>();
            for (ItemRef r : refs) slots.put(r.identity(), new WriteSession.Slot(r, current(r.table())));
            WriteSession session = new WriteSession(this, nowSeconds(), slots);
            R result = body.apply(session);
            commit(session, consumed);
            return result;
        });
    }

    /** Deletes an item (and its index entries) if it is still expired; used by the TTL sweeper. */
    public boolean deleteIfExpired(TableDefinition table, PrimaryKey key) {
        ItemRef ref = ItemRef.of(table, key);
        return atomically(List.of(ref), new Consumed(Consumed.Mode.NONE), s -> {
            if (!s.expired(ref)) return false;
            s.byService();
            s.delete(ref);
            return true;
        });
    }

    private TableDefinition current(TableDefinition asRequested) {
        TableDefinition now = catalog.find(asRequested.name()).orElse(null);
        if (now == null || now.id() != asRequested.id()) {
            throw new DynamoException(DynamoError.resourceNotFound("Requested resource not found"));
        }
        return now;
    }

    private void commit(WriteSession session, Consumed consumed) {
        Batch batch = new Batch();
        List<long[]> deltas = new ArrayList<>();
        Map<ByteBuffer, Long> collectionDeltas = new LinkedHashMap<>();
        List<WriteSession.Slot> changes = new ArrayList<>();
        for (WriteSession.Slot s : session.slots()) {
            if (!s.staged) continue;
            session.load(s.ref);
            Map<String, AttributeValue> old = s.stored;
            Map<String, AttributeValue> next = s.next;
            TableDefinition table = s.table;
            long oldSize = old == null ? 0 : ItemSize.of(old);
            long newSize = next == null ? 0 : ItemSize.of(next);
            consumed.tableWrite(table.name(), Consumed.writeUnits(Math.max(oldSize, newSize)));
            if (old == null && next == null) continue;
            if (table.streaming() && !ChangeRecords.unchanged(old, next)) changes.add(s);
            if (next == null) batch.delete(Column.ITEMS, s.ref.encoded());
            else batch.put(Column.ITEMS, s.ref.encoded(), ItemCodec.encode(next));
            deltas.add(new long[] {table.id(), (next == null ? 0 : 1) - (old == null ? 0 : 1), newSize - oldSize});
            long collectionDelta = newSize - oldSize;
            for (IndexDefinition index : table.indexes()) {
                long entryDelta = maintain(batch, consumed, deltas, table, index, s.ref.key(), old, next);
                if (!index.isGlobal()) collectionDelta += entryDelta;
            }
            if (ItemCollections.tracked(table)) {
                collectionDeltas.merge(ByteBuffer.wrap(ItemCollections.key(table, s.ref.key().hash())), collectionDelta, Long::sum);
            }
        }
        // under the collections' locks (taken with the items'): the sizes read here are current
        for (Map.Entry<ByteBuffer, Long> e : collectionDeltas.entrySet()) {
            try {
                collections.change(batch, e.getKey().array(), e.getValue());
            } catch (DynamoException tooLarge) {
                session.oversized(e.getKey().array());
                throw tooLarge;
            }
        }
        batch.addAll(session.extra());
        List<StreamCatalog.Ticket> tickets = new ArrayList<>(changes.size());
        try {
            for (WriteSession.Slot s : changes) {
                if (streams == null) throw new IllegalStateException("a streaming table in a store without streams");
                StreamCatalog.Ticket t = streams.append(batch, s.table, s.ref.key(), s.stored, s.next, session.isByService());
                if (t != null) tickets.add(t);
            }
            if (!batch.isEmpty()) engine.write(batch);
        } finally {
            if (!tickets.isEmpty()) streams.release(tickets);
        }
        for (long[] d : deltas) stats.add(d[0], d[1], d[2]);
    }

    /** Stages the change of one index entry; returns the change of its size (with DynamoDB's per-entry overhead). */
    private static long maintain(Batch batch, Consumed consumed, List<long[]> deltas, TableDefinition table,
                                 IndexDefinition index, PrimaryKey key,
                                 Map<String, AttributeValue> old, Map<String, AttributeValue> next) {
        IndexEntries.Entry before = old == null ? null : IndexEntries.of(table, index, key, old);
        IndexEntries.Entry after = next == null ? null : IndexEntries.of(table, index, key, next);
        if (before == null && after == null) return 0;
        long beforeSize = before == null ? 0 : ItemSize.of(before.projected());
        long afterSize = after == null ? 0 : ItemSize.of(after.projected());
        long sizeDelta = (after == null ? 0 : afterSize + ItemCollections.INDEX_ENTRY_OVERHEAD)
                - (before == null ? 0 : beforeSize + ItemCollections.INDEX_ENTRY_OVERHEAD);
        if (before != null && (after == null || !Arrays.equals(before.key(), after.key()))) {
            batch.delete(Column.INDEXES, before.key());
            consumed.indexWrite(table.name(), index.name(), index.isGlobal(), Consumed.writeUnits(beforeSize));
        }
        if (after != null) {
            if (before != null && Arrays.equals(before.key(), after.key()) && before.projected().equals(after.projected())) return 0;
            batch.put(Column.INDEXES, after.key(), ItemCodec.encode(after.projected()));
            consumed.indexWrite(table.name(), index.name(), index.isGlobal(), Consumed.writeUnits(afterSize));
        }
        deltas.add(new long[] {index.id(), (after == null ? 0 : 1) - (before == null ? 0 : 1), afterSize - beforeSize});
        return sizeDelta;
    }
}
