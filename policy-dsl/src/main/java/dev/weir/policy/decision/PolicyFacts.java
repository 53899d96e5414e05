package dev.weir.policy.decision;

import dev.weir.protocol.expr.Path;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the proxy needs to know about a policy set besides its decisions, taken from the
 * compiled policy (never from the text of its files, where a comment, a string or another
 * spelling of the same reference would mislead a search).
 *
 * @param readsTableTags     whether some rule reads {@code ctx.table.tags} (however spelled or
 *                           quoted); the proxy then fetches the tags of a request's tables before
 *                           deciding, since a rule that reads an unknown tag would decide wrongly
 * @param rowDecidingByTable per table a rule names, the item paths the {@code rows where} of the
 *                           read rules on that table read (see {@link #rowDecidingPaths})
 * @param rowDecidingAnyTable the item paths the {@code rows where} of the read rules
 *                           {@code on table *} read
 * @param rowsKnown          false when the paths are not known (a table built without its
 *                           syntax trees): then every path may decide rows
 */
public record PolicyFacts(boolean readsTableTags, Map<String, Set<Path>> rowDecidingByTable, Set<Path> rowDecidingAnyTable,
                          boolean rowsKnown) {
    /** A policy that reads nothing beyond the request, and whose rows depend on nothing. */
    public static final PolicyFacts NONE = new PolicyFacts(false);

    /**
     * For a table whose source is unknown: assume it reads everything (fetching the tags is
     * never wrong, skipping them may be; every path may decide who reads a row).
     */
    public static final PolicyFacts UNKNOWN = new PolicyFacts(true, Map.of(), Set.of(), false);

    public PolicyFacts {
        Map<String, Set<Path>> copy = new LinkedHashMap<>();
        rowDecidingByTable.forEach((t, paths) -> copy.put(t, Collections.unmodifiableSet(new LinkedHashSet<>(paths))));
        rowDecidingByTable = Collections.unmodifiableMap(copy);
        rowDecidingAnyTable = Collections.unmodifiableSet(new LinkedHashSet<>(rowDecidingAnyTable));
    }

    /** Facts of a policy whose read rules decide rows by nothing. */
    public PolicyFacts(boolean readsTableTags) {
        this(readsTableTags, Map.of(), Set.of(), true);
    }

    /**
     * The <em>row-deciding</em> paths of a table: every item path that the {@code rows where}
     * of some read rule (allow or deny, any principal, an operation of the {@code read} group)
     * on this table or on {@code *} reads. A write that changes one of them changes who may read
     * the item's other attributes (docs/threat-model.md, "Moving rows").
     *
     * @return the paths, or null when they are not known ({@link #UNKNOWN}): every path may decide rows
     */
    public Set<Path> rowDecidingPaths(String table) {
        if (!rowsKnown) return null;
        Set<Path> named = rowDecidingByTable.get(table);
        if (named == null) return rowDecidingAnyTable;
        if (rowDecidingAnyTable.isEmpty()) return named;
        Set<Path> all = new LinkedHashSet<>(rowDecidingAnyTable);
        all.addAll(named);
        return Collections.unmodifiableSet(all);
    }
}
