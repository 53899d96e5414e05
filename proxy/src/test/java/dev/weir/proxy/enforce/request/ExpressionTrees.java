package dev.weir.proxy.enforce.request;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.UpdateExpr;

import java.util.List;

/**
 * The expressions of one request as syntax trees, names and values resolved; a member the
 * request does not have is null.
 */
record ExpressionTrees(ConditionExpr keyCondition, ConditionExpr filter, ConditionExpr condition, UpdateExpr update,
                       List<Path> projection) {

    /** The condition weir joins the policy's conjunct to: the ConditionExpression of a write, the FilterExpression of a read. */
    ConditionExpr guarded(boolean write) {
        return write ? condition : filter;
    }

    ExpressionTrees withGuarded(boolean write, ConditionExpr c) {
        return write ? new ExpressionTrees(keyCondition, filter, c, update, projection)
                : new ExpressionTrees(keyCondition, c, condition, update, projection);
    }
}
