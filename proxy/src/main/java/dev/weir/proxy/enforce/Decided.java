package dev.weir.proxy.enforce;

import dev.weir.proxy.enforce.request.Part;

import java.util.List;
import java.util.Map;

/**
 * A request the policy allows on every table it names: the decision per table (keyed by the
 * table as policies name it, {@code *} for none), the rules that decided, in order, and the key
 * schemas of the tables it puts items into, for the audit ({@link ItemKeys#NONE} until read).
 *
 * <p>Immutable, but for one memo: what the request touches ({@link #touched}), which the audit
 * records of a request (decision and outcome) all carry, is worked out once.
 */
final class Decided implements Stage {
    private final Parsed parsed;
    private final Map<String, TableDecision> tables;
    private final List<String> ruleIds;
    private final ItemKeys itemKeys;
    /**
     * The decisions in the order of {@link #tables}, as a list: iterating a {@code Map.of}
     * one-entry map's values makes an entry, a set and two iterators each time, and several
     * checks of every answer walk them (issue 16).
     */
    private final List<TableDecision> decisions;
    /** Whether the caller's view of every table is unrestricted ({@link RestrictedAnswers#unrestricted}). */
    private final boolean unrestricted;
    /** Written once, by whichever thread asks first; a race computes the same value twice, never a wrong one. */
    private Touched touched;

    Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds, ItemKeys itemKeys) {
        this(parsed, copy(tables), List.copyOf(ruleIds), itemKeys, true);
    }

    /**
     * An unmodifiable copy in the same order: one table (nearly every request) as {@code Map.of}'s
     * one-entry map, which is cheaper to make and to look up; several in a linked map.
     */
    private static Map<String, TableDecision> copy(Map<String, TableDecision> tables) {
        if (tables.size() == 1) {
            Map.Entry<String, TableDecision> only = tables.entrySet().iterator().next();
            return Map.of(only.getKey(), only.getValue());
        }
        return tables.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
    }

    /** Takes {@code tables} and {@code ruleIds} as they are: already copies no one else holds. */
    private Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds, ItemKeys itemKeys, boolean copied) {
        this.parsed = parsed;
        this.tables = tables;
        this.ruleIds = ruleIds;
        this.itemKeys = itemKeys;
        this.decisions = List.copyOf(tables.values());
        boolean all = !decisions.isEmpty();
        for (TableDecision d : decisions) all &= d.view().isUnrestricted();
        this.unrestricted = all;
    }

    Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds) {
        this(parsed, tables, ruleIds, ItemKeys.NONE);
    }

    public Parsed parsed() {
        return parsed;
    }

    public Map<String, TableDecision> tables() {
        return tables;
    }

    /** The decisions per table, in the order of {@link #tables}. */
    List<TableDecision> decisions() {
        return decisions;
    }

    /** Whether the caller's view of every table the request involves is unrestricted; false for none. */
    boolean unrestricted() {
        return unrestricted;
    }

    public List<String> ruleIds() {
        return ruleIds;
    }

    public ItemKeys itemKeys() {
        return itemKeys;
    }

    /** The same decision, with the key schemas its puts' items are named by. */
    Decided withItemKeys(ItemKeys keys) {
        return new Decided(parsed, tables, ruleIds, keys, true);
    }

    @Override public Received received() {
        return parsed.received();
    }

    @Override public Identified identified() {
        return parsed.identified();
    }

    @Override public Decided decided() {
        return this;
    }

    /** The decision that covers a part: its table's. */
    TableDecision of(Part part) {
        return tables.get(part.policyTable());
    }

    String principal() {
        return parsed.identified().principal().name();
    }

    /** What the request reads, writes and names, its keys shown through its decisions ({@link Touched}); computed once. */
    Touched touched() {
        Touched t = touched;
        if (t == null) {
            t = Touched.NONE;
            var op = parsed.request().operation();
            for (Part part : parsed.request().parts()) {
                TableDecision d = of(part);
                if (d == null) continue; // a ListStreams: its tables are decided one by one in its answer
                t = t.plus(Touched.of(part, op, d.allowed().fields(), itemKeys));
            }
            touched = t;
        }
        return t;
    }

    @Override public String toString() {
        return "Decided[" + parsed.request().operation() + " " + tables.keySet() + " by " + ruleIds + "]";
    }
}
