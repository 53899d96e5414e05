package dev.weir.store.ttl;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.Cursor;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes expired items of tables with time to live enabled, on its own thread, every
 * {@code interval}: each deletion re-checks the item under its lock and removes its index
 * entries in the same write, and a table with a stream gets a REMOVE record with the service's
 * {@code userIdentity}. Until then an expired item is still an item (reads return it, as
 * DynamoDB's do until its deletion, which DynamoDB makes within days; the store within one
 * {@code interval}). Each pass also runs other chores (the purge of expired transaction
 * tokens, the trim of streams).
 */
public final class TtlSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TtlSweeper.class);

    private final RocksEngine engine;
    private final TableCatalog catalog;
    private final ItemStore items;
    private final Runnable alsoEachPass;
    private final ScheduledExecutorService thread;
    private volatile boolean closed;

    public TtlSweeper(RocksEngine engine, TableCatalog catalog, ItemStore items, Runnable alsoEachPass) {
        this.engine = engine;
        this.catalog = catalog;
        this.items = items;
        this.alsoEachPass = alsoEachPass;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("weir-store-ttl").unstarted(r));
    }

    public boolean isClosed() {
        return closed;
    }

    /** Runs {@code first} on the sweeper's thread, then sweeps every {@code interval}. */
    public void start(Runnable first, Duration interval) {
        thread.execute(first);
        long millis = Math.max(1, interval.toMillis());
        thread.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
            alsoEachPass.run();
        } catch (RuntimeException e) {
            if (!closed) log.warn("time-to-live sweep failed", e);
        }
    }

    /** One pass over every table with time to live enabled; returns the number of items deleted. */
    public long sweep() {
        long deleted = 0;
        for (TableDefinition table : catalog.all()) {
            if (closed) break;
            if (table.timeToLive().enabled()) deleted += sweep(table);
        }
        return deleted;
    }

    private long sweep(TableDefinition table) {
        long deleted = 0;
        long now = items.nowSeconds();
        byte[] prefix = KeyCodec.tablePrefix(table.id());
        try (Cursor c = engine.cursor(Column.ITEMS)) {
            for (c.seek(prefix); c.valid() && startsWith(c.key(), prefix); c.next()) {
                if (closed) break;
                Map<String, AttributeValue> item = ItemCodec.decode(c.value());
                if (!Expiry.expired(table, item, now)) continue;
                try {
                    if (items.deleteIfExpired(table, ItemKeys.ofItem(table.keySchema(), item))) deleted++;
                } catch (DynamoException tableGone) {
                    break;
                }
            }
        }
        if (deleted > 0) log.debug("deleted {} expired items of {}", deleted, table.name());
        return deleted;
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
