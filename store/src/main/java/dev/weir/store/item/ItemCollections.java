package dev.weir.store.item;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.table.IndexKind;
import dev.weir.store.table.TableDefinition;

import java.nio.ByteBuffer;

/**
 * The size of every item collection of a table with a local secondary index: the items of one
 * partition key value plus their local index entries (each entry its projected attributes and
 * DynamoDB's 100 bytes of overhead). Kept in the {@code collections} column family under the
 * partition's key and changed in the same synced batch as the items, while the writer holds
 * the collection's lock ({@link #lockKey}), so concurrent writes to one collection add up
 * exactly. A write that would take a collection past the limit fails, as in DynamoDB, with
 * ItemCollectionSizeLimitExceededException.
 */
final class ItemCollections {
    /** What DynamoDB counts for each local secondary index entry beyond its projected attributes. */
    static final long INDEX_ENTRY_OVERHEAD = 100;
    private static final String TYPE = "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException";
    private static final byte[] LOCK_PREFIX = {'c'};

    private final RocksEngine engine;
    private final long limit;

    ItemCollections(RocksEngine engine, long limit) {
        this.engine = engine;
        this.limit = limit;
    }

    /** Whether writes to {@code table} are measured: only tables with a local secondary index have item collections limits. */
    static boolean tracked(TableDefinition table) {
        return !table.indexes(IndexKind.LOCAL).isEmpty();
    }

    /** The key of a collection: the table and the partition key value. */
    static byte[] key(TableDefinition table, AttributeValue hash) {
        return KeyCodec.encode(table.id(), hash, null);
    }

    /** The lock a writer of the collection holds (distinct from any item's key). */
    static byte[] lockKey(byte[] collectionKey) {
        byte[] k = new byte[collectionKey.length + 1];
        k[0] = LOCK_PREFIX[0];
        System.arraycopy(collectionKey, 0, k, 1, collectionKey.length);
        return k;
    }

    /** The size of a collection now, in bytes (0 for an empty one). */
    long size(byte[] collectionKey) {
        byte[] v = engine.get(Column.COLLECTIONS, collectionKey);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /**
     * Adds the change of a collection's size to {@code batch}; throws, writing nothing, if the
     * collection grows past the limit. A shrinking collection is never refused.
     */
    void change(Batch batch, byte[] collectionKey, long delta) {
        if (delta == 0) return;
        long next = Math.max(0, size(collectionKey) + delta);
        if (delta > 0 && next > limit) {
            throw new DynamoException(new DynamoError(TYPE, "Collection size exceeded.", 400));
        }
        if (next == 0) batch.delete(Column.COLLECTIONS, collectionKey);
        else batch.put(Column.COLLECTIONS, collectionKey, ByteBuffer.allocate(8).putLong(next).array());
    }
}
