package dev.weir.proxy.enforce;

import dev.weir.protocol.expr.Projection;

/**
 * What weir changes in one part of a request before forwarding it; a null member changes
 * nothing there.
 *
 * @param condition a condition AND-ed into the part's ConditionExpression (write filters, {@link WriteConditions})
 * @param filter    a filter AND-ed into its FilterExpression (row-filter push-down, {@link Pushdown})
 * @param readWhole the client's own projection, which weir removes so that the row filter sees
 *                  whole items, and applies to each item it keeps ({@link Projections})
 */
record Rewrite(Conjunct condition, Conjunct filter, Projection readWhole) {
    static final Rewrite NONE = new Rewrite(null, null, null);

    boolean isNone() {
        return condition == null && filter == null && readWhole == null;
    }

    Rewrite withCondition(Conjunct c) {
        return new Rewrite(c, filter, readWhole);
    }

    Rewrite withFilter(Conjunct f) {
        return new Rewrite(condition, f, readWhole);
    }

    Rewrite withReadWhole(Projection p) {
        return new Rewrite(condition, filter, p);
    }
}
