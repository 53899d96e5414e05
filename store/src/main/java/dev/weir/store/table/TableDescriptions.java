package dev.weir.store.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The TableDescription DynamoDB returns from CreateTable, DescribeTable, UpdateTable and DeleteTable. */
public final class TableDescriptions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TableDescriptions() {}

    public static ObjectNode describe(TableDefinition t, TableStats stats) {
        return describe(t, stats, status(t));
    }

    public static ObjectNode describe(TableDefinition t, TableStats stats, String tableStatus) {
        ObjectNode d = NODES.objectNode();
        ArrayNode attrs = d.putArray("AttributeDefinitions");
        t.attributeDefinitions().forEach(a -> attrs.addObject()
                .put("AttributeName", a.name())
                .put("AttributeType", a.type().name()));
        d.put("TableName", t.name());
        keySchema(d.putArray("KeySchema"), t.keySchema());
        d.put("TableStatus", tableStatus);
        d.put("CreationDateTime", epochSeconds(t.createdAt()));
        throughput(d.putObject("ProvisionedThroughput"), t.throughput());
        d.put("TableSizeBytes", stats.bytes(t.id()));
        d.put("ItemCount", stats.items(t.id()));
        d.put("TableArn", t.arn());
        d.put("TableId", t.uuid());
        if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
            d.putObject("BillingModeSummary")
                    .put("BillingMode", BillingMode.PAY_PER_REQUEST.name())
                    .put("LastUpdateToPayPerRequestDateTime", epochSeconds(t.billingModeChangedAt()));
        }
        List<IndexDefinition> locals = t.indexes(IndexKind.LOCAL);
        if (!locals.isEmpty()) {
            ArrayNode a = d.putArray("LocalSecondaryIndexes");
            for (IndexDefinition i : locals) index(a.addObject(), t, i, stats);
        }
        List<IndexDefinition> globals = t.indexes(IndexKind.GLOBAL);
        if (!globals.isEmpty()) {
            ArrayNode a = d.putArray("GlobalSecondaryIndexes");
            for (IndexDefinition i : globals) {
                ObjectNode n = a.addObject();
                index(n, t, i, stats);
                n.put("IndexStatus", i.status().name());
                if (i.status() == IndexStatus.CREATING) n.put("Backfilling", true);
                throughput(n.putObject("ProvisionedThroughput"), i.throughput());
            }
        }
        if (t.sse() != null) {
            d.putObject("SSEDescription").put("Status", "ENABLED").put("SSEType", "KMS")
                    .put("KMSMasterKeyArn", t.sse().kmsMasterKeyArn());
        }
        if (t.streaming()) {
            d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", t.stream().viewType().name());
        }
        if (t.stream() != null) {
            d.put("LatestStreamLabel", t.stream().label());
            d.put("LatestStreamArn", t.stream().arn(t));
        }
        d.put("DeletionProtectionEnabled", false);
        return d;
    }

    /** ACTIVE, or UPDATING while an index is being backfilled. */
    public static String status(TableDefinition t) {
        return t.indexes().stream().anyMatch(i -> i.status() == IndexStatus.CREATING) ? "UPDATING" : "ACTIVE";
    }

    private static void index(ObjectNode n, TableDefinition t, IndexDefinition i, TableStats stats) {
        n.put("IndexName", i.name());
        keySchema(n.putArray("KeySchema"), i.keySchema());
        ObjectNode p = n.putObject("Projection").put("ProjectionType", i.projection().type().name());
        if (!i.projection().nonKeyAttributes().isEmpty()) {
            ArrayNode nonKey = p.putArray("NonKeyAttributes");
            i.projection().nonKeyAttributes().forEach(nonKey::add);
        }
        n.put("IndexSizeBytes", stats.bytes(i.id()));
        n.put("ItemCount", stats.items(i.id()));
        n.put("IndexArn", t.arn() + "/index/" + i.name());
    }

    private static void keySchema(ArrayNode keys, KeySchema k) {
        for (KeyElement h : k.hashes()) keys.addObject().put("AttributeName", h.name()).put("KeyType", "HASH");
        for (KeyElement r : k.ranges()) keys.addObject().put("AttributeName", r.name()).put("KeyType", "RANGE");
    }

    private static void throughput(ObjectNode n, Throughput t) {
        n.put("NumberOfDecreasesToday", 0)
                .put("ReadCapacityUnits", t.readCapacityUnits())
                .put("WriteCapacityUnits", t.writeCapacityUnits());
    }

    /** Seconds since the epoch with milliseconds, the form DynamoDB timestamps take in JSON. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
