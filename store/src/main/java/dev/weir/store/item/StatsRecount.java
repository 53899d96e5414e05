package dev.weir.store.item;

import dev.weir.store.codec.ItemCodec;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.Cursor;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableStats;
import dev.weir.store.value.ItemSize;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/** Counts the items and bytes of every table and index once, when the store opens (in the background). */
public final class StatsRecount {
    private StatsRecount() {}

    public static void run(RocksEngine engine, TableCatalog catalog, TableStats stats, BooleanSupplier stop) {
        for (TableDefinition t : catalog.all()) {
            count(engine, Column.ITEMS, t.id(), stats, stop);
            for (IndexDefinition i : t.indexes()) count(engine, Column.INDEXES, i.id(), stats, stop);
        }
    }

    private static void count(RocksEngine engine, Column column, long id, TableStats stats, BooleanSupplier stop) {
        byte[] prefix = KeyCodec.tablePrefix(id);
        long items = 0;
        long bytes = 0;
        try (Cursor c = engine.cursor(column)) {
            for (c.seek(prefix); c.valid(); c.next()) {
                byte[] key = c.key();
                if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) break;
                if (stop.getAsBoolean()) return;
                items++;
                bytes += ItemSize.of(ItemCodec.decode(c.value()));
            }
        }
        stats.add(id, items, bytes);
    }
}
