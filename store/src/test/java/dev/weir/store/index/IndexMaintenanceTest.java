package dev.weir.store.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.StoreOptions;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemRef;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.BillingMode;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.IndexKind;
import dev.weir.store.table.IndexStatus;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.KeySchema;
import dev.weir.store.table.Projection;
import dev.weir.store.table.ProjectionType;
import dev.weir.store.table.ScalarType;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableSpec;
import dev.weir.store.table.TableStats;
import dev.weir.store.table.Throughput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The item write path keeps index entries in step, in the same write, without any HTTP. */
class IndexMaintenanceTest {
    @TempDir
    Path dir;
    RocksEngine engine;
    TableCatalog catalog;
    TableStats stats;
    ItemStore items;
    TableDefinition table;

    @BeforeEach
    void open() {
        engine = RocksEngine.open(dir);
        catalog = TableCatalog.load(engine, new ObjectMapper());
        stats = new TableStats();
        items = new ItemStore(engine, new KeyLocks(64), catalog, stats, Clock.systemUTC(), StoreOptions.ITEM_COLLECTION_SIZE_LIMIT);
        KeyElement id = new KeyElement("id", ScalarType.S);
        KeyElement color = new KeyElement("color", ScalarType.S);
        IndexDefinition byColor = new IndexDefinition(0, "byColor", IndexKind.GLOBAL, KeySchema.of(color, null),
                new Projection(ProjectionType.INCLUDE, List.of("size")), Throughput.NONE, IndexStatus.ACTIVE);
        table = catalog.create(new TableSpec("things", KeySchema.of(id, null), List.of(id, color), BillingMode.PAY_PER_REQUEST,
                Throughput.NONE, List.of(byColor), Map.of(), null, null), Instant.now());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void put(Map<String, AttributeValue> item) {
        ItemRef ref = ItemRef.of(table, ItemKeys.ofItem(table.keySchema(), item));
        items.atomically(List.of(ref), Consumed.of(null), s -> {
            s.put(ref, item);
            return null;
        });
    }

    private List<Map<String, AttributeValue>> entries() {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        IndexDefinition index = table.indexes().getFirst();
        engine.scanPrefix(Column.INDEXES, IndexKeys.prefix(index), (k, v) -> out.add(ItemCodec.decode(v)));
        return out;
    }

    @Test
    void entriesFollowTheItem() {
        put(Map.of("id", new AttributeValue.S("a"), "color", new AttributeValue.S("red"), "size", new AttributeValue.N("1"),
                "other", new AttributeValue.S("x")));
        assertEquals(List.of(Map.of("id", new AttributeValue.S("a"), "color", new AttributeValue.S("red"),
                "size", new AttributeValue.N("1"))), entries());
        put(Map.of("id", new AttributeValue.S("a"), "color", new AttributeValue.S("blue")));
        assertEquals(List.of(Map.of("id", new AttributeValue.S("a"), "color", new AttributeValue.S("blue"))), entries());
        put(Map.of("id", new AttributeValue.S("a")));
        assertEquals(List.of(), entries());
        IndexDefinition index = table.indexes().getFirst();
        assertEquals(0, stats.items(index.id()));
        assertEquals(1, stats.items(table.id()));
    }
}
