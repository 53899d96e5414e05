package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.StoreCondition;
import dev.weir.policy.predicate.StoreCondition.Rendered;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;

import java.util.HashSet;
import java.util.Set;

/**
 * Pushes the caller's row filter down to the store as a FilterExpression on Query and Scan,
 * so hidden rows mostly stay in the store. The pushed filter keeps at least every row the
 * policy keeps ({@link StoreCondition#renderComplete}), and weir still tests every returned
 * row, so the answer is the same with or without it; only fewer hidden rows travel.
 *
 * <p>Not pushed down: when the filter has no store form that drops anything; when the request
 * uses the legacy QueryFilter or ScanFilter, or weir's own placeholder prefix; and for a Query
 * unless its KeyConditionExpression names two attributes (the index's hash and range key)
 * that the filter does not read, since a Query's FilterExpression may not name key attributes
 * and weir does not know the key schema otherwise.
 */
final class Pushdown {
    private Pushdown() {}

    /** Adds the filter to the body in place; returns whether it did. */
    static boolean apply(DecodedRequest req, RowFilter rows, DecisionRequest decision) {
        ObjectNode body = req.body();
        if (rows.isAll() || body.has("QueryFilter") || body.has("ScanFilter") || body.has("ConditionalOperator")
                || WriteConditions.reservedPlaceholder(body) != null) {
            return false;
        }
        if (req.operation() == dev.weir.protocol.model.Operation.Query) {
            JsonNode key = body.get("KeyConditionExpression");
            if (key == null || !key.isTextual()) return false;
            Set<String> keys = new HashSet<>();
            for (Path p : new ExpressionContext(AccessCheck.names(body), AccessCheck.values(body))
                    .condition("KeyConditionExpression", key.textValue()).paths()) {
                keys.add(p.attribute());
            }
            try {
                if (keys.size() < 2 || StoreCondition.attributes(rows).stream().anyMatch(keys::contains)) return false;
            } catch (StoreCondition.Unexpressible e) {
                return false;
            }
        }
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        if (!(StoreCondition.renderComplete(rows, decision, ph) instanceof Rendered.Expression e)) return false;
        WriteConditions.mergeInto(body, "FilterExpression", e, ph);
        return true;
    }
}
