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
import dev.weir.proxy.schema.TableSchema;

import java.util.HashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

/**
 * The plan step: checks each part of a permitted request against its table's decision, and
 * plans what weir changes before forwarding it. In order, per part:
 * <ol>
 *   <li>information flow ({@link FlowCheck}): what the part reads must be readable in clear in
 *       the caller's read view;</li>
 *   <li>what it writes ({@link WriteGuard}): inside the write rule's allow-list, a put's item
 *       within the write requirements, nothing a BatchWriteItem cannot carry;</li>
 *   <li>writes and ConditionChecks ({@link AddedCondition}): visible rows, write scope and
 *       unchanged rows as one condition on the stored item; returned values asked whole
 *       ({@link ReturnedValues});</li>
 *   <li>reads ({@link ReadPlanner}): a Query or Scan under a restricted view paged by weir,
 *       other reads under one read whole ({@link Projections}); metadata the caller may not get
 *       withheld.</li>
 * </ol>
 * The first check that refuses ends the request (a {@link Refusal}); the plan of a request
 * that passes them all is its rewrites, from which {@link ForwardBody} builds what is sent.
 */
final class Planner {
    /** The single writes that may carry a condition weir adds. */
    private static final Set<Operation> CONDITIONAL = EnumSet.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem);
    /** The reads weir reads whole, and projects after the view, under a restricted view. */
    private static final Set<Operation> READ_WHOLE = EnumSet.of(Operation.GetItem, Operation.BatchGetItem, Operation.TransactGetItems);

    private Planner() {}

    /**
     * The checks of {@link #plan} that need no table schema (information flow, what a write
     * writes), run on their own before weir reads a schema for a paged read: a request they
     * refuse is refused without a DescribeTable, as it would be without paging. {@link #plan}
     * runs them again.
     */
    static void check(Decided decided) {
        ParsedRequest request = decided.parsed().request();
        for (Part part : request.parts()) checkPart(decided, part);
    }

    private static Refusals checkPart(Decided decided, Part part) {
        Operation op = decided.parsed().request().operation();
        TableDecision d = decided.of(part);
        Refusals refuse = Refusals.of(decided.principal(), part.acts(), part.policyTable());
        FlowCheck.check(part, op, d.view(), refuse);
        WriteGuard.check(part, op, d.allowed(), d.request(), refuse);
        return refuse;
    }

    /** @param schema the table's schema when {@link ReadPlanner#paged(Decided)}, else null */
    static Plan plan(Decided decided, TableSchema schema) {
        ParsedRequest request = decided.parsed().request();
        Operation op = request.operation();
        Map<Integer, Rewrite> rewrites = new HashMap<>();
        for (Part part : request.parts()) {
            TableDecision d = decided.of(part);
            Refusals refuse = checkPart(decided, part);
            Rewrite r = Rewrite.NONE;
            boolean conditional = request.isMultiPart() ? op == Operation.TransactWriteItems : CONDITIONAL.contains(op);
            if (conditional) {
                Set<Path> rowDeciding = decided.parsed().policy().table().facts().rowDecidingPaths(part.policyTable());
                r = r.withCondition(Conjoin.added(AddedCondition.of(part, d.allowed(), d.request(), d.view(), rowDeciding, refuse)))
                        .withReturnValues(ReturnedValues.forwarded(part, d.view()));
            }
            if (READ_WHOLE.contains(op)) r = r.withReadWhole(ReadPlanner.readWhole(part, d));
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
