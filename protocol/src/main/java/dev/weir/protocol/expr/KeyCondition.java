package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Objects;

/**
 * A KeyConditionExpression split against the key schema: the value of each partition key
 * attribute, in the key schema's order, and the conditions on the sort key attributes given,
 * a prefix of the key schema's sort attributes in order, every one an equality but the last.
 * A table, a local index and most global indexes have one partition and at most one sort
 * attribute; a global index may have up to four of each (multi-attribute keys).
 */
public record KeyCondition(List<AttributeValue> hashValues, List<RangeCondition> sort) {
    public KeyCondition {
        hashValues = List.copyOf(hashValues);
        if (hashValues.isEmpty()) throw new IllegalArgumentException("a key condition has a partition key value");
        sort = List.copyOf(sort);
        for (int i = 0; i + 1 < sort.size(); i++) {
            if (!(sort.get(i) instanceof RangeCondition.Eq)) {
                throw new IllegalArgumentException("only the last sort key condition may be other than an equality");
            }
        }
    }

    /** One partition key value and an optional (null) sort key condition. */
    public KeyCondition(AttributeValue hashValue, RangeCondition range) {
        this(List.of(Objects.requireNonNull(hashValue, "hashValue")), range == null ? List.of() : List.of(range));
    }

    /** The value of the one partition key attribute (of a key schema with one). */
    public AttributeValue hashValue() {
        if (hashValues.size() != 1) throw new IllegalStateException("a multi-attribute partition key has " + hashValues.size() + " values");
        return hashValues.get(0);
    }

    /** The condition on the last sort key attribute given, or null when none is given. */
    public RangeCondition range() {
        return sort.isEmpty() ? null : sort.get(sort.size() - 1);
    }
}
