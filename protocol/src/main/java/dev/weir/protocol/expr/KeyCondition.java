package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;

/** A KeyConditionExpression split against the key schema: the hash key's value and an optional range condition. */
public record KeyCondition(AttributeValue hashValue, RangeCondition range) {
    public KeyCondition {
        java.util.Objects.requireNonNull(hashValue, "hashValue");
    }
}
