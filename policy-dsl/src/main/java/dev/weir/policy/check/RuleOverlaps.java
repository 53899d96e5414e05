package dev.weir.policy.check;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.compile.RoleGraph;
import dev.weir.policy.field.Strictness;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reports rules that never take effect and masks that conflict, by expanding each rule into
 * the (role, table, operation) cells it covers, roles' inheritance included:
 * <ul>
 *   <li><b>shadowed</b>: an allow every one of whose cells is also covered by a deny without
 *       conditions ({@code when}, {@code rows where}): the deny always wins, so the allow never
 *       decides anything;</li>
 *   <li><b>unreachable</b>: a rule on named tables whose operations all name no table
 *       (ListTables, DescribeEndpoints, DescribeLimits), or whose {@code when} is {@code false};</li>
 *   <li><b>mask conflicts</b>: two allows that can match one request give one path different
 *       actions of the same strictness level (show_first(4) and show_last(4), hash and
 *       hmac, two constants): the result is well defined (see Strictness) but almost
 *       certainly not what both authors meant.</li>
 * </ul>
 * All are warnings: the policy still loads.
 */
final class RuleOverlaps {
    private static final Set<Operation> TABLELESS = Set.of(Operation.ListTables, Operation.DescribeEndpoints,
            Operation.DescribeLimits);
    private static final int OPS = Operation.values().length;

    private final List<Diagnostic> diagnostics;
    private final Map<String, Integer> rows = new HashMap<>();
    private final Map<String, Integer> tables = new HashMap<>();
    private final Map<String, List<Integer>> rowsInheriting = new HashMap<>();
    private final int rowCount;
    private final int tableCount;

    private RuleOverlaps(List<Diagnostic> diagnostics, List<RoleDecl> roles, List<Rule> rules) {
        this.diagnostics = diagnostics;
        RoleGraph graph = new RoleGraph(roles);
        for (String r : graph.names()) rows.put(r, rows.size() + 1);
        for (String r : graph.names()) {
            for (String held : graph.closure(r)) rowsInheriting.computeIfAbsent(held, k -> new ArrayList<>()).add(rows.get(r));
        }
        Set<String> named = new TreeSet<>();
        for (Rule rule : rules) if (rule.tables() instanceof Selector.Listed l) l.names().forEach(n -> named.add(n.text()));
        for (String t : named) tables.put(t, tables.size());
        this.rowCount = rows.size() + 1;
        this.tableCount = tables.size() + 1;
    }

    /** Expects a policy set without errors (roles declared, operations known, no cycles). */
    static void report(List<Diagnostic> diagnostics, List<RoleDecl> roles, List<Rule> rules) {
        new RuleOverlaps(diagnostics, roles, rules).run(rules);
    }

    private void run(List<Rule> rules) {
        for (Rule r : rules) unreachable(r);
        BitSet forbidden = new BitSet();
        List<Rule> denies = new ArrayList<>();
        for (Rule r : rules) {
            if (r.effect() == Effect.DENY && r.when().isEmpty() && r.rows().isEmpty()) {
                forEachCell(r, forbidden::set);
                denies.add(r);
            }
        }
        if (!denies.isEmpty()) {
            for (Rule r : rules) {
                if (r.effect() != Effect.ALLOW) continue;
                boolean[] open = {false}, any = {false};
                forEachCell(r, c -> {
                    any[0] = true;
                    if (!forbidden.get(c)) open[0] = true;
                });
                if (any[0] && !open[0]) {
                    BitSet mine = cells(r);
                    List<String> by = denies.stream().filter(d -> cells(d).intersects(mine)).map(d -> "'" + d.id() + "'").toList();
                    diagnostics.add(Diagnostic.warning(r.id().pos(), "rule '" + r.id() + "' is shadowed: every request it"
                            + " matches is forbidden by " + String.join(", ", by) + ", so it never takes effect"));
                }
            }
        }
        maskConflicts(rules);
    }

    private void unreachable(Rule r) {
        if (r.when().map(w -> w.condition() instanceof Condition.Constant c && !c.value()).orElse(false)) {
            diagnostics.add(Diagnostic.warning(r.id().pos(), "rule '" + r.id() + "' is unreachable: its 'when' is false"));
            return;
        }
        if (r.tables() instanceof Selector.Listed) {
            Set<Operation> ops = OperationNames.of(r.operations());
            if (!ops.isEmpty() && TABLELESS.containsAll(ops)) {
                diagnostics.add(Diagnostic.warning(r.operations().pos(), "rule '" + r.id() + "' is unreachable: "
                        + ops.stream().map(Enum::name).sorted().toList() + " name no table, so they match only rules"
                        + " 'on table *'"));
            }
        }
    }

    private BitSet cells(Rule r) {
        BitSet out = new BitSet();
        forEachCell(r, out::set);
        return out;
    }

    private void forEachCell(Rule r, java.util.function.IntConsumer out) {
        List<Integer> ruleRows = new ArrayList<>();
        if (r.principals() instanceof Selector.Listed l) {
            for (Name n : l.names()) ruleRows.addAll(rowsInheriting.getOrDefault(n.text(), List.of()));
        } else {
            for (int i = 0; i < rowCount; i++) ruleRows.add(i);
        }
        List<Integer> cols = new ArrayList<>();
        if (r.tables() instanceof Selector.Listed l) {
            for (Name n : l.names()) cols.add(tables.get(n.text()));
        } else {
            for (int i = 0; i < tableCount; i++) cols.add(i);
        }
        Set<Operation> ops = OperationNames.of(r.operations());
        for (int row : ruleRows) {
            for (int col : cols) {
                for (Operation op : ops) out.accept((row * tableCount + col) * OPS + op.ordinal());
            }
        }
    }

    /** Per path, which action each cell got first; a different one of the same level from another rule conflicts. */
    private void maskConflicts(List<Rule> rules) {
        Map<String, Map<Integer, Clause.Action>> byPath = new TreeMap<>();
        Map<Clause.Action, Rule> owner = new HashMap<>();
        Set<String> reported = new java.util.HashSet<>();
        for (Rule r : rules) {
            if (r.effect() != Effect.ALLOW) continue;
            for (Clause.Action a : r.actions()) {
                if (a.action() instanceof FieldAction.Remove || a.action() instanceof FieldAction.Null) continue;
                owner.put(a, r);
                Map<Integer, Clause.Action> cells = byPath.computeIfAbsent(a.path().toString(), k -> new HashMap<>());
                forEachCell(r, c -> {
                    Clause.Action other = cells.putIfAbsent(c * 8 + a.action().strictness(), a);
                    if (other == null || owner.get(other) == r || other.action().equals(a.action())) return;
                    Rule ro = owner.get(other);
                    if (!reported.add(ro.id().value() + "\u0000" + r.id().value() + "\u0000" + a.path())) return;
                    FieldAction wins = Strictness.stricter(a.action(), other.action());
                    diagnostics.add(Diagnostic.warning(a.pos(), "mask conflict on '" + a.path() + "': rule '"
                            + ro.id() + "' masks it with " + other.action() + ", rule '" + r.id() + "' with " + a.action()
                            + ", and both can match one request; " + wins + " applies"));
                });
            }
        }
    }
}
