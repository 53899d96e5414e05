package dev.weir.store.table;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the store keeps about a table. {@code id} is the internal number that prefixes
 * the table's item keys; {@code uuid} is the TableId DynamoDB reports. Immutable: a change
 * to a table publishes a new definition. {@code stream} is the latest change stream, or null
 * if the table never had one.
 */
public record TableDefinition(
        long id,
        String name,
        String uuid,
        KeySchema keySchema,
        List<KeyElement> attributeDefinitions,
        Instant createdAt,
        BillingMode billingMode,
        Throughput throughput,
        Instant billingModeChangedAt,
        List<IndexDefinition> indexes,
        Map<String, String> tags,
        TimeToLive timeToLive,
        Sse sse,
        TableStream stream) {

    public static final String ARN_PREFIX = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    public TableDefinition {
        attributeDefinitions = List.copyOf(attributeDefinitions);
        indexes = List.copyOf(indexes);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public String arn() {
        return ARN_PREFIX + name;
    }

    public Optional<IndexDefinition> index(String indexName) {
        return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
    }

    public List<IndexDefinition> indexes(IndexKind kind) {
        return indexes.stream().filter(i -> i.kind() == kind).toList();
    }

    /** The type an attribute is defined with, or null. */
    public ScalarType attributeType(String attributeName) {
        for (KeyElement e : attributeDefinitions) if (e.name().equals(attributeName)) return e.type();
        return null;
    }

    public TableDefinition withIndexes(List<IndexDefinition> newIndexes, List<KeyElement> newAttributes) {
        return new TableDefinition(id, name, uuid, keySchema, newAttributes, createdAt, billingMode, throughput,
                billingModeChangedAt, newIndexes, tags, timeToLive, sse, stream);
    }

    public TableDefinition withBilling(BillingMode mode, Throughput newThroughput, Instant changedAt) {
        return new TableDefinition(id, name, uuid, keySchema, attributeDefinitions, createdAt, mode, newThroughput,
                changedAt, indexes, tags, timeToLive, sse, stream);
    }

    public TableDefinition withTags(Map<String, String> newTags) {
        return new TableDefinition(id, name, uuid, keySchema, attributeDefinitions, createdAt, billingMode, throughput,
                billingModeChangedAt, indexes, newTags, timeToLive, sse, stream);
    }

    public TableDefinition withTimeToLive(TimeToLive ttl) {
        return new TableDefinition(id, name, uuid, keySchema, attributeDefinitions, createdAt, billingMode, throughput,
                billingModeChangedAt, indexes, tags, ttl, sse, stream);
    }

    /** With {@code newStream} as its latest change stream. */
    public TableDefinition withStream(TableStream newStream) {
        return new TableDefinition(id, name, uuid, keySchema, attributeDefinitions, createdAt, billingMode, throughput,
                billingModeChangedAt, indexes, tags, timeToLive, sse, newStream);
    }

    /** Whether writes to this table now emit change records. */
    public boolean streaming() {
        return stream != null && stream.enabled();
    }

    /** With server-side encryption by a KMS key, or (null) by the AWS owned key. */
    public TableDefinition withSse(Sse newSse) {
        return new TableDefinition(id, name, uuid, keySchema, attributeDefinitions, createdAt, billingMode, throughput,
                billingModeChangedAt, indexes, tags, timeToLive, newSse, stream);
    }
}
