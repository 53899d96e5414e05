package dev.weir.proxy.enforce.flow;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a part may write, by its write rule (the decision of the write operation itself, never
 * the read view): every path an update sets, removes, adds to or deletes from, and every
 * attribute (and nested attribute) of the item a PutItem writes, must be inside the write
 * rule's allow-list (it may be masked there, not removed); the item a PutItem writes must
 * satisfy the write requirements. Otherwise FORBIDDEN. BatchWriteItem carries no conditions,
 * so under write requirements or row filters (which the store must check on the stored item)
 * its puts and deletes are refused (UNENFORCEABLE).
 */
public final class WriteGuard {
    private WriteGuard() {}

    /** @param container the operation the part belongs to (BatchWriteItem, ...), or its own */
    public static void check(Part part, Operation container, Allowed allowed, DecisionRequest decision, Refusals refuse) {
        boolean unconditional = container == Operation.BatchWriteItem;
        switch (part.acts()) {
            case PutItem -> {
                if (unconditional && !allowed.requirements().isAll()) {
                    throw refuse.notYet("row filters and write requirements on the item a BatchWriteItem put "
                            + "would replace (BatchWriteItem carries no conditions; use PutItem or TransactWriteItems)");
                }
                if (!allowed.judgesWrittenItems()) {
                    // the rule reads nothing of the item: only checked to be well formed, as reading it would (issue 16)
                    AttributeValueJson.checkItem(part.body().get("Item"), "Item");
                    return;
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
            case UpdateItem -> {
                FieldPlan plan = allowed.fields();
                if (plan.isIdentity()) return;
                for (Update u : FlowCheck.updates(part.expressions())) {
                    for (Path p : u.writePaths()) {
                        if (!writable(plan, p)) {
                            throw refuse.forbidden("it writes the field '" + p + "', which is outside the caller's allow-list");
                        }
                    }
                }
            }
            default -> { }
        }
    }

    /** Whether a value written at this path would survive the plan (it may be masked, not removed). */
    static boolean writable(FieldPlan plan, Path path) {
        Map<String, AttributeValue> probe = new LinkedHashMap<>();
        probe.put(path.attribute(), probeValue(path.elements(), 1));
        Object seen = plan.redact(probe).get(path.attribute());
        for (int i = 1; i < path.elements().size() && seen != null; i++) {
            PathElement e = path.elements().get(i);
            seen = switch (e) {
                case PathElement.Name n -> seen instanceof AttributeValue.M m ? m.value().get(n.name()) : null;
                case PathElement.Index ignored -> seen instanceof AttributeValue.L l && !l.value().isEmpty() ? l.value().getFirst() : null;
            };
        }
        return seen != null;
    }

    private static AttributeValue probeValue(List<PathElement> elements, int from) {
        if (from >= elements.size()) return new AttributeValue.S("");
        return switch (elements.get(from)) {
            case PathElement.Name n -> new AttributeValue.M(Map.of(n.name(), probeValue(elements, from + 1)));
            case PathElement.Index ignored -> new AttributeValue.L(List.of(probeValue(elements, from + 1)));
        };
    }
}
