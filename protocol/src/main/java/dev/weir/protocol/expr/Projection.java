package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** A ProjectionExpression (or AttributesToGet): which parts of an item to return. */
public interface Projection {

    /** The parts of the item the projection names, lists compacted as DynamoDB does. */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> item);

    /** The projected paths, in the order written. */
    List<Path> paths();
}
