package dev.weir.protocol.expr;

import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;
import java.util.Set;

/** A parsed and checked UpdateExpression. */
public interface Update {

    /**
     * The item after the update; the input (null or empty for a new item) is not changed.
     * Throws {@link dev.weir.protocol.error.DynamoException} (ValidationException) where DynamoDB
     * refuses the update for this item.
     */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> item);

    /** Paths the update reads: right-hand sides, if_not_exists and list_append operands. */
    Set<Path> readPaths();

    /** Paths the update sets, removes, adds to or deletes from. */
    Set<Path> writePaths();

    /** The update's syntax tree, names and values resolved. */
    UpdateExpr expression();
}
