package dev.weir.store.index;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.Cursor;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.table.IndexBuilder;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.IndexStatus;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableStats;
import dev.weir.store.value.ItemSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Fills a global secondary index added by UpdateTable from the items already in the table,
 * on its own thread. Writers maintain the index from the moment it is published (they look
 * the table up under the item's lock), and the backfill writes each item's entry under that
 * same lock, so every item ends with exactly the entry of its latest version. When the last
 * item is done the index becomes ACTIVE. A backfill cut short by a crash runs again when the
 * store opens (the index is still CREATING).
 */
public final class IndexBackfill implements IndexBuilder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexBackfill.class);

    private final RocksEngine engine;
    private final KeyLocks locks;
    private final TableCatalog catalog;
    private final TableStats stats;
    private final ExecutorService thread;
    private volatile boolean closed;

    public IndexBackfill(RocksEngine engine, KeyLocks locks, TableCatalog catalog, TableStats stats) {
        this.engine = engine;
        this.locks = locks;
        this.catalog = catalog;
        this.stats = stats;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("weir-store-backfill").unstarted(r));
    }

    /** Restarts the backfills a previous run did not finish. */
    public void resumeAll() {
        for (TableDefinition t : catalog.all()) {
            for (IndexDefinition i : t.indexes()) {
                if (i.status() == IndexStatus.CREATING) backfill(t.name(), i.id());
            }
        }
    }

    @Override
    public void backfill(String tableName, long indexId) {
        thread.execute(() -> {
            try {
                run(tableName, indexId);
            } catch (RuntimeException e) {
                if (!closed) log.error("backfill of index {} of table {} failed", indexId, tableName, e);
            }
        });
    }

    private void run(String tableName, long indexId) {
        TableDefinition start = catalog.find(tableName).orElse(null);
        if (start == null || index(start, indexId).isEmpty()) return;
        byte[] prefix = KeyCodec.tablePrefix(start.id());
        long count = 0;
        try (Cursor c = engine.cursor(Column.ITEMS)) {
            for (c.seek(prefix); c.valid() && startsWith(c.key(), prefix); c.next()) {
                if (closed) return;
                byte[] key = c.key();
                boolean alive = locks.withLock(key, () -> indexOne(tableName, start.id(), indexId, key));
                if (!alive) return;
                count++;
            }
        }
        TableDefinition done = catalog.update(tableName, t -> {
            if (t.id() != start.id() || index(t, indexId).isEmpty()) return t;
            List<IndexDefinition> indexes = new ArrayList<>();
            for (IndexDefinition i : t.indexes()) indexes.add(i.id() == indexId ? i.withStatus(IndexStatus.ACTIVE) : i);
            return t.withIndexes(indexes, t.attributeDefinitions());
        });
        log.info("index {} of table {} is active after backfilling {} items", index(done, indexId).map(IndexDefinition::name)
                .orElse("?"), tableName, count);
    }

    /** Writes one item's entry; false if the table or index is gone. */
    private boolean indexOne(String tableName, long tableId, long indexId, byte[] key) {
        TableDefinition table = catalog.find(tableName).orElse(null);
        if (table == null || table.id() != tableId) return false;
        Optional<IndexDefinition> index = index(table, indexId);
        if (index.isEmpty()) return false;
        byte[] bytes = engine.get(Column.ITEMS, key);
        if (bytes == null) return true;
        Map<String, AttributeValue> item = ItemCodec.decode(bytes);
        IndexEntries.Entry entry = IndexEntries.of(table, index.get(), ItemKeys.ofItem(table.keySchema(), item), item);
        if (entry == null) return true;
        byte[] value = ItemCodec.encode(entry.projected());
        byte[] existing = engine.get(Column.INDEXES, entry.key());
        if (existing != null && Arrays.equals(existing, value)) return true;
        engine.writeUnsynced(new Batch().put(Column.INDEXES, entry.key(), value));
        if (existing == null) stats.add(indexId, 1, ItemSize.of(entry.projected()));
        return true;
    }

    private static Optional<IndexDefinition> index(TableDefinition t, long indexId) {
        return t.indexes().stream().filter(i -> i.id() == indexId).findFirst();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
