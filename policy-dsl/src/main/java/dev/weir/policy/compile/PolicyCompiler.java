package dev.weir.policy.compile;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.check.OperationNames;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.field.FieldGrant;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a checked policy set into a {@link DecisionTable}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>A rule matches a request when one of the principal's roles (or a role it inherits)
 *       is among the rule's principals (or the rule says {@code *}), the table is among its
 *       tables (or {@code *}), and the operation is among its operations or groups (or
 *       {@code *}).</li>
 *   <li>Any matching deny: {@link Forbidden}, naming every matching deny.</li>
 *   <li>Otherwise no matching allow: {@link NotPermitted} (default deny).</li>
 *   <li>Otherwise {@link Allowed}, naming every matching allow, with the {@link FieldPlan}
 *       merged from all of them (union of fields, strictest action per path).</li>
 *   <li>Rules are ordered by id before anything else, so neither rule nor file order can
 *       change a decision or the order of the ids it names.</li>
 * </ul>
 * The input must have passed {@link dev.weir.policy.check.PolicyChecker} without errors.
 */
public final class PolicyCompiler {
    private static final Operation[] OPERATIONS = Operation.values();

    private final List<CompiledRule> rules;
    private final Map<BitSet, Decision> decided = new HashMap<>();

    private PolicyCompiler(List<CompiledRule> rules) {
        this.rules = rules;
    }

    public static DecisionTable compile(List<PolicyFile> files) {
        List<RoleDecl> roleDecls = files.stream().flatMap(f -> f.roles().stream()).toList();
        List<Rule> astRules = files.stream().flatMap(f -> f.rules().stream())
                .sorted(Comparator.comparing(r -> r.id().value())).toList();
        RoleGraph roles = new RoleGraph(roleDecls);

        Map<String, Integer> roleIds = new HashMap<>();
        for (String r : roles.names()) roleIds.put(r, roleIds.size() + 1);
        Set<String> tableNames = new TreeSet<>();
        for (Rule r : astRules) {
            if (r.tables() instanceof Selector.Listed l) l.names().forEach(n -> tableNames.add(n.text()));
        }
        Map<String, Integer> tableIds = new HashMap<>();
        for (String t : tableNames) tableIds.put(t, tableIds.size());
        int tableCount = tableIds.size() + 1;
        int rows = roleIds.size() + 1;

        BitSet[] cells = new BitSet[rows * tableCount * OPERATIONS.length];
        for (int i = 0; i < cells.length; i++) cells[i] = new BitSet();
        for (int index = 0; index < astRules.size(); index++) {
            Rule rule = astRules.get(index);
            for (int row : rowsOf(rule, roles, roleIds, rows)) {
                for (int table : columnsOf(rule, tableIds, tableCount)) {
                    for (Operation op : operationsOf(rule)) {
                        cells[DecisionTable.cell(row, table, op.ordinal(), tableCount)].set(index);
                    }
                }
            }
        }

        PolicyCompiler compiler = new PolicyCompiler(astRules.stream().map(PolicyCompiler::reduce).toList());
        Decision[] decisions = new Decision[cells.length];
        for (int i = 0; i < cells.length; i++) decisions[i] = compiler.decide(cells[i]);
        return new DecisionTable(roleIds, tableIds, cells, decisions, compiler::decideUncached, astRules.size());
    }

    /** Rows whose principal holds the rule: every row for {@code *}; else each role inheriting a named one. */
    private static List<Integer> rowsOf(Rule rule, RoleGraph roles, Map<String, Integer> roleIds, int rows) {
        List<Integer> out = new ArrayList<>();
        if (rule.principals() instanceof Selector.Listed l) {
            Set<String> named = new TreeSet<>(l.names().stream().map(Name::text).toList());
            for (String role : roles.names()) {
                if (roles.closure(role).stream().anyMatch(named::contains)) out.add(roleIds.get(role));
            }
        } else {
            for (int r = 0; r < rows; r++) out.add(r);
        }
        return out;
    }

    private static List<Integer> columnsOf(Rule rule, Map<String, Integer> tableIds, int tableCount) {
        if (rule.tables() instanceof Selector.Listed l) {
            return l.names().stream().map(n -> tableIds.get(n.text())).distinct().toList();
        }
        List<Integer> all = new ArrayList<>();
        for (int t = 0; t < tableCount; t++) all.add(t);
        return all;
    }

    private static Set<Operation> operationsOf(Rule rule) {
        if (!(rule.operations() instanceof Selector.Listed l)) return EnumSet.allOf(Operation.class);
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (Name n : l.names()) {
            ops.addAll(OperationNames.resolve(n.text())
                    .orElseThrow(() -> new IllegalArgumentException("unchecked policy: unknown operation " + n)));
        }
        return ops;
    }

    private static CompiledRule reduce(Rule rule) {
        return new CompiledRule(rule.id().value(), rule.effect(), rule.reason().map(Clause.Reason::text),
                new FieldGrant(rule.fields().map(Clause.Fields::paths), rule.actions()));
    }

    /** Decides a rule set once per distinct set, so cells with equal sets share one decision. */
    private Decision decide(BitSet ruleSet) {
        return decided.computeIfAbsent(ruleSet, this::decideUncached);
    }

    private Decision decideUncached(BitSet ruleSet) {
        List<CompiledRule> denies = new ArrayList<>(), allows = new ArrayList<>();
        for (int i = ruleSet.nextSetBit(0); i >= 0; i = ruleSet.nextSetBit(i + 1)) {
            CompiledRule r = rules.get(i);
            (r.effect() == Effect.DENY ? denies : allows).add(r);
        }
        if (!denies.isEmpty()) {
            String reason = denies.stream().flatMap(r -> r.reason().stream()).findFirst()
                    .orElse("denied by rule " + denies.getFirst().id());
            return new Forbidden(denies.stream().map(CompiledRule::id).toList(), reason);
        }
        if (allows.isEmpty()) return NotPermitted.INSTANCE;
        return new Allowed(allows.stream().map(CompiledRule::id).toList(),
                FieldPlan.of(allows.stream().map(CompiledRule::grant).toList()));
    }
}
