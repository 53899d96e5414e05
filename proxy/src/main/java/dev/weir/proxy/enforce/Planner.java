package dev.weir.proxy.enforce;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The plan step: checks each part of a permitted request against its table's decision, and
 * plans what weir changes before forwarding it. In order, per part:
 * <ol>
 *   <li>side channels ({@link AccessCheck}): what the part tests must be readable in clear,
 *       what it writes inside the allow-list;</li>
 *   <li>write rules ({@link WriteRules}): the item a put writes, what weir cannot enforce;</li>
 *   <li>write conditions ({@link WriteConditions}): the write filter as a condition on the
 *       stored item (single writes and TransactWriteItems parts);</li>
 *   <li>reads under a row filter: projections read whole ({@link Projections}), the filter
 *       pushed down to Query and Scan ({@link Pushdown}).</li>
 * </ol>
 * The first check that refuses ends the request (a {@link Refusal}); the plan of a request
 * that passes them all is its rewrites, from which {@link ForwardBody} builds what is sent.
 */
final class Planner {
    /** The single-table reads whose projection is read whole under a row filter. */
    private static final Set<Operation> READS = Set.of(Operation.GetItem, Operation.Query, Operation.Scan);

    private Planner() {}

    static Plan plan(Decided decided) {
        ParsedRequest request = decided.parsed().request();
        Operation op = request.operation();
        Map<Integer, Rewrite> rewrites = new HashMap<>();
        for (Part part : request.parts()) {
            TableDecision d = decided.of(part);
            Refusals refuse = Refusals.of(decided.principal(), part.acts(), part.policyTable());
            AccessCheck.check(part, d.allowed().fields(), refuse);
            WriteRules.check(part, d.allowed(), d.request(), refuse, op);
            Rewrite r = Rewrite.NONE;
            boolean conditional = request.isMultiPart() ? op == Operation.TransactWriteItems : WriteConditions.CONDITIONAL.contains(op);
            if (conditional) {
                r = r.withCondition(WriteConditions.condition(part, d.allowed(), d.request(), refuse,
                        request.isMultiPart() && part.acts() == Operation.GetItem));
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
