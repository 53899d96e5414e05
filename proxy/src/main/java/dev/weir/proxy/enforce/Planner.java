package dev.weir.proxy.enforce;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.flow.WriteGuard;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.rewrite.Conjoin;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.write.AddedCondition;
import dev.weir.proxy.enforce.write.ReturnedValues;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The plan step: checks each part of a permitted request against its table's decision, and
 * plans what weir changes before forwarding it. In order, per part:
 * <ol>
 *   <li>information flow ({@link FlowCheck}): what the part reads must be readable in clear in
 *       the caller's read view;</li>
 *   <li>what it writes ({@link WriteGuard}): inside the write rule's allow-list, a put's item
 *       within the write requirements; {@link WriteRules}: what weir cannot enforce;</li>
 *   <li>writes and ConditionChecks ({@link AddedCondition}): visible rows, write scope and
 *       unchanged rows as one condition on the stored item; returned values asked whole
 *       ({@link ReturnedValues});</li>
 *   <li>reads under a row filter: projections read whole ({@link Projections}), the filter
 *       pushed down to Query and Scan ({@link Pushdown}).</li>
 * </ol>
 * The first check that refuses ends the request (a {@link Refusal}); the plan of a request
 * that passes them all is its rewrites, from which {@link ForwardBody} builds what is sent.
 */
final class Planner {
    /** The single-table reads whose projection is read whole under a row filter. */
    private static final Set<Operation> READS = Set.of(Operation.GetItem, Operation.Query, Operation.Scan);
    /** The single writes that may carry a condition weir adds. */
    private static final Set<Operation> CONDITIONAL = Set.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem);

    private Planner() {}

    static Plan plan(Decided decided) {
        ParsedRequest request = decided.parsed().request();
        Operation op = request.operation();
        Map<Integer, Rewrite> rewrites = new HashMap<>();
        for (Part part : request.parts()) {
            TableDecision d = decided.of(part);
            Refusals refuse = Refusals.of(decided.principal(), part.acts(), part.policyTable());
            FlowCheck.check(part, op, d.view(), refuse);
            WriteGuard.check(part, op, d.allowed(), d.request(), refuse);
            WriteRules.check(part, d.allowed(), refuse);
            Rewrite r = Rewrite.NONE;
            boolean conditional = request.isMultiPart() ? op == Operation.TransactWriteItems : CONDITIONAL.contains(op);
            if (conditional) {
                Set<Path> rowDeciding = decided.parsed().policy().table().facts().rowDecidingPaths(part.policyTable());
                r = r.withCondition(Conjoin.added(AddedCondition.of(part, d.allowed(), d.request(), d.view(), rowDeciding, refuse)))
                        .withReturnValues(ReturnedValues.forwarded(part, d.view()));
            }
            boolean read = request.isMultiPart() ? op == Operation.BatchGetItem || op == Operation.TransactGetItems : READS.contains(op);
            if (read) {
                r = r.withReadWhole(Projections.readWhole(part, d.allowed().rows()));
                if (!request.isMultiPart() && op != Operation.GetItem) {
                    r = r.withFilter(Pushdown.filter(part, d.allowed().rows(), d.request()));
                }
            }
            if (!r.isNone()) rewrites.put(part.index(), r);
        }
        return new Plan(rewrites);
    }
}
