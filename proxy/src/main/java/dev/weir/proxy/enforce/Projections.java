package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Projections after the view (docs/threat-model.md, "Whole rows"). For a caller whose view is
 * restricted, a GetItem (and each BatchGetItem table, each TransactGetItems entry) is read
 * whole: the row filter is judged on the whole stored item, and the client's projection is
 * applied to the item as the view shows it, so a projection never cuts into a masked value
 * (a projection of {@code address.city} under a whole-value mask of {@code address} gets
 * nothing, as it would from the item as shown). The forwarded read loses its projection
 * ({@link #removeFrom}); {@link ReadPlanner#readWhole} says when.
 */
final class Projections {
    private Projections() {}

    /**
     * Removes a read's projection from {@code read} (a copy being built for the store, its
     * expressions already rendered without the ProjectionExpression and with only the names
     * they use, {@link dev.weir.proxy.enforce.rewrite.Render}): its AttributesToGet (the
     * legacy twin, which Render does not write).
     */
    static void removeFrom(ObjectNode read) {
        read.remove("AttributesToGet");
        read.remove("ProjectionExpression");
    }
}
