package dev.weir.policy.decision;

import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.policy.trigger.RequestTriggerSpec;
import dev.weir.policy.trigger.ScheduleSpec;
import dev.weir.policy.trigger.TriggerSpec;
import dev.weir.protocol.model.Operation;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A compiled policy set: for every (role, table, operation) the rules that can match, and
 * the decision they make. Immutable in meaning and safe to share between threads; publish a
 * new one with an {@code AtomicReference} swap.
 *
 * <h2>Layout</h2>
 * Roles and tables named by the policy are interned to dense int ids; operations use their
 * ordinal. Row 0 is "no declared role" (only {@code *} rules apply), and the last table id
 * stands for every table the policy does not name (only {@code table *} rules apply). Each
 * cell holds the rules of a principal with that one role, inheritance already expanded,
 * split into unconditional rules and rules with a {@code when} clause:
 * <ul>
 *   <li>no conditional rule: the decision is precomputed; a lookup is two array reads;</li>
 *   <li>k conditional rules (k &le; 16): the lookup evaluates the k conditions into a bit mask
 *       and reads the decision for that mask, computed once on first use;</li>
 *   <li>more: computed per request.</li>
 * </ul>
 * None of these allocate once warm. A request with several declared roles combines the
 * cells' rules; those combinations are memoised (bounded) in a concurrent map, the only
 * mutable state besides the lazily filled masks.
 */
public final class DecisionTable {
    private static final int COMBINATION_CACHE_LIMIT = 10_000;
    private static final int MASKED_LIMIT = 16;
    private static final int OPS = Operation.values().length;

    /** What the compiler supplies: each rule's {@code when} condition and the decision of a set of rules. */
    public interface Rules {
        /** How many rules; indexes are 0 to count - 1. */
        int count();

        /** The rule's compiled {@code when} condition, or null when it has none. */
        CompiledCondition when(int rule);

        /** The decision when exactly these rules (sorted indexes) match. */
        Decision decide(int[] rules);
    }

    /** The rules of one cell and their decision(s). */
    private static final class Cell {
        final int[] fixedRules;
        final int[] conditionalRules;
        final CompiledCondition[] conditions;
        final Decision fixed;
        final AtomicReferenceArray<Decision> byMask;

        Cell(int[] fixedRules, int[] conditionalRules, Rules rules, Decision fixed) {
            this.fixedRules = fixedRules;
            this.conditionalRules = conditionalRules;
            this.conditions = new CompiledCondition[conditionalRules.length];
            for (int i = 0; i < conditions.length; i++) conditions[i] = rules.when(conditionalRules[i]);
            this.fixed = fixed;
            this.byMask = conditionalRules.length > 0 && conditionalRules.length <= MASKED_LIMIT
                    ? new AtomicReferenceArray<>(1 << conditionalRules.length) : null;
        }
    }

    private record Combination(BitSet roles, int table, int operation) {}

    private final Map<String, Integer> roleIds;
    private final Map<String, Integer> tableIds;
    private final int otherTable;
    private final int tableCount;
    private final Cell[] cells;
    private final Rules rules;
    private final PolicyFacts facts;
    private final List<TriggerSpec> triggers;
    private final List<ScheduleSpec> schedules;
    private final List<RequestTriggerSpec> requestTriggers;
    private final Map<Combination, Cell> combinations;

    /**
     * @param roleIds   declared role name → row (1-based; row 0 is "no declared role")
     * @param tableIds  named table → column (0-based; {@code tableIds.size()} is "any other table")
     * @param cellRules per cell, indexed {@link #cell}, the sorted indexes of the rules that can
     *                  match; cells with equal contents should share one array
     */
    public DecisionTable(Map<String, Integer> roleIds, Map<String, Integer> tableIds, int[][] cellRules, Rules rules) {
        this(roleIds, tableIds, cellRules, rules, PolicyFacts.UNKNOWN);
    }

    /** @param facts what the policy reads besides the request, found by the compiler in its syntax trees */
    public DecisionTable(Map<String, Integer> roleIds, Map<String, Integer> tableIds, int[][] cellRules, Rules rules,
                         PolicyFacts facts) {
        this.facts = facts;
        this.triggers = List.of();
        this.schedules = List.of();
        this.requestTriggers = List.of();
        this.combinations = new ConcurrentHashMap<>();
        // HashMap, not Map.copyOf: its linear probing degrades on similar names (role1, role2, ...)
        this.roleIds = new HashMap<>(roleIds);
        this.tableIds = new HashMap<>(tableIds);
        this.otherTable = tableIds.size();
        this.tableCount = tableIds.size() + 1;
        int count = (roleIds.size() + 1) * tableCount * OPS;
        if (cellRules.length != count) throw new IllegalArgumentException("table size");
        this.rules = rules;
        this.cells = new Cell[count];
        Map<int[], Cell> shared = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) cells[i] = shared.computeIfAbsent(cellRules[i], this::cellOf);
    }

    /** The same decisions with these triggers (the compiler adds them once the table exists to check them against). */
    private DecisionTable(DecisionTable from, List<TriggerSpec> triggers, List<ScheduleSpec> schedules,
                          List<RequestTriggerSpec> requestTriggers) {
        this.roleIds = from.roleIds;
        this.tableIds = from.tableIds;
        this.otherTable = from.otherTable;
        this.tableCount = from.tableCount;
        this.cells = from.cells;
        this.rules = from.rules;
        this.facts = from.facts;
        this.combinations = from.combinations;
        this.triggers = List.copyOf(triggers);
        this.schedules = List.copyOf(schedules);
        this.requestTriggers = List.copyOf(requestTriggers);
    }

    /** This table with the policy set's stream triggers; shares everything else. */
    public DecisionTable withTriggers(List<TriggerSpec> list) {
        return new DecisionTable(this, list, schedules, requestTriggers);
    }

    /** This table with the policy set's triggers of every kind; shares everything else. */
    public DecisionTable withTriggers(List<TriggerSpec> list, List<ScheduleSpec> scheduled) {
        return new DecisionTable(this, list, scheduled, requestTriggers);
    }

    /** This table with the policy set's triggers of every kind; shares everything else. */
    public DecisionTable withTriggers(List<TriggerSpec> list, List<ScheduleSpec> scheduled, List<RequestTriggerSpec> requests) {
        return new DecisionTable(this, list, scheduled, requests);
    }

    /** The policy set's API-call triggers ({@code trigger on request op [..] on table T}), sorted by id. */
    public List<RequestTriggerSpec> requestTriggers() {
        return requestTriggers;
    }

    /** The policy set's scheduled triggers ({@code trigger every "CRON"}), sorted by id. */
    public List<ScheduleSpec> schedules() {
        return schedules;
    }

    /** The policy set's data-lifecycle triggers, compiled and checked, sorted by id (docs/triggers.md). */
    public List<TriggerSpec> triggers() {
        return triggers;
    }

    private Cell cellOf(int[] ruleIndexes) {
        int conditional = 0;
        for (int r : ruleIndexes) if (rules.when(r) != null) conditional++;
        int[] fixed = new int[ruleIndexes.length - conditional], cond = new int[conditional];
        int f = 0, c = 0;
        for (int r : ruleIndexes) {
            if (rules.when(r) != null) cond[c++] = r;
            else fixed[f++] = r;
        }
        return new Cell(fixed, cond, rules, conditional == 0 ? rules.decide(fixed) : null);
    }

    /** What the policy reads besides the request (table tags, ...), from its syntax trees. */
    public PolicyFacts facts() {
        return facts;
    }

    /** Index of the cell for a role row, table column and operation. */
    public static int cell(int roleRow, int table, int operation, int tableCount) {
        return (roleRow * tableCount + table) * OPS + operation;
    }

    /** The decision for a request. Never throws for a well-formed request; never null. */
    public Decision decide(DecisionRequest request) {
        Integer t = tableIds.get(request.table());
        int table = t == null ? otherTable : t;
        int op = request.operation().ordinal();
        int row = 0;
        BitSet rows = null;
        for (String role : request.roles()) {
            Integer r = roleIds.get(role);
            if (r == null) continue;
            if (row == 0) {
                row = r;
            } else {
                if (rows == null) {
                    rows = new BitSet();
                    rows.set(row);
                }
                rows.set(r);
            }
        }
        Cell cell = rows == null ? cells[cell(row, table, op, tableCount)] : combined(rows, table, op);
        return decide(cell, request);
    }

    private Decision decide(Cell cell, DecisionRequest request) {
        CompiledCondition[] conditions = cell.conditions;
        if (conditions.length == 0) return cell.fixed;
        if (cell.byMask == null) {
            BitSet matched = new BitSet();
            for (int i = 0; i < conditions.length; i++) if (conditions[i].test(null, request)) matched.set(i);
            return rules.decide(matched(cell, matched));
        }
        int mask = 0;
        for (int i = 0; i < conditions.length; i++) if (conditions[i].test(null, request)) mask |= 1 << i;
        Decision d = cell.byMask.get(mask);
        if (d == null) {
            d = rules.decide(matched(cell, BitSet.valueOf(new long[] {mask})));
            cell.byMask.compareAndSet(mask, null, d);
        }
        return d;
    }

    private static int[] matched(Cell cell, BitSet conditionsHeld) {
        int[] out = Arrays.copyOf(cell.fixedRules, cell.fixedRules.length + conditionsHeld.cardinality());
        int n = cell.fixedRules.length;
        for (int i = conditionsHeld.nextSetBit(0); i >= 0; i = conditionsHeld.nextSetBit(i + 1)) {
            out[n++] = cell.conditionalRules[i];
        }
        Arrays.sort(out);
        return out;
    }

    private Cell combined(BitSet rows, int table, int op) {
        Combination key = new Combination(rows, table, op);
        Cell cached = combinations.get(key);
        if (cached != null) return cached;
        BitSet union = new BitSet();
        for (int r = rows.nextSetBit(0); r >= 0; r = rows.nextSetBit(r + 1)) {
            Cell c = cells[cell(r, table, op, tableCount)];
            for (int i : c.fixedRules) union.set(i);
            for (int i : c.conditionalRules) union.set(i);
        }
        Cell cell = cellOf(union.stream().toArray());
        if (combinations.size() < COMBINATION_CACHE_LIMIT) combinations.putIfAbsent(key, cell);
        return cell;
    }

    /** The roles the policy declares. */
    public Set<String> roles() {
        return java.util.Collections.unmodifiableSet(roleIds.keySet());
    }

    /** The tables the policy names. */
    public Set<String> tables() {
        return java.util.Collections.unmodifiableSet(tableIds.keySet());
    }

    /** How many rules were compiled. */
    public int ruleCount() {
        return rules.count();
    }

    @Override public String toString() {
        return "DecisionTable[" + ruleCount() + " rules, roles=" + List.copyOf(roleIds.keySet()).stream().sorted().toList()
                + ", tables=" + tableIds.keySet().stream().sorted().toList() + "]";
    }
}
