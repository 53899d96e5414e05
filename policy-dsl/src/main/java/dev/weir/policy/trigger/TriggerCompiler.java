package dev.weir.policy.trigger;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.NetworkDecl;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.Trigger;
import dev.weir.policy.ast.TriggerClause;
import dev.weir.policy.ast.TriggerSource;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.policy.predicate.ConditionCompiler;
import dev.weir.policy.predicate.ItemPaths;
import dev.weir.policy.schema.TableSchema;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles checked triggers against the compiled policy, and refuses a trigger that would
 * decide on what its role may not see: the role must be allowed to read the table's stream
 * ({@code GetRecords}), and every attribute its {@code rows where} and {@code changed} read
 * must be in the role's read view in clear. (The trigger's input is cut through that view; a
 * trigger that fired on a hidden value would tell the function something the role may not
 * know.) The view is the one a principal holding only that role, with no attributes and no
 * request context, gets; rules whose {@code when} needs more do not match it.
 */
public final class TriggerCompiler {
    private TriggerCompiler() {}

    /** The compiled triggers, or the errors (file:line:column) that refuse the policy set. */
    public record Result(List<TriggerSpec> triggers, List<ScheduleSpec> schedules, List<RequestTriggerSpec> requests,
                         List<Diagnostic> diagnostics) {
        public Result {
            triggers = List.copyOf(triggers);
            schedules = List.copyOf(schedules);
            requests = List.copyOf(requests);
            diagnostics = List.copyOf(diagnostics);
        }

        public Result(List<TriggerSpec> triggers, List<ScheduleSpec> schedules, List<Diagnostic> diagnostics) {
            this(triggers, schedules, List.of(), diagnostics);
        }
    }

    public static Result compile(List<PolicyFile> files, DecisionTable table) {
        return compile(files, table, Optional.empty());
    }

    /**
     * @param schema the policy set's {@code schema.yaml}, if any: with a table's {@code key}, an API-call
     *               trigger whose role does not read a key attribute in the clear is refused here
     */
    public static Result compile(List<PolicyFile> files, DecisionTable table, Optional<TableSchema> schema) {
        Map<String, List<CidrBlock>> networks = new HashMap<>();
        for (PolicyFile f : files) {
            for (NetworkDecl n : f.networks()) networks.putIfAbsent(n.name().text(), n.blocks());
        }
        ConditionCompiler conditions = new ConditionCompiler(networks);
        List<TriggerSpec> out = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<ScheduleSpec> schedules = new ArrayList<>();
        List<RequestTriggerSpec> requests = new ArrayList<>();
        for (PolicyFile f : files) {
            for (Trigger t : f.triggers()) {
                if (t.source() instanceof TriggerSource.Every every) {
                    schedules.add(schedule(t, every));
                    continue;
                }
                if (t.source() instanceof TriggerSource.Request request) {
                    RequestTriggerSpec spec = request(t, request, table, schema, diagnostics);
                    if (spec != null) requests.add(spec);
                    continue;
                }
                TriggerSpec spec = compile(t, table, conditions, diagnostics);
                if (spec != null) out.add(spec);
            }
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        schedules.sort((a, b) -> a.id().compareTo(b.id()));
        requests.sort((a, b) -> a.id().compareTo(b.id()));
        return new Result(out, schedules, requests, diagnostics);
    }

    /** The role's view of the table's stream, as the worker uses it too. */
    public static DecisionRequest viewRequest(String role, String table) {
        return new DecisionRequest(Set.of(role), table, Operation.GetRecords);
    }

    private static TriggerSpec compile(Trigger t, DecisionTable table, ConditionCompiler conditions, List<Diagnostic> diagnostics) {
        Name role = t.clause(TriggerClause.RunAs.class).orElseThrow().role();
        String tableName = t.table().text();
        int before = diagnostics.size();
        Decision decision = table.decide(viewRequest(role.text(), tableName));
        if (!(decision instanceof Allowed allowed)) {
            diagnostics.add(Diagnostic.error(role.pos(), "role '" + role.text() + "' may not read the stream of table "
                    + tableName + " (no rule allows it GetRecords" + (decision.ruleIds().isEmpty() ? "" : "; "
                    + String.join(", ", decision.ruleIds()) + " forbid" + (decision.ruleIds().size() == 1 ? "s" : "") + " it")
                    + "), so the trigger would never see a change"));
            return null;
        }
        CompiledCondition rows = CompiledCondition.TRUE;
        var rowsClause = t.clause(TriggerClause.Rows.class);
        if (rowsClause.isPresent()) {
            Set<Path> read = new LinkedHashSet<>();
            ItemPaths.collect(rowsClause.get().condition(), read);
            for (Path p : read) {
                if (!allowed.fields().isIdentity() && !allowed.fields().canReadInClear(p)) {
                    diagnostics.add(Diagnostic.error(rowsClause.get().pos(), "'rows where' reads '" + p
                            + "', which role '" + role.text() + "' does not read in the clear on table " + tableName
                            + ": the trigger would decide on data its role may not see"));
                }
            }
            rows = conditions.compile(rowsClause.get().condition());
        }
        List<Path> changed = new ArrayList<>();
        for (FieldPath fp : t.clause(TriggerClause.Changed.class).map(TriggerClause.Changed::paths).orElse(List.of())) {
            Path p = path(fp);
            if (!allowed.fields().isIdentity() && !allowed.fields().canReadInClear(p)) {
                diagnostics.add(Diagnostic.error(fp.pos(), "'changed' names '" + fp + "', which role '" + role.text()
                        + "' does not read in the clear on table " + tableName
                        + ": the trigger would decide on data its role may not see"));
            }
            changed.add(p);
        }
        if (diagnostics.size() > before) return null;
        Set<ChangeEvent> events = EnumSet.noneOf(ChangeEvent.class);
        t.clause(TriggerClause.Events.class).ifPresentOrElse(
                e -> e.events().forEach(n -> events.add(ChangeEvent.named(n.text()))),
                () -> events.addAll(EnumSet.allOf(ChangeEvent.class)));
        var retry = t.clause(TriggerClause.Retry.class);
        return new TriggerSpec(t.id().value(), tableName, events, rows, changed,
                URI.create(t.clause(TriggerClause.Call.class).orElseThrow().url()), role.text(),
                (int) t.clause(TriggerClause.Batch.class).map(TriggerClause.Batch::size).orElse((long) TriggerSpec.DEFAULT_BATCH).longValue(),
                (int) retry.map(TriggerClause.Retry::attempts).orElse((long) TriggerSpec.DEFAULT_RETRIES).longValue(),
                retry.map(TriggerClause.Retry::low).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_LOW),
                retry.map(TriggerClause.Retry::high).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_HIGH),
                t.clause(TriggerClause.Mark.class).orElseThrow().attribute().text(), t.pos());
    }

    /** The role's read view of one item of the table, which cuts the keys an API-call trigger sends. */
    public static DecisionRequest keyViewRequest(String role, String table) {
        return new DecisionRequest(Set.of(role), table, Operation.GetItem);
    }

    /**
     * A checked API-call trigger: its role must be allowed to read the table's items
     * ({@code GetItem}), all of its rows (a role that sees only some could not tell whether the
     * request's item is one of them, so the call would tell it of a row it may not see), and,
     * when the schema names the table's key, every key attribute in the clear (the payload
     * carries the request's keys; a masked one would still tell which item was touched). Without
     * a key in the schema the same is enforced per request, when the key is cut
     * ({@code RequestTriggerQueue}): nothing is sent for a key the role cannot read in the clear.
     */
    private static RequestTriggerSpec request(Trigger t, TriggerSource.Request r, DecisionTable table, Optional<TableSchema> schema,
                                              List<Diagnostic> diagnostics) {
        Name role = t.clause(TriggerClause.RunAs.class).orElseThrow().role();
        String tableName = r.table().text();
        Decision decision = table.decide(keyViewRequest(role.text(), tableName));
        if (!(decision instanceof Allowed allowed)) {
            diagnostics.add(Diagnostic.error(role.pos(), "role '" + role.text() + "' may not read the items of table "
                    + tableName + " (no rule allows it GetItem), so it may not learn the keys the trigger would send"));
            return null;
        }
        if (!allowed.rows().isAll()) {
            diagnostics.add(Diagnostic.error(role.pos(), "role '" + role.text() + "' reads only some rows of table " + tableName
                    + ": a request trigger cannot tell whether the request's item is one of them, so it would tell the role of rows it may not see"));
            return null;
        }
        List<String> key = schema.flatMap(s -> s.key(tableName)).orElse(List.of());
        boolean hidden = false;
        for (String attribute : key) {
            FieldPlan fields = allowed.fields();
            if (fields.isIdentity() || fields.canReadInClear(Path.of(attribute))) continue;
            String how = fields.removedPaths().contains(attribute) ? "removes it"
                    : fields.maskedPaths().contains(attribute) ? "masks it" : "it is not among the role's fields";
            diagnostics.add(Diagnostic.error(role.pos(), "role '" + role.text() + "' does not read the key attribute '" + attribute
                    + "' of table " + tableName + " in the clear (" + how + "; schema.yaml names the key " + key
                    + "): the trigger would send its function key values its role may not read"));
            hidden = true;
        }
        if (hidden) return null;
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (Name op : r.operations()) ops.add(Operation.byName(op.text()));
        var retry = t.clause(TriggerClause.Retry.class);
        return new RequestTriggerSpec(t.id().value(), tableName, ops, URI.create(t.clause(TriggerClause.Call.class).orElseThrow().url()),
                role.text(),
                (int) retry.map(TriggerClause.Retry::attempts).orElse((long) TriggerSpec.DEFAULT_RETRIES).longValue(),
                retry.map(TriggerClause.Retry::low).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_LOW),
                retry.map(TriggerClause.Retry::high).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_HIGH), t.pos());
    }

    /** A checked schedule (the checker has parsed its cron already). */
    private static ScheduleSpec schedule(Trigger t, TriggerSource.Every every) {
        Cron cron;
        try {
            cron = Cron.parse(every.cron());
        } catch (Cron.Invalid e) {
            throw new IllegalStateException("unchecked schedule " + every.cron(), e);
        }
        var retry = t.clause(TriggerClause.Retry.class);
        return new ScheduleSpec(t.id().value(), cron, URI.create(t.clause(TriggerClause.Call.class).orElseThrow().url()),
                t.clause(TriggerClause.RunAs.class).orElseThrow().role().text(),
                (int) retry.map(TriggerClause.Retry::attempts).orElse((long) TriggerSpec.DEFAULT_RETRIES).longValue(),
                retry.map(TriggerClause.Retry::low).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_LOW),
                retry.map(TriggerClause.Retry::high).filter(d -> d != null).orElse(TriggerSpec.DEFAULT_BACKOFF_HIGH), t.pos());
    }

    private static Path path(FieldPath fp) {
        List<String> names = new ArrayList<>();
        for (PathSegment s : fp.segments()) names.add(((PathSegment.Attribute) s).name());
        return Path.of(names.getFirst(), names.subList(1, names.size()).toArray());
    }
}
