package dev.weir.proxy.enforce.write;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.predicate.Residual;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.Set;

/**
 * Everything weir adds to the condition of one write part (PutItem, UpdateItem, DeleteItem, a
 * TransactWriteItems Put, Update, Delete or ConditionCheck), as one tree the store evaluates
 * atomically with the write, AND-ed with the client's own condition when the request is
 * rendered ({@link dev.weir.proxy.enforce.rewrite.Conjoin}):
 * <pre>
 *   visible rows ({@link VisibleRows})  AND  write scope ({@link WriteScope})  AND  unchanged rows ({@link RowMoves})
 * </pre>
 * A ConditionCheck writes nothing: only the first applies to it. BatchWriteItem carries no
 * conditions (its parts are held to {@link dev.weir.proxy.enforce.flow.WriteGuard} instead).
 * DynamoDB refuses a request that mixes the legacy {@code Expected} or {@code AttributeUpdates}
 * with expressions, so a legacy part that needs a condition is refused (UNENFORCEABLE), asking
 * for the expression form.
 */
public final class AddedCondition {
    private AddedCondition() {}

    /**
     * The condition weir adds to the part ({@link Residual#TRUE}: none).
     *
     * @param allowed     the decision of the write itself (its scope)
     * @param view        the caller's read view of the part's table
     * @param rowDeciding the table's row-deciding paths (null: not known)
     */
    public static Residual of(Part part, Allowed allowed, DecisionRequest decision, ReadView view, Set<Path> rowDeciding,
                              Refusals refuse) {
        Residual added = VisibleRows.of(part, view, refuse);
        if (part.acts() != Operation.GetItem) {
            added = added.and(WriteScope.of(part, allowed, decision, view, refuse)).and(RowMoves.of(part, rowDeciding, view, refuse));
        }
        if (added.equals(Residual.FALSE)) throw refuse.forbidden("the item can never satisfy the policy's condition on it");
        if (!added.equals(Residual.TRUE) && legacy(part)) {
            throw refuse.unenforceable("the legacy Expected and AttributeUpdates cannot be combined with the condition the "
                    + "policy adds; use a ConditionExpression and an UpdateExpression");
        }
        return added;
    }

    private static boolean legacy(Part part) {
        return part.body().has("Expected") || part.body().has("ConditionalOperator") || part.body().has("AttributeUpdates");
    }
}
