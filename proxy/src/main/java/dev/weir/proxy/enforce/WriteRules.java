package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

/**
 * What an allowed request may write, and what the proxy cannot enforce and so refuses.
 * A PutItem's item must stay inside the caller's allow-list and satisfy the policy's write
 * requirements. Row filters and requirements that must hold for the item already stored
 * (an update, a delete, a put that replaces) become a condition on that item
 * ({@link WriteConditions}); BatchWriteItem carries no conditions, so under such a filter
 * its puts and deletes are refused. Under a row filter, {@code Select: COUNT} would count
 * hidden rows, so it is refused too. A projection under a row filter is widened by
 * {@link Projections}, in a single read and in each BatchGetItem or TransactGetItems part.
 */
final class WriteRules {
    private WriteRules() {}

    static void check(DecodedRequest req, Allowed allowed, DecisionRequest decision, String principal) {
        check(req, allowed, decision, principal, req.operation());
    }

    /** @param container the operation the request is a part of (BatchWriteItem, ...), or its own */
    static void check(DecodedRequest req, Allowed allowed, DecisionRequest decision, String principal, Operation container) {
        Operation op = req.operation();
        boolean rowsAll = allowed.rows().isAll();
        boolean unconditional = container == Operation.BatchWriteItem;
        switch (op) {
            case PutItem -> {
                if (unconditional && !allowed.requirements().isAll()) {
                    throw notYet(principal, req, "row filters and write requirements on the item a BatchWriteItem put "
                            + "would replace (BatchWriteItem carries no conditions; use PutItem or TransactWriteItems)");
                }
                allowed.refusesWrite(decision, AttributeValueJson.item(req.body().get("Item"), "Item"))
                        .ifPresent(why -> { throw denied(principal, req, why); });
            }
            case DeleteItem -> {
                if (unconditional && !allowed.requirements().isAll()) {
                    throw notYet(principal, req, "row filters and write requirements on the item a BatchWriteItem delete "
                            + "would remove (BatchWriteItem carries no conditions; use DeleteItem or TransactWriteItems)");
                }
            }
            case Query, Scan -> {
                JsonNode select = req.body().get("Select");
                if (!rowsAll && select != null && "COUNT".equals(select.asText())) {
                    throw denied(principal, req, "Select COUNT would count rows the caller may not see");
                }
            }
            default -> { }
        }
    }

    private static DynamoException denied(String principal, DecodedRequest req, String because) {
        return new DynamoException(DynamoError.accessDenied("User: " + principal + " is not authorized to perform: dynamodb:"
                + req.operation() + " on resource: table/" + req.policyTable() + " because " + because));
    }

    private static DynamoException notYet(String principal, DecodedRequest req, String what) {
        return denied(principal, req, "weir does not enforce " + what + " yet, so the request was refused");
    }
}
