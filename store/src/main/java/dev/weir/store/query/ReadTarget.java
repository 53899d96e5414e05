package dev.weir.store.query;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ByteWriter;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.codec.OrderedBytes;
import dev.weir.store.engine.Column;
import dev.weir.store.index.IndexKeys;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.IndexStatus;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.KeySchema;
import dev.weir.store.table.ProjectionType;
import dev.weir.store.table.ScalarType;
import dev.weir.store.table.TableDefinition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a Query or Scan reads: a table, or one of its secondary indexes. */
public record ReadTarget(TableDefinition table, IndexDefinition index) {
    private static final String BAD_START = "The provided starting key is invalid: ";

    /** The table, or its index {@code indexName} (null for the table), with DynamoDB's errors. */
    public static ReadTarget of(TableDefinition table, String indexName, boolean consistentRead) {
        if (indexName == null) return new ReadTarget(table, null);
        IndexDefinition index = table.index(indexName).orElseThrow(() ->
                DynamoException.validation("The table does not have the specified index: " + indexName));
        if (index.status() == IndexStatus.CREATING) {
            throw DynamoException.validation("Cannot read from backfilling global secondary index: " + indexName);
        }
        if (consistentRead && index.isGlobal()) {
            throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
        }
        return new ReadTarget(table, index);
    }

    public boolean isIndex() {
        return index != null;
    }

    public Column column() {
        return index == null ? Column.ITEMS : Column.INDEXES;
    }

    /** The key schema the target is sorted by. */
    public KeySchema keySchema() {
        return index == null ? table.keySchema() : index.keySchema();
    }

    /** Whether entries carry whole items (the table, or an index projecting ALL). */
    public boolean hasAllAttributes() {
        return index == null || index.projection().type() == ProjectionType.ALL;
    }

    /** The prefix of every key of the target. */
    public byte[] prefix() {
        return index == null ? KeyCodec.tablePrefix(table.id()) : IndexKeys.prefix(index);
    }

    /** The prefix of one partition (the values of the partition attributes, in key schema order) of the target. */
    public byte[] partitionPrefix(List<AttributeValue> hashes) {
        ByteWriter out = new ByteWriter(32);
        out.write(prefix());
        for (AttributeValue hash : hashes) KeyCodec.writeComponent(out, hash);
        return out.toByteArray();
    }

    /** The offset after the target's prefix, where the partition key's components start. */
    public int hashOffset() {
        return 8;
    }

    /** The length of a stored key's partition components (one per partition attribute), from {@link #hashOffset()}. */
    public int partitionLength(byte[] key) {
        int at = hashOffset();
        for (KeyElement e : keySchema().hashes()) at += OrderedBytes.componentLength(key, at, e.type() == ScalarType.N);
        return at - hashOffset();
    }

    /** The stored key an ExclusiveStartKey names, checked against the table's and the index's key schemas. */
    public byte[] startKey(Map<String, AttributeValue> start) {
        Map<String, AttributeValue> expected = new LinkedHashMap<>();
        for (KeyElement e : table.keySchema().elements()) expected.put(e.name(), value(start, e));
        if (index != null) for (KeyElement e : index.keySchema().elements()) expected.put(e.name(), value(start, e));
        if (start.size() != expected.size()) {
            throw DynamoException.validation(BAD_START + "The provided key element does not match the schema");
        }
        PrimaryKey key = new PrimaryKey(start.get(table.keySchema().hash().name()),
                table.keySchema().range().map(r -> start.get(r.name())).orElse(null));
        if (index == null) return key.encode(table);
        return IndexKeys.encode(index, index.keySchema().hashes().stream().map(e -> start.get(e.name())).toList(),
                index.keySchema().ranges().stream().map(e -> start.get(e.name())).toList(), key);
    }

    /** The LastEvaluatedKey of an item: the table's key attributes and the index's. */
    public Map<String, AttributeValue> lastEvaluatedKey(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (KeyElement e : table.keySchema().elements()) out.put(e.name(), item.get(e.name()));
        if (index != null) for (KeyElement e : index.keySchema().elements()) out.put(e.name(), item.get(e.name()));
        return out;
    }

    /** The item's primary key (entries of every index carry the table's key attributes). */
    public PrimaryKey primaryKey(Map<String, AttributeValue> item) {
        return new PrimaryKey(item.get(table.keySchema().hash().name()),
                table.keySchema().range().map(r -> item.get(r.name())).orElse(null));
    }

    private static AttributeValue value(Map<String, AttributeValue> start, KeyElement e) {
        AttributeValue v = start.get(e.name());
        if (v == null || ScalarType.of(v) != e.type()) {
            throw DynamoException.validation(BAD_START + "The provided key element does not match the schema");
        }
        return v;
    }
}
