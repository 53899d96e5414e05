package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.Unsupported;
import dev.weir.store.api.ValidationErrors;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.stream.StreamCatalog;
import dev.weir.store.stream.StreamRequests;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * UpdateTable: billing mode and provisioned throughput (of the table and its GSIs), the
 * creation (with a background backfill) or deletion of one global secondary index, and the
 * server-side encryption setting ({@link Sse}), and the change stream (StreamSpecification:
 * enable with a view type, or disable). ReplicaUpdates are refused: the store has one
 * region and no global tables.
 */
public final class UpdateTable implements OperationHandler {
    private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
    private static final String LIMIT_EXCEEDED = "com.amazonaws.dynamodb.v20120810#LimitExceededException";

    private record GsiUpdate(IndexRequests.Raw create, String updateName, Throughput updateThroughput, String deleteName) {}

    private final TableCatalog catalog;
    private final TableStats stats;
    private final RocksEngine engine;
    private final IndexBuilder builder;
    private final Clock clock;
    private final StreamCatalog streams;

    public UpdateTable(TableCatalog catalog, TableStats stats, RocksEngine engine, IndexBuilder builder, Clock clock,
                       StreamCatalog streams) {
        this.streams = streams;
        this.catalog = catalog;
        this.stats = stats;
        this.engine = engine;
        this.builder = builder;
        this.clock = clock;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        String billing = RequestFields.text(request, "BillingMode");
        JsonNode provisioned = RequestFields.object(request, "ProvisionedThroughput");
        Long read = RequestFields.integer(provisioned, "ReadCapacityUnits");
        Long write = RequestFields.integer(provisioned, "WriteCapacityUnits");
        List<KeyElement> newDefinitions = definitions(request);
        ValidationErrors errors = new ValidationErrors();
        TableNames.check(errors, name, "tableName");
        errors.oneOf(billing, "billingMode", BILLING_MODES);
        if (provisioned != null) {
            errors.notNull(write, "provisionedThroughput.writeCapacityUnits");
            errors.range(write, "provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
            errors.notNull(read, "provisionedThroughput.readCapacityUnits");
            errors.range(read, "provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
        }
        List<GsiUpdate> updates = gsiUpdates(request, errors);
        Sse.Requested sse = Sse.parse(request, errors);
        StreamRequests.Requested stream = StreamRequests.parse(request);
        errors.throwIfAny();
        ReplicaUpdates.refuse(request);
        Unsupported.reject(request, "TableClass",
                "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput");
        StreamRequests.checkConsistent(stream);

        if (billing == null && provisioned == null && updates == null && sse == null && stream == null) {
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        if (updates != null && updates.size() > 1) {
            throw limitExceeded();
        }
        long[] newIndexId = {0};
        TableDefinition updated = catalog.update(name, t -> {
            TableDefinition next = t;
            BillingMode mode = billing == null ? t.billingMode() : BillingMode.valueOf(billing);
            if (billing != null || provisioned != null) next = billing(next, mode, provisioned, read, write);
            if (sse != null) next = sse(next, sse);
            if (updates != null) {
                GsiUpdate u = updates.getFirst();
                if (u.create() != null) {
                    if (t.indexes().stream().anyMatch(i -> i.status() == IndexStatus.CREATING)) throw limitExceeded();
                    next = createIndex(next, u.create(), newDefinitions, mode);
                    newIndexId[0] = next.indexes().getLast().id();
                } else if (u.deleteName() != null) {
                    next = deleteIndex(next, u.deleteName());
                } else {
                    next = updateIndex(next, u.updateName(), u.updateThroughput(), mode);
                }
            }
            if (stream != null) next = stream(next, stream);
            return next;
        });
        if (newIndexId[0] != 0) builder.backfill(name, newIndexId[0]);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("TableDescription", TableDescriptions.describe(updated, stats, "UPDATING"));
        return response;
    }

    /**
     * The table with its stream enabled (a new stream, with a new label) or disabled; enabling
     * an enabled stream (also to change its view type) or disabling none is refused, as in DynamoDB.
     */
    private TableDefinition stream(TableDefinition t, StreamRequests.Requested requested) {
        if (requested.enabled()) {
            if (t.streaming()) throw StreamRequests.alreadyEnabled(t.name());
            return t.withStream(streams.create(t, requested.viewType()));
        }
        if (!t.streaming()) throw StreamRequests.nothingToDisable(t.name());
        streams.disable(t.stream().streamNo());
        return t.withStream(t.stream().disabled());
    }

    /** The table with its new encryption setting; asking for the AWS owned key it already has is an error, as in DynamoDB. */
    private static TableDefinition sse(TableDefinition t, Sse.Requested requested) {
        if (requested instanceof Sse.OwnedKey && t.sse() == null) {
            throw DynamoException.validation("Table is already encrypted by default");
        }
        return t.withSse(null);
    }

    private TableDefinition billing(TableDefinition t, BillingMode mode, JsonNode provisioned, Long read, Long write) {
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (provisioned != null) {
                throw IndexRequests.invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            if (t.billingMode() == BillingMode.PAY_PER_REQUEST) return t;
            List<IndexDefinition> indexes = t.indexes().stream().map(i -> i.withThroughput(Throughput.NONE)).toList();
            return t.withBilling(mode, Throughput.NONE, clock.instant()).withIndexes(indexes, t.attributeDefinitions());
        }
        if (provisioned == null) {
            throw IndexRequests.invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        }
        checkBounds(read, write);
        Throughput requested = new Throughput(read, write);
        if (t.billingMode() == BillingMode.PROVISIONED && t.throughput().equals(requested)) {
            throw DynamoException.validation("The provisioned throughput for the table will not change. The requested value "
                    + "equals the current value. Current ReadCapacityUnits provisioned for the table: " + read
                    + ". Requested ReadCapacityUnits: " + read + ". Current WriteCapacityUnits provisioned for the table: "
                    + write + ". Requested WriteCapacityUnits: " + write
                    + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
        }
        TableDefinition next = t.withBilling(mode, requested,
                t.billingMode() == mode ? t.billingModeChangedAt() : clock.instant());
        if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
            // switching to provisioned: GSIs take the table's throughput unless updated too
            List<IndexDefinition> indexes = next.indexes().stream()
                    .map(i -> i.isGlobal() ? i.withThroughput(requested) : i).toList();
            next = next.withIndexes(indexes, next.attributeDefinitions());
        }
        return next;
    }

    private TableDefinition createIndex(TableDefinition t, IndexRequests.Raw raw, List<KeyElement> newDefinitions,
                                        BillingMode mode) {
        if (t.index(raw.name()).isPresent()) {
            throw DynamoException.validation("One or more parameter values were invalid: Index with name "
                    + raw.name() + " already exists");
        }
        if (t.indexes(IndexKind.GLOBAL).size() >= IndexRequests.MAX_GLOBAL) {
            throw IndexRequests.invalid("GlobalSecondaryIndex count exceeds the per-table limit of " + IndexRequests.MAX_GLOBAL);
        }
        if (newDefinitions == null) {
            throw DynamoException.validation("The AttributeDefinitions parameter is required when creating a global secondary index");
        }
        List<KeyElement> merged = new ArrayList<>(t.attributeDefinitions());
        for (KeyElement d : newDefinitions) {
            ScalarType existing = t.attributeType(d.name());
            if (existing == null) merged.add(d);
            else if (existing != d.type()) {
                throw IndexRequests.invalid("Cannot update attribute " + d.name()
                        + ". This attribute is part of an index key schema and its type cannot be changed");
            }
        }
        Set<String> names = new HashSet<>();
        IndexDefinition index = IndexRequests.resolve(raw, IndexKind.GLOBAL, merged, t.keySchema(), mode, names);
        // only definitions some key uses are kept
        Set<String> used = new HashSet<>();
        t.keySchema().elements().forEach(e -> used.add(e.name()));
        t.indexes().forEach(i -> i.keySchema().elements().forEach(e -> used.add(e.name())));
        index.keySchema().elements().forEach(e -> used.add(e.name()));
        List<KeyElement> kept = merged.stream().filter(e -> used.contains(e.name())).toList();
        IndexDefinition created = index.withId(catalog.allocateId()).withStatus(IndexStatus.CREATING);
        List<IndexDefinition> indexes = new ArrayList<>(t.indexes());
        indexes.add(created);
        return t.withIndexes(indexes, kept);
    }

    private TableDefinition deleteIndex(TableDefinition t, String indexName) {
        IndexDefinition index = t.index(indexName).filter(IndexDefinition::isGlobal).orElseThrow(() -> new DynamoException(
                DynamoError.resourceNotFound("Requested resource not found: Index: " + indexName + " not found")));
        if (index.status() == IndexStatus.CREATING) throw limitExceeded();
        Batch batch = new Batch();
        TableCatalog.dropEntries(batch, index);
        engine.write(batch);
        stats.forget(index.id());
        List<IndexDefinition> indexes = t.indexes().stream().filter(i -> i != index).toList();
        Set<String> used = new HashSet<>();
        t.keySchema().elements().forEach(e -> used.add(e.name()));
        indexes.forEach(i -> i.keySchema().elements().forEach(e -> used.add(e.name())));
        return t.withIndexes(indexes, t.attributeDefinitions().stream().filter(e -> used.contains(e.name())).toList());
    }

    private static TableDefinition updateIndex(TableDefinition t, String indexName, Throughput throughput, BillingMode mode) {
        IndexDefinition index = t.index(indexName).filter(IndexDefinition::isGlobal).orElseThrow(() -> new DynamoException(
                DynamoError.resourceNotFound("Requested resource not found: Index: " + indexName + " not found")));
        if (mode == BillingMode.PAY_PER_REQUEST) {
            throw IndexRequests.invalid("ProvisionedThroughput should not be specified for index: " + indexName
                    + " when BillingMode is PAY_PER_REQUEST");
        }
        checkBounds(throughput.readCapacityUnits(), throughput.writeCapacityUnits());
        List<IndexDefinition> indexes = t.indexes().stream().map(i -> i == index ? i.withThroughput(throughput) : i).toList();
        return t.withIndexes(indexes, t.attributeDefinitions());
    }

    private static void checkBounds(long read, long write) {
        if (read > 1_000_000_000_000L) throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
        if (write > 1_000_000_000_000L) throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
    }

    private static List<KeyElement> definitions(JsonNode request) {
        List<JsonNode> nodes = RequestFields.list(request, "AttributeDefinitions");
        if (nodes == null) return null;
        List<KeyElement> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            RequestFields.requireObject(n);
            String attr = RequestFields.text(n, "AttributeName");
            ScalarType type = ScalarType.byName(RequestFields.text(n, "AttributeType"));
            if (attr == null || type == null) {
                throw DynamoException.validation("1 validation error detected: Value null at 'attributeDefinitions' "
                        + "failed to satisfy constraint: Member must not be null");
            }
            out.add(new KeyElement(attr, type));
        }
        return out;
    }

    private static List<GsiUpdate> gsiUpdates(JsonNode request, ValidationErrors errors) {
        List<JsonNode> nodes = RequestFields.list(request, "GlobalSecondaryIndexUpdates");
        if (nodes == null) return null;
        List<GsiUpdate> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = RequestFields.requireObject(nodes.get(i));
            String path = "globalSecondaryIndexUpdates." + (i + 1) + ".member";
            JsonNode create = RequestFields.object(n, "Create");
            JsonNode update = RequestFields.object(n, "Update");
            JsonNode delete = RequestFields.object(n, "Delete");
            if (create != null) {
                out.add(new GsiUpdate(IndexRequests.readOne(create, path + ".create", true, errors), null, null, null));
            } else if (delete != null) {
                String indexName = RequestFields.text(delete, "IndexName");
                errors.notNull(indexName, path + ".delete.indexName");
                TableNames.checkIndexName(errors, indexName, path + ".delete.indexName");
                out.add(new GsiUpdate(null, null, null, indexName));
            } else if (update != null) {
                String indexName = RequestFields.text(update, "IndexName");
                JsonNode p = RequestFields.object(update, "ProvisionedThroughput");
                Long r = RequestFields.integer(p, "ReadCapacityUnits");
                Long w = RequestFields.integer(p, "WriteCapacityUnits");
                errors.notNull(indexName, path + ".update.indexName");
                errors.notNull(p, path + ".update.provisionedThroughput");
                if (p != null) {
                    errors.notNull(w, path + ".update.provisionedThroughput.writeCapacityUnits");
                    errors.range(w, path + ".update.provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
                    errors.notNull(r, path + ".update.provisionedThroughput.readCapacityUnits");
                    errors.range(r, path + ".update.provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
                }
                out.add(new GsiUpdate(null, indexName, r == null || w == null ? Throughput.NONE : new Throughput(r, w), null));
            } else {
                throw DynamoException.validation("One or more parameter values were invalid: "
                        + "One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, "
                        + "or GlobalSecondaryIndexUpdate.Delete must be specified");
            }
        }
        if (out.isEmpty()) return null;
        return out;
    }

    private static DynamoException limitExceeded() {
        return new DynamoException(new DynamoError(LIMIT_EXCEEDED,
                "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table", 400));
    }
}
