package dev.weir.protocol.expr;

import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;
import java.util.Set;

/** A parsed and checked condition (ConditionExpression, FilterExpression or KeyConditionExpression). */
public interface Condition {

    /** Whether the item (null or empty for a missing item) satisfies the condition. */
    boolean test(Map<String, AttributeValue> item);

    /** Every document path the condition reads. */
    Set<Path> paths();

    /** The condition's syntax tree, names and values resolved. */
    ConditionExpr expression();
}
