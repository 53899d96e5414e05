package dev.weir.store.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;

/** The TableDescription DynamoDB returns from CreateTable, DescribeTable and DeleteTable. */
public final class TableDescriptions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TableDescriptions() {}

    public static ObjectNode describe(TableDefinition t) {
        ObjectNode d = NODES.objectNode();
        ArrayNode attrs = d.putArray("AttributeDefinitions");
        t.attributeDefinitions().forEach(a -> attrs.addObject()
                .put("AttributeName", a.name())
                .put("AttributeType", a.type().name()));
        d.put("TableName", t.name());
        ArrayNode keys = d.putArray("KeySchema");
        keys.addObject().put("AttributeName", t.keySchema().hash().name()).put("KeyType", "HASH");
        t.keySchema().range().ifPresent(r -> keys.addObject().put("AttributeName", r.name()).put("KeyType", "RANGE"));
        d.put("TableStatus", "ACTIVE");
        d.put("CreationDateTime", epochSeconds(t.createdAt()));
        d.putObject("ProvisionedThroughput")
                .put("NumberOfDecreasesToday", 0)
                .put("ReadCapacityUnits", t.throughput().readCapacityUnits())
                .put("WriteCapacityUnits", t.throughput().writeCapacityUnits());
        d.put("TableSizeBytes", 0);
        d.put("ItemCount", 0);
        d.put("TableArn", t.arn());
        d.put("TableId", t.uuid());
        if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
            d.putObject("BillingModeSummary")
                    .put("BillingMode", BillingMode.PAY_PER_REQUEST.name())
                    .put("LastUpdateToPayPerRequestDateTime", epochSeconds(t.createdAt()));
        }
        d.put("DeletionProtectionEnabled", false);
        return d;
    }

    /** Seconds since the epoch with milliseconds, the form DynamoDB timestamps take in JSON. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
