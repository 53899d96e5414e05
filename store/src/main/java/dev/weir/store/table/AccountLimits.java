package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DescribeLimits: DynamoDB's default provisioned-throughput quotas of an account in a Region
 * (the developer guide's "Service, account, and table quotas"): 80,000 read and 80,000 write
 * capacity units across all tables, 40,000 of each for one table with its global secondary
 * indexes. The store has no accounts and does not throttle, so these are the defaults, always.
 * The operation takes no members; like DynamoDB, the store ignores any it is sent.
 */
public final class AccountLimits {
    public static final long ACCOUNT_MAX_READ = 80_000, ACCOUNT_MAX_WRITE = 80_000;
    public static final long TABLE_MAX_READ = 40_000, TABLE_MAX_WRITE = 40_000;

    private AccountLimits() {}

    public static ObjectNode describe(JsonNode request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("AccountMaxReadCapacityUnits", ACCOUNT_MAX_READ);
        response.put("AccountMaxWriteCapacityUnits", ACCOUNT_MAX_WRITE);
        response.put("TableMaxReadCapacityUnits", TABLE_MAX_READ);
        response.put("TableMaxWriteCapacityUnits", TABLE_MAX_WRITE);
        return response;
    }
}
