package dev.weir.store.item;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.ttl.Expiry;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The items of one atomic write, while their locks are held: read each current item (at most
 * once), stage its replacement or deletion; {@link ItemStore} commits what was staged in one
 * synced batch when the session's body returns, or nothing if it throws.
 */
public final class WriteSession {
    /** One item of the session. */
    static final class Slot {
        final ItemRef ref;
        final TableDefinition table;
        boolean loaded;
        Map<String, AttributeValue> stored;
        boolean staged;
        Map<String, AttributeValue> next;

        Slot(ItemRef ref, TableDefinition table) {
            this.ref = ref;
            this.table = table;
        }
    }

    private final ItemStore store;
    private final long nowSeconds;
    private final Map<ByteBuffer, Slot> slots = new LinkedHashMap<>();
    private final Batch extra = new Batch();
    private byte[] oversizedCollection;
    private boolean byService;

    WriteSession(ItemStore store, long nowSeconds, Map<ByteBuffer, Slot> slots) {
        this.store = store;
        this.nowSeconds = nowSeconds;
        this.slots.putAll(slots);
    }

    /** The item as it is now (null if absent; an expired item not yet swept is still there). */
    public Map<String, AttributeValue> current(ItemRef ref) {
        return load(ref).stored;
    }

    /** Whether the stored item exists but has expired (due for deletion by the sweeper). */
    public boolean expired(ItemRef ref) {
        Slot s = load(ref);
        return Expiry.expired(s.table, s.stored, nowSeconds);
    }

    /** The table's definition as it is now, under the lock (its indexes are the ones to maintain). */
    public TableDefinition table(ItemRef ref) {
        return slot(ref).table;
    }

    public void put(ItemRef ref, Map<String, AttributeValue> item) {
        Slot s = slot(ref);
        s.staged = true;
        s.next = item;
    }

    public void delete(ItemRef ref) {
        Slot s = slot(ref);
        s.staged = true;
        s.next = null;
    }

    /** Adds a write of another kind (a transaction's token) to the session's batch. */
    public void also(Column column, byte[] key, byte[] value) {
        extra.put(column, key, value);
    }

    /** Marks the session's changes as made by the service itself (time to live), for their stream records' userIdentity. */
    public void byService() {
        byService = true;
    }

    boolean isByService() {
        return byService;
    }

    /** After a commit failed with ItemCollectionSizeLimitExceededException: whether {@code ref}'s collection is the one too large. */
    public boolean inOversizedCollection(ItemRef ref) {
        return oversizedCollection != null && ItemCollections.tracked(ref.table())
                && java.util.Arrays.equals(oversizedCollection, ItemCollections.key(ref.table(), ref.key().hash()));
    }

    void oversized(byte[] collectionKey) {
        oversizedCollection = collectionKey;
    }

    Batch extra() {
        return extra;
    }

    Collection<Slot> slots() {
        return slots.values();
    }

    Slot load(ItemRef ref) {
        Slot s = slot(ref);
        if (!s.loaded) {
            s.stored = store.stored(ref.encoded());
            s.loaded = true;
        }
        return s;
    }

    private Slot slot(ItemRef ref) {
        Slot s = slots.get(ref.identity());
        if (s == null) throw new IllegalStateException("item not locked by this session");
        return s;
    }
}
