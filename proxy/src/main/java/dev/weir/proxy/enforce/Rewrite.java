package dev.weir.proxy.enforce;

import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.ast.ConditionExpr;

/**
 * What weir changes in one part of a request before forwarding it; a null member changes
 * nothing there. The part's expressions are rendered again from trees whenever one of the
 * first three is set ({@link dev.weir.proxy.enforce.rewrite.Render}).
 *
 * @param condition    a tree AND-ed into the part's ConditionExpression (visible rows, write scope,
 *                     unchanged rows: {@link dev.weir.proxy.enforce.write.AddedCondition})
 * @param filter       a tree AND-ed into its FilterExpression (row-filter push-down, {@link Pushdown})
 * @param readWhole    the client's own projection, which weir removes so that the row filter sees
 *                     whole items, and applies to each item it keeps ({@link Projections})
 * @param returnValues the ReturnValues weir asks the store for instead of the client's
 *                     ({@link dev.weir.proxy.enforce.write.ReturnedValues})
 */
record Rewrite(ConditionExpr condition, ConditionExpr filter, Projection readWhole, String returnValues) {
    static final Rewrite NONE = new Rewrite(null, null, null, null);

    boolean isNone() {
        return condition == null && filter == null && readWhole == null && returnValues == null;
    }

    /** Whether the part's expressions are rendered again. */
    boolean rendersExpressions() {
        return condition != null || filter != null || readWhole != null;
    }

    Rewrite withCondition(ConditionExpr c) {
        return new Rewrite(c, filter, readWhole, returnValues);
    }

    Rewrite withFilter(ConditionExpr f) {
        return new Rewrite(condition, f, readWhole, returnValues);
    }

    Rewrite withReadWhole(Projection p) {
        return new Rewrite(condition, filter, p, returnValues);
    }

    Rewrite withReturnValues(String v) {
        return new Rewrite(condition, filter, readWhole, v);
    }
}
