package dev.weir.store.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.RocksEngine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The tables of the store: kept in memory for lock-free lookups, persisted in the
 * {@code tables} column family. Changes to the catalog (rare) are serialized; reads are not.
 * A change publishes a whole new immutable {@link TableDefinition}.
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
        long id = nextId++;
        List<IndexDefinition> indexes = new ArrayList<>();
        for (IndexDefinition i : spec.indexes()) indexes.add(i.withId(nextId++).withStatus(IndexStatus.ACTIVE));
        TableDefinition table = new TableDefinition(id, spec.name(), UUID.randomUUID().toString(), spec.keySchema(),
                spec.attributeDefinitions(), now, spec.billingMode(), spec.throughput(), now, indexes, spec.tags(),
                TimeToLive.DISABLED, spec.sse(), null);
        engine.write(new Batch()
                .put(Column.TABLES, tableKey(spec.name()), codec.encode(table))
                .put(Column.TABLES, NEXT_ID_KEY, ByteBuffer.allocate(8).putLong(nextId).array()));
        tables.put(table.name(), table);
        return table;
    }

    /** A fresh id for a new index. */
    public synchronized long allocateId() {
        long id = nextId++;
        engine.put(Column.TABLES, NEXT_ID_KEY, ByteBuffer.allocate(8).putLong(nextId).array());
        return id;
    }

    /**
     * Replaces a table's definition by {@code change.apply(current)} (which may throw to
     * refuse the change) and persists it; returns the new definition.
     */
    public synchronized TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
        TableDefinition current = tables.get(name);
        if (current == null) throw notFound(name);
        TableDefinition next = change.apply(current);
        if (next == current) return current;
        engine.put(Column.TABLES, tableKey(name), codec.encode(next));
        tables.put(name, next);
        return next;
    }

    /**
     * Removes a table and, in the same write, every item and index entry of it. Writes still
     * running against the old id can only add entries under that id, which no table will
     * ever use again.
     */
    public synchronized TableDefinition delete(String name) {
        TableDefinition table = tables.get(name);
        if (table == null) throw notFound(name);
        Batch batch = new Batch().delete(Column.TABLES, tableKey(name));
        batch.deleteRange(Column.ITEMS, KeyCodec.tablePrefix(table.id()), KeyCodec.tablePrefix(table.id() + 1));
        batch.deleteRange(Column.COLLECTIONS, KeyCodec.tablePrefix(table.id()), KeyCodec.tablePrefix(table.id() + 1));
        for (IndexDefinition i : table.indexes()) dropEntries(batch, i);
        engine.write(batch);
        tables.remove(name);
        return table;
    }

    /** Adds the deletion of every entry of {@code index} to {@code batch}. */
    public static void dropEntries(Batch batch, IndexDefinition index) {
        batch.deleteRange(Column.INDEXES, KeyCodec.tablePrefix(index.id()), KeyCodec.tablePrefix(index.id() + 1));
    }

    public Optional<TableDefinition> find(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** Every table, in name order. */
    public Collection<TableDefinition> all() {
        return List.copyOf(tables.values());
    }

    /** The table of an ARN, if the ARN names one of this store's tables. */
    public Optional<TableDefinition> findByArn(String arn) {
        if (arn == null || !arn.startsWith(TableDefinition.ARN_PREFIX)) return Optional.empty();
        return find(arn.substring(TableDefinition.ARN_PREFIX.length()));
    }

    /** The table an item operation names, or ResourceNotFoundException as DynamoDB words it there. */
    public TableDefinition require(String name) {
        TableDefinition t = tables.get(name);
        if (t == null) throw new DynamoException(DynamoError.resourceNotFound("Requested resource not found"));
        return t;
    }

    /** The table a table operation names, or ResourceNotFoundException naming it. */
    public TableDefinition requireNamed(String name) {
        TableDefinition t = tables.get(name);
        if (t == null) throw notFound(name);
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

    private static DynamoException notFound(String name) {
        return new DynamoException(DynamoError.resourceNotFound("Requested resource not found: Table: " + name + " not found"));
    }

    private static byte[] tableKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(TABLE_PREFIX.length + n.length).put(TABLE_PREFIX).put(n).array();
    }
}
