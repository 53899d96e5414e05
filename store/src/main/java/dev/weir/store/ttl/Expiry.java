package dev.weir.store.ttl;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TimeToLive;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Whether an item has expired under its table's time to live: the TTL attribute is a number
 * of epoch seconds at or before now. As in DynamoDB, other types (a string, a set, a list of
 * numbers) and values more than five years in the past never expire. As in DynamoDB, an expired
 * item is still an item until the {@link TtlSweeper} deletes it: reads return it, conditions
 * see it, and a write that moves its TTL attribute into the future keeps it.
 */
public final class Expiry {
    private static final long FIVE_YEARS_SECONDS = 5L * 365 * 24 * 3600;

    private Expiry() {}

    public static boolean expired(TableDefinition table, Map<String, AttributeValue> item, long nowSeconds) {
        TimeToLive ttl = table.timeToLive();
        if (!ttl.enabled() || item == null) return false;
        if (!(item.get(ttl.attributeName()) instanceof AttributeValue.N n)) return false;
        BigDecimal at;
        try {
            at = DynamoNumber.parse(n.value());
        } catch (DynamoException e) {
            return false;
        }
        return at.compareTo(BigDecimal.valueOf(nowSeconds)) <= 0
                && at.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) >= 0;
    }
}
