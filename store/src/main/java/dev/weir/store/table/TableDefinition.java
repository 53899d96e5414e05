package dev.weir.store.table;

import java.time.Instant;
import java.util.List;

/**
 * Everything the store keeps about a table. {@code id} is the internal number that prefixes
 * the table's item keys; {@code uuid} is the TableId DynamoDB reports.
 */
public record TableDefinition(
        long id,
        String name,
        String uuid,
        KeySchema keySchema,
        List<KeyElement> attributeDefinitions,
        Instant createdAt,
        BillingMode billingMode,
        Throughput throughput) {

    public static final String ARN_PREFIX = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    public TableDefinition {
        attributeDefinitions = List.copyOf(attributeDefinitions);
    }

    public String arn() {
        return ARN_PREFIX + name;
    }
}
