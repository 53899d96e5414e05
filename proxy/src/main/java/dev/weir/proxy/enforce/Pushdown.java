package dev.weir.proxy.enforce;

import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.StoreCondition;
import dev.weir.policy.predicate.StoreCondition.Rendered;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Part;

import java.util.HashSet;
import java.util.Set;

/**
 * Pushes the caller's row filter down to the store as a FilterExpression on Query and Scan,
 * so hidden rows mostly stay in the store. The pushed filter keeps at least every row the
 * policy keeps ({@link StoreCondition#renderComplete}), and weir still tests every returned
 * row, so the answer is the same with or without it; only fewer hidden rows travel. It is
 * joined to the client's filter as a tree (the rendered text is parsed back by the store's
 * grammar with its own placeholders, never spliced).
 *
 * <p>Not pushed down: when the filter has no store form that drops anything; when the request
 * uses the legacy QueryFilter or ScanFilter; and for a Query unless its KeyConditionExpression
 * names two attributes (the index's hash and range key) that the filter does not read, since a
 * Query's FilterExpression may not name key attributes and weir does not know the key schema
 * otherwise.
 */
final class Pushdown {
    private Pushdown() {}

    /** The filter to AND into the part's FilterExpression, or null when none is pushed down. */
    static ConditionExpr filter(Part part, RowFilter rows, DecisionRequest decision) {
        if (rows.isAll() || part.body().has("QueryFilter") || part.body().has("ScanFilter")
                || part.body().has("ConditionalOperator")) {
            return null;
        }
        if (part.acts() == Operation.Query) {
            if (part.expressions().keyCondition() == null) return null;
            Set<String> keys = new HashSet<>();
            for (Path p : part.expressions().keyCondition().paths()) keys.add(p.attribute());
            try {
                if (keys.size() < 2 || StoreCondition.attributes(rows).stream().anyMatch(keys::contains)) return null;
            } catch (StoreCondition.Unexpressible e) {
                return null;
            }
        }
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        if (!(StoreCondition.renderComplete(rows, decision, ph) instanceof Rendered.Expression e)) return null;
        return new ExpressionContext(ph.names(), ph.values()).condition("FilterExpression", e.text()).expression();
    }
}
