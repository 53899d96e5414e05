package dev.weir.proxy.enforce;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.HashMap;
import java.util.Map;

/**
 * The plan step: checks each part of a permitted request against its table's decision, and
 * plans what weir changes before forwarding it. In order, per part:
 * <ol>
 *   <li>side channels ({@link AccessCheck}): what the part tests must be readable in clear,
 *       what it writes inside the allow-list;</li>
 *   <li>write rules ({@link WriteRules}): the item a put writes, what weir cannot enforce;</li>
 *   <li>write conditions ({@link WriteConditions}): the write filter as a condition on the
 *       stored item (single writes and TransactWriteItems parts);</li>
 *   <li>reads ({@link ReadPlanner}): a Query or Scan under a restricted view paged by weir,
 *       other reads under one read whole ({@link Projections}); metadata the caller may not get
 *       withheld.</li>
 * </ol>
 * The first check that refuses ends the request (a {@link Refusal}); the plan of a request
 * that passes them all is its rewrites, from which {@link ForwardBody} builds what is sent.
 */
final class Planner {
    private Planner() {}

    /**
     * The checks of {@link #plan} that need no table schema (side channels, write rules), run
     * on their own before weir reads a schema for a paged read: a request they refuse is refused
     * without a DescribeTable, as it would be without paging. {@link #plan} runs them again.
     */
    static void check(Decided decided) {
        ParsedRequest request = decided.parsed().request();
        for (Part part : request.parts()) {
            TableDecision d = decided.of(part);
            Refusals refuse = Refusals.of(decided.principal(), part.acts(), part.policyTable());
            AccessCheck.check(part, d.allowed().fields(), refuse);
            WriteRules.check(part, d.allowed(), d.request(), refuse, request.operation());
        }
    }

    /** The plan of a request that needs no table schema ({@link ReadPlanner#paged(Decided)} is false). */
    static Plan plan(Decided decided) {
        return plan(decided, null);
    }

    /** @param schema the table's schema when {@link ReadPlanner#paged(Decided)}, else null */
    static Plan plan(Decided decided, dev.weir.proxy.schema.TableSchema schema) {
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
            if (op == Operation.GetItem || op == Operation.BatchGetItem || op == Operation.TransactGetItems) {
                r = r.withReadWhole(ReadPlanner.readWhole(part, d));
            }
            if (!r.isNone()) rewrites.put(part.index(), r);
        }
        PagedRead paged = null;
        if (ReadPlanner.paged(decided)) {
            if (schema == null) throw new IllegalStateException("a paged read without the table's schema");
            paged = ReadPlanner.paged(decided, schema, Refusals.of(decided.principal(), op, request.policyTable()));
        }
        return new Plan(rewrites, paged, ReadPlanner.withheldMetadata(decided));
    }
}
