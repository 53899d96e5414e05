package dev.weir.proxy.enforce;

import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.ast.ConditionExpr;

/**
 * What weir changes in one part of a request before forwarding it; a null member changes
 * nothing there. The part's expressions are rendered again from trees whenever a condition is
 * added or the projection dropped ({@link dev.weir.proxy.enforce.rewrite.Render}).
 *
 * @param condition    a tree AND-ed into the part's ConditionExpression (visible rows, write scope,
 *                     unchanged rows: {@link dev.weir.proxy.enforce.write.AddedCondition})
 * @param readWhole    the client's own projection, which weir removes so that the view sees
 *                     whole items, and applies to each item as the view shows it ({@link Projections})
 * @param returnValues the ReturnValues weir asks the store for instead of the client's
 *                     ({@link dev.weir.proxy.enforce.write.ReturnedValues})
 */
record Rewrite(ConditionExpr condition, Projection readWhole, String returnValues) {
    static final Rewrite NONE = new Rewrite(null, null, null);

    boolean isNone() {
        return condition == null && readWhole == null && returnValues == null;
    }

    /** Whether the part's expressions are rendered again. */
    boolean rendersExpressions() {
        return condition != null || readWhole != null;
    }

    Rewrite withCondition(ConditionExpr c) {
        return new Rewrite(c, readWhole, returnValues);
    }

    Rewrite withReadWhole(Projection p) {
        return new Rewrite(condition, p, returnValues);
    }

    Rewrite withReturnValues(String v) {
        return new Rewrite(condition, readWhole, v);
    }
}
