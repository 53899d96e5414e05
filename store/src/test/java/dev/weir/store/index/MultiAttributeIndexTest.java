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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Entries of an index with a multi-attribute key: sparse, sorted by the sort attributes in order, and kept across a restart. */
class MultiAttributeIndexTest {
    @TempDir
    Path dir;

    static final KeyElement ID = new KeyElement("id", ScalarType.S);
    static final KeyElement T = new KeyElement("t", ScalarType.S);
    static final KeyElement R = new KeyElement("r", ScalarType.N);
    static final KeyElement A = new KeyElement("a", ScalarType.N);
    static final KeyElement B = new KeyElement("b", ScalarType.S);
    static final KeySchema INDEX_KEYS = new KeySchema(List.of(T, R), List.of(A, B));

    static AttributeValue s(String v) {
        return new AttributeValue.S(v);
    }

    static AttributeValue n(String v) {
        return new AttributeValue.N(v);
    }

    @Test
    void entriesAreSparseSortedAndKeptAcrossARestart() {
        try (RocksEngine engine = RocksEngine.open(dir)) {
            TableCatalog catalog = TableCatalog.load(engine, new ObjectMapper());
            IndexDefinition index = new IndexDefinition(0, "multi", IndexKind.GLOBAL, INDEX_KEYS,
                    new Projection(ProjectionType.KEYS_ONLY, List.of()), Throughput.NONE, IndexStatus.ACTIVE);
            TableDefinition table = catalog.create(new TableSpec("things", KeySchema.of(ID, null), List.of(ID, T, R, A, B),
                    BillingMode.PAY_PER_REQUEST, Throughput.NONE, List.of(index), Map.of(), null, null), Instant.now());
            ItemStore items = new ItemStore(engine, new KeyLocks(64), catalog, new TableStats(), Clock.systemUTC(),
                    StoreOptions.ITEM_COLLECTION_SIZE_LIMIT);
            put(items, table, Map.of("id", s("1"), "t", s("x"), "r", n("1"), "a", n("10"), "b", s("b")));
            put(items, table, Map.of("id", s("2"), "t", s("x"), "r", n("1"), "a", n("9"), "b", s("z")));
            put(items, table, Map.of("id", s("3"), "t", s("x"), "r", n("1"), "a", n("10"), "b", s("a")));
            put(items, table, Map.of("id", s("4"), "t", s("x"), "a", n("1"), "b", s("a")));
            put(items, table, Map.of("id", s("5"), "t", s("x"), "r", n("1"), "a", n("1")));
            List<String> ids = new ArrayList<>();
            IndexDefinition stored = table.indexes().getFirst();
            engine.scanPrefix(Column.INDEXES, IndexKeys.prefix(stored), (k, v) -> ids.add(((AttributeValue.S) ItemCodec.decode(v).get("id")).value()));
            assertEquals(List.of("2", "3", "1"), ids, "by a (9 < 10 as numbers), then b; items lacking r or b are not indexed");
        }
        try (RocksEngine engine = RocksEngine.open(dir)) {
            TableDefinition reloaded = TableCatalog.load(engine, new ObjectMapper()).require("things");
            assertEquals(INDEX_KEYS, reloaded.indexes().getFirst().keySchema());
            assertEquals(KeySchema.of(ID, null), reloaded.keySchema());
        }
    }

    @Test
    void singleAttributeAccessorsRefuseAMultiAttributeKey() {
        assertThrows(IllegalStateException.class, INDEX_KEYS::hash);
        assertThrows(IllegalStateException.class, INDEX_KEYS::range);
        assertEquals(List.of(T, R, A, B), INDEX_KEYS.elements());
    }

    private static void put(ItemStore items, TableDefinition table, Map<String, AttributeValue> item) {
        ItemRef ref = ItemRef.of(table, ItemKeys.ofItem(table.keySchema(), item));
        items.atomically(List.of(ref), Consumed.of(null), s -> {
            s.put(ref, item);
            return null;
        });
    }
}
