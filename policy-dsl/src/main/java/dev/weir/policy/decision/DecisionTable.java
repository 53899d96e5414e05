package dev.weir.policy.decision;

import dev.weir.protocol.model.Operation;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled policy set: the decision for every (role, table, operation), precomputed.
 * Immutable and safe to share between threads; publish a new one with an
 * {@code AtomicReference} swap.
 *
 * <h2>Layout</h2>
 * Roles and tables named by the policy are interned to dense int ids; operations use their
 * ordinal. Row 0 is "no declared role" (only {@code *} rules apply), and the last table id
 * stands for every table the policy does not name (only {@code table *} rules apply). Each
 * cell holds the decision for a principal with that one role, inheritance already
 * expanded; equal decisions are shared. A request with several declared roles combines
 * the cells' rule sets; those combinations are memoised (bounded), which is the only
 * mutable state and is a concurrent map.
 */
public final class DecisionTable {
    private static final int COMBINATION_CACHE_LIMIT = 10_000;
    private static final int OPS = Operation.values().length;

    private final Map<String, Integer> roleIds;
    private final Map<String, Integer> tableIds;
    private final int otherTable;
    private final int tableCount;
    private final Decision[] decisions;
    private final BitSet[] ruleSets;
    private final RuleSetDecider decider;
    private final int ruleCount;
    private final Map<Combination, Decision> combinations = new ConcurrentHashMap<>();

    /** Turns a set of rule indexes into a decision; supplied by the compiler. */
    @FunctionalInterface
    public interface RuleSetDecider {
        Decision decide(BitSet rules);
    }

    private record Combination(BitSet roles, int table, int operation) {}

    /**
     * @param roleIds   declared role name → row (1-based; row 0 is "no declared role")
     * @param tableIds  named table → column (0-based; {@code tableIds.size()} is "any other table")
     * @param ruleSets  per cell, indexed {@link #cell}, the matching rule indexes
     * @param decisions per cell, the decision for exactly those rules
     * @param decider   decides a union of rule sets (for several roles)
     */
    public DecisionTable(Map<String, Integer> roleIds, Map<String, Integer> tableIds, BitSet[] ruleSets,
                         Decision[] decisions, RuleSetDecider decider, int ruleCount) {
        this.roleIds = Map.copyOf(roleIds);
        this.tableIds = Map.copyOf(tableIds);
        this.otherTable = tableIds.size();
        this.tableCount = tableIds.size() + 1;
        int cells = (roleIds.size() + 1) * tableCount * OPS;
        if (ruleSets.length != cells || decisions.length != cells) throw new IllegalArgumentException("table size");
        this.ruleSets = ruleSets.clone();
        this.decisions = decisions.clone();
        this.decider = decider;
        this.ruleCount = ruleCount;
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
        if (rows == null) return decisions[cell(row, table, op, tableCount)];
        return combined(rows, table, op);
    }

    private Decision combined(BitSet rows, int table, int op) {
        Combination key = new Combination(rows, table, op);
        Decision cached = combinations.get(key);
        if (cached != null) return cached;
        BitSet rules = new BitSet();
        for (int r = rows.nextSetBit(0); r >= 0; r = rows.nextSetBit(r + 1)) {
            rules.or(ruleSets[cell(r, table, op, tableCount)]);
        }
        Decision d = decider.decide(rules);
        if (combinations.size() < COMBINATION_CACHE_LIMIT) combinations.putIfAbsent(key, d);
        return d;
    }

    /** The roles the policy declares. */
    public Set<String> roles() {
        return roleIds.keySet();
    }

    /** The tables the policy names. */
    public Set<String> tables() {
        return tableIds.keySet();
    }

    /** How many rules were compiled. */
    public int ruleCount() {
        return ruleCount;
    }

    @Override public String toString() {
        return "DecisionTable[" + ruleCount + " rules, roles=" + List.copyOf(roleIds.keySet()).stream().sorted().toList()
                + ", tables=" + tableIds.keySet().stream().sorted().toList() + "]";
    }
}
