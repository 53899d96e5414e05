package dev.weir.proxy.enforce;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

/**
 * What an allowed request may write, and what the proxy cannot enforce and so refuses.
 * A PutItem's item must stay inside the caller's allow-list and satisfy the policy's write
 * requirements (else FORBIDDEN). Row filters and requirements that must hold for the item
 * already stored (an update, a delete, a put that replaces) become a condition on that item
 * ({@link WriteConditions}); BatchWriteItem carries no conditions, so under such a filter
 * its puts and deletes are refused (UNENFORCEABLE).
 */
final class WriteRules {
    private WriteRules() {}

    /** @param container the operation the part belongs to (BatchWriteItem, ...), or its own */
    static void check(Part part, Allowed allowed, DecisionRequest decision, Refusals refuse, Operation container) {
        boolean unconditional = container == Operation.BatchWriteItem;
        switch (part.acts()) {
            case PutItem -> {
                if (unconditional && !allowed.requirements().isAll()) {
                    throw refuse.notYet("row filters and write requirements on the item a BatchWriteItem put "
                            + "would replace (BatchWriteItem carries no conditions; use PutItem or TransactWriteItems)");
                }
                allowed.refusesWrite(decision, AttributeValueJson.item(part.body().get("Item"), "Item"))
                        .ifPresent(why -> { throw refuse.forbidden(why); });
            }
            case DeleteItem -> {
                if (unconditional && !allowed.requirements().isAll()) {
                    throw refuse.notYet("row filters and write requirements on the item a BatchWriteItem delete "
                            + "would remove (BatchWriteItem carries no conditions; use DeleteItem or TransactWriteItems)");
                }
            }
            default -> { }
        }
    }
}
