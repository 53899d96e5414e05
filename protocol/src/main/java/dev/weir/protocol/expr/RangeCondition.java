package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;

/** The condition of a Query on the range key. */
public sealed interface RangeCondition {
    record Eq(AttributeValue value) implements RangeCondition {}
    record Lt(AttributeValue value) implements RangeCondition {}
    record Le(AttributeValue value) implements RangeCondition {}
    record Gt(AttributeValue value) implements RangeCondition {}
    record Ge(AttributeValue value) implements RangeCondition {}
    record Between(AttributeValue low, AttributeValue high) implements RangeCondition {}
    record BeginsWith(AttributeValue prefix) implements RangeCondition {}
}
