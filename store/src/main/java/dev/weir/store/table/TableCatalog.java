package dev.weir.store.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.RocksEngine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tables of the store: kept in memory for lock-free lookups, persisted in the
 * {@code tables} column family. Changes to the catalog (rare) are serialized; reads are not.
 */
public final class TableCatalog {
    private static final byte[] TABLE_PREFIX = "table/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEXT_ID_KEY = "sequence/table-id".getBytes(StandardCharsets.UTF_8);

    private final RocksEngine engine;
    private final TableCodec codec;
    private final ConcurrentSkipListMap<String, TableDefinition> tables = new ConcurrentSkipListMap<>();
    private long nextId;

    private TableCatalog(RocksEngine engine, ObjectMapper mapper) {
        this.engine = engine;
        this.codec = new TableCodec(mapper);
    }

    /** The catalog as stored in {@code engine}. */
    public static TableCatalog load(RocksEngine engine, ObjectMapper mapper) {
        TableCatalog catalog = new TableCatalog(engine, mapper);
        engine.scanPrefix(Column.TABLES, TABLE_PREFIX, (k, v) -> {
            TableDefinition t = catalog.codec.decode(v);
            catalog.tables.put(t.name(), t);
        });
        byte[] next = engine.get(Column.TABLES, NEXT_ID_KEY);
        catalog.nextId = next == null ? 1 : ByteBuffer.wrap(next).getLong();
        return catalog;
    }

    /** Creates a table, or fails with ResourceInUseException if one of that name exists. */
    public synchronized TableDefinition create(TableSpec spec, Instant now) {
        if (tables.containsKey(spec.name())) {
            throw new DynamoException(DynamoError.resourceInUse("Table already exists: " + spec.name()));
        }
        long id = nextId;
        TableDefinition table = new TableDefinition(id, spec.name(), UUID.randomUUID().toString(), spec.keySchema(),
                spec.attributeDefinitions(), now, spec.billingMode(), spec.throughput());
        engine.write(new Batch()
                .put(Column.TABLES, tableKey(spec.name()), codec.encode(table))
                .put(Column.TABLES, NEXT_ID_KEY, ByteBuffer.allocate(8).putLong(id + 1).array()));
        nextId = id + 1;
        tables.put(table.name(), table);
        return table;
    }

    public Optional<TableDefinition> find(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The table an item operation names, or ResourceNotFoundException as DynamoDB words it there. */
    public TableDefinition require(String name) {
        TableDefinition t = tables.get(name);
        if (t == null) throw new DynamoException(DynamoError.resourceNotFound("Requested resource not found"));
        return t;
    }

    /** Up to {@code limit} table names in order, after {@code exclusiveStart} if given. */
    public List<String> names(String exclusiveStart, int limit) {
        var view = exclusiveStart == null ? tables.navigableKeySet() : tables.navigableKeySet().tailSet(exclusiveStart, false);
        List<String> out = new ArrayList<>(Math.min(limit, 128));
        for (String name : view) {
            if (out.size() == limit) break;
            out.add(name);
        }
        return out;
    }

    /** Whether a table sorts after {@code name}. */
    public boolean hasNamesAfter(String name) {
        return tables.higherKey(name) != null;
    }

    private static byte[] tableKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(TABLE_PREFIX.length + n.length).put(TABLE_PREFIX).put(n).array();
    }
}
