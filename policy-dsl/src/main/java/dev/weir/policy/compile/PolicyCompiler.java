package dev.weir.policy.compile;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.NetworkDecl;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.check.OperationNames;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.ReservedTables;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.CompiledCondition.Origin;
import dev.weir.policy.field.FieldGrant;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.policy.predicate.ConditionCompiler;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a checked policy set into a {@link DecisionTable}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>A rule matches a request when one of the principal's roles (or a role it inherits)
 *       is among the rule's principals (or the rule says {@code *}), the table is among its
 *       tables (or {@code *}), the operation is among its operations or groups (or
 *       {@code *}), and its {@code when} condition (if any) holds for the request.</li>
 *   <li>Any matching deny without {@code rows where}: {@link Forbidden}, naming every such deny.</li>
 *   <li>Otherwise no matching allow: {@link NotPermitted} (default deny).</li>
 *   <li>Otherwise {@link Allowed}, naming every matching allow and every matching deny with
 *       {@code rows where}, with the {@link FieldPlan} merged from the allows (union of
 *       fields, strictest action per path), the row filter (allows' {@code rows where} OR'ed,
 *       an allow without one meaning every row, AND NOT the denies' {@code rows where}) and
 *       the write requirements (per allow its {@code rows where} AND its {@code require},
 *       OR'ed, AND NOT the denies' {@code rows where}).</li>
 *   <li>Rules are ordered by id before anything else, so neither rule nor file order can
 *       change a decision or the order of the ids it names.</li>
 * </ul>
 * The input must have passed {@link dev.weir.policy.check.PolicyChecker} without errors.
 */
public final class PolicyCompiler implements DecisionTable.Rules {
    private static final Operation[] OPERATIONS = Operation.values();

    private final List<CompiledRule> rules;
    private final HmacKeys keys;
    private final Map<Key, Decision> decided = new ConcurrentHashMap<>();

    /** An int[] with value equality, as a memo key. */
    private record Key(int[] rules) {
        @Override public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(rules, k.rules);
        }

        @Override public int hashCode() {
            return Arrays.hashCode(rules);
        }
    }

    private PolicyCompiler(List<CompiledRule> rules, HmacKeys keys) {
        this.rules = rules;
        this.keys = keys;
    }

    public static DecisionTable compile(List<PolicyFile> files) {
        return compile(files, HmacKeys.none());
    }

    /** @param keys the keys {@code hmac} masks use (the checker made sure every named key exists) */
    public static DecisionTable compile(List<PolicyFile> files, HmacKeys keys) {
        List<RoleDecl> roleDecls = files.stream().flatMap(f -> f.roles().stream()).toList();
        List<Rule> astRules = files.stream().flatMap(f -> f.rules().stream())
                .sorted(Comparator.comparing(r -> r.id().value())).toList();
        Map<String, List<CidrBlock>> networks = new HashMap<>();
        for (PolicyFile f : files) {
            for (NetworkDecl n : f.networks()) networks.putIfAbsent(n.name().text(), n.blocks());
        }
        ConditionCompiler conditions = new ConditionCompiler(networks);
        RoleGraph roles = new RoleGraph(roleDecls);

        Map<String, Integer> roleIds = new HashMap<>();
        for (String r : roles.names()) roleIds.put(r, roleIds.size() + 1);
        Set<String> tableNames = new TreeSet<>(ReservedTables.NAMES);   // their own columns: see columnsOf
        for (Rule r : astRules) {
            if (r.tables() instanceof Selector.Listed l) l.names().forEach(n -> tableNames.add(n.text()));
        }
        Map<String, Integer> tableIds = new HashMap<>();
        for (String t : tableNames) tableIds.put(t, tableIds.size());
        int tableCount = tableIds.size() + 1;
        int rows = roleIds.size() + 1;
        Map<String, List<Integer>> rowsInheriting = new HashMap<>();
        for (String role : roles.names()) {
            for (String held : roles.closure(role)) rowsInheriting.computeIfAbsent(held, k -> new ArrayList<>()).add(roleIds.get(role));
        }

        int cellCount = rows * tableCount * OPERATIONS.length;
        int[][] lists = new int[cellCount][];
        int[] sizes = new int[cellCount];
        for (int index = 0; index < astRules.size(); index++) {
            Rule rule = astRules.get(index);
            int[] ruleRows = rowsOf(rule, rowsInheriting, rows);
            int[] columns = columnsOf(rule, tableIds, tableCount);
            Set<Operation> ops = operationsOf(rule);
            for (int row : ruleRows) {
                for (int table : columns) {
                    for (Operation op : ops) {
                        int c = DecisionTable.cell(row, table, op.ordinal(), tableCount);
                        int[] list = lists[c];
                        if (list == null) list = lists[c] = new int[2];
                        else if (sizes[c] == list.length) list = lists[c] = Arrays.copyOf(list, list.length * 2);
                        list[sizes[c]++] = index;
                    }
                }
            }
        }
        int[][] cellRules = new int[cellCount][];
        Map<Key, int[]> interned = new HashMap<>();
        int[] empty = new int[0];
        for (int c = 0; c < cellCount; c++) {
            if (lists[c] == null) {
                cellRules[c] = empty;
            } else {
                int[] exact = Arrays.copyOf(lists[c], sizes[c]);
                cellRules[c] = interned.computeIfAbsent(new Key(exact), k -> k.rules());
            }
        }
        PolicyCompiler compiler = new PolicyCompiler(astRules.stream().map(r -> reduce(r, conditions)).toList(), keys);
        return new DecisionTable(roleIds, tableIds, cellRules, compiler, FactFinder.of(files));
    }

    /** Rows whose principal holds the rule: every row for {@code *}; else each role inheriting a named one. */
    private static int[] rowsOf(Rule rule, Map<String, List<Integer>> rowsInheriting, int rows) {
        if (rule.principals() instanceof Selector.Listed l) {
            Set<Integer> out = new TreeSet<>();
            for (Name n : l.names()) out.addAll(rowsInheriting.getOrDefault(n.text(), List.of()));
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] all = new int[rows];
        for (int r = 0; r < rows; r++) all[r] = r;
        return all;
    }

    /**
     * The table columns a rule applies to: the tables it names; for {@code *} every column, except
     * that an allow skips weir's own tables ({@link ReservedTables}: only a rule naming one grants it).
     */
    private static int[] columnsOf(Rule rule, Map<String, Integer> tableIds, int tableCount) {
        if (rule.tables() instanceof Selector.Listed l) {
            return l.names().stream().mapToInt(n -> tableIds.get(n.text())).distinct().toArray();
        }
        Set<Integer> reserved = new java.util.HashSet<>();
        if (rule.effect() == Effect.ALLOW) ReservedTables.NAMES.forEach(n -> reserved.add(tableIds.get(n)));
        return java.util.stream.IntStream.range(0, tableCount).filter(t -> !reserved.contains(t)).toArray();
    }

    static Set<Operation> operationsOf(Rule rule) {
        return OperationNames.of(rule.operations());
    }

    private static CompiledRule reduce(Rule rule, ConditionCompiler conditions) {
        return new CompiledRule(rule.id().value(), rule.effect(), rule.reason().map(Clause.Reason::text),
                new FieldGrant(rule.fields().map(Clause.Fields::paths), rule.actions()),
                rule.when().map(w -> conditions.compile(w.condition())).orElse(null),
                rule.rows().map(w -> conditions.compile(w.condition())).orElse(null),
                rule.require().map(w -> conditions.compile(w.condition())).orElse(null));
    }

    @Override
    public int count() {
        return rules.size();
    }

    @Override
    public CompiledCondition when(int rule) {
        return rules.get(rule).when();
    }

    /** Decides a rule set once per distinct set, so cells with equal sets share one decision. */
    @Override
    public Decision decide(int[] ruleSet) {
        Key key = new Key(ruleSet);
        Decision d = decided.get(key);
        if (d != null) return d;
        d = decideUncached(ruleSet);
        if (decided.size() < 100_000) decided.putIfAbsent(key, d);
        return d;
    }

    private Decision decideUncached(int[] ruleSet) {
        List<CompiledRule> forbidding = new ArrayList<>(), rowDenies = new ArrayList<>(), allows = new ArrayList<>();
        for (int i : ruleSet) {
            CompiledRule r = rules.get(i);
            if (r.forbids()) forbidding.add(r);
            else if (r.effect() == Effect.DENY) rowDenies.add(r);
            else allows.add(r);
        }
        if (!forbidding.isEmpty()) {
            String reason = forbidding.stream().flatMap(r -> r.reason().stream()).findFirst()
                    .orElse("denied by rule " + forbidding.getFirst().id());
            return new Forbidden(forbidding.stream().map(CompiledRule::id).toList(), reason);
        }
        if (allows.isEmpty()) return NotPermitted.INSTANCE;
        List<CompiledCondition> denyRows = rowDenies.stream().map(CompiledRule::rows).toList();
        RowFilter rows = new RowFilter(allows.stream().map(r -> r.rows() == null ? CompiledCondition.TRUE : r.rows()).toList(), denyRows);
        RowFilter requirements = new RowFilter(allows.stream().map(PolicyCompiler::writeCondition).toList(), denyRows);
        List<String> ids = new ArrayList<>();
        allows.forEach(r -> ids.add(r.id()));
        rowDenies.forEach(r -> ids.add(r.id()));
        ids.sort(Comparator.naturalOrder());
        return new Allowed(ids, FieldPlan.of(allows.stream().map(CompiledRule::grant).toList(), keys), rows, requirements);
    }

    /** What an item written under one allow must satisfy: its rows condition and its requirement. */
    private static CompiledCondition writeCondition(CompiledRule r) {
        if (r.rows() == null) return r.require() == null ? CompiledCondition.TRUE : r.require();
        if (r.require() == null) return r.rows();
        CompiledCondition a = r.rows(), b = r.require();
        return new CompiledCondition() {
            public boolean test(Map<String, dev.weir.protocol.model.AttributeValue> item,
                                dev.weir.policy.decision.DecisionRequest request) {
                return a.test(item, request) && b.test(item, request);
            }

            @Override public String toString() {
                return "(" + a + ") and (" + b + ")";
            }

            @Override public Origin origin() {
                if (a == CompiledCondition.TRUE) return b.origin();
                if (b == CompiledCondition.TRUE) return a.origin();
                Origin x = a.origin(), y = b.origin();
                if (x == null || y == null) return null;
                return new Origin(new dev.weir.policy.ast.Condition.And(x.condition(), y.condition(),
                        x.condition().pos()), x.compiler());
            }
        };
    }
}
