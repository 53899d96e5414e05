package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;

/**
 * Projections after the view (docs/threat-model.md, "Whole rows"). For a caller whose view is
 * restricted, a GetItem (and each BatchGetItem table, each TransactGetItems entry) is read
 * whole: the row filter is judged on the whole stored item, and the client's projection is
 * applied to the item as the view shows it, so a projection never cuts into a masked value
 * (a projection of {@code address.city} under a whole-value mask of {@code address} gets
 * nothing, as it would from the item as shown). The forwarded read loses its projection and
 * the names only the projection used ({@link #removeFrom}); {@link ReadPlanner#readWhole}
 * says when.
 */
final class Projections {
    private static final List<String> EXPRESSIONS = List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression");

    private Projections() {}

    /**
     * Removes a read's projection from {@code read} (a copy being built for the store): its
     * ProjectionExpression or AttributesToGet, the names only the projection used, and
     * {@code Select: SPECIFIC_ATTRIBUTES}.
     */
    static void removeFrom(ObjectNode read) {
        if (read.hasNonNull("AttributesToGet")) {
            read.remove("AttributesToGet");
        } else {
            read.remove("ProjectionExpression");
            if (read.get("ExpressionAttributeNames") instanceof ObjectNode names) {
                for (Iterator<String> it = names.fieldNames(); it.hasNext(); ) {
                    String placeholder = it.next();
                    if (EXPRESSIONS.stream().noneMatch(m -> read.get(m) != null && uses(read.get(m).asText(), placeholder))) {
                        it.remove();
                    }
                }
                if (names.isEmpty()) read.remove("ExpressionAttributeNames");
            }
        }
        if (read.get("Select") != null && "SPECIFIC_ATTRIBUTES".equals(read.get("Select").asText())) read.remove("Select");
    }

    /** Whether {@code expression} uses the placeholder (not just one that starts with it). */
    private static boolean uses(String expression, String placeholder) {
        for (int i = expression.indexOf(placeholder); i >= 0; i = expression.indexOf(placeholder, i + 1)) {
            int end = i + placeholder.length();
            if (end == expression.length() || !(Character.isLetterOrDigit(expression.charAt(end)) || expression.charAt(end) == '_')) {
                return true;
            }
        }
        return false;
    }
}
