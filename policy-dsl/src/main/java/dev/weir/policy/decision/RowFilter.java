package dev.weir.policy.decision;

import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.policy.predicate.ItemPaths;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A compiled content predicate of a decision: which items a caller may read (or change), or
 * what an item it writes must satisfy. It is {@code (a1 or a2 or ...) and not (d1 or d2 or ...)}
 * over the matching allows' conditions {@code ai} (an allow without one counts as
 * {@code true}) and the matching denies' {@code rows where} conditions {@code di}.
 * Immutable; principal attributes and context are read from the request at test time, so
 * one filter serves every principal.
 */
public final class RowFilter {
    /** Every item. */
    public static final RowFilter ALL = new RowFilter(List.of(CompiledCondition.TRUE), List.of());

    private final CompiledCondition[] allow;
    private final CompiledCondition[] deny;
    private final boolean all;

    /**
     * @param allow one condition per matching allow ({@link CompiledCondition#TRUE} for none); at least one
     * @param deny  the {@code rows where} conditions of matching denies
     */
    public RowFilter(List<CompiledCondition> allow, List<CompiledCondition> deny) {
        if (allow.isEmpty()) throw new IllegalArgumentException("a row filter needs at least one allow");
        boolean any = allow.contains(CompiledCondition.TRUE);
        this.allow = any ? new CompiledCondition[] {CompiledCondition.TRUE} : allow.toArray(CompiledCondition[]::new);
        this.deny = deny.toArray(CompiledCondition[]::new);
        this.all = any && deny.isEmpty();
    }

    /** True when every item passes: the caller need not test items at all. */
    public boolean isAll() {
        return all;
    }

    /** Whether the item passes, for this request's principal and context. */
    public boolean test(DecisionRequest request, Map<String, AttributeValue> item) {
        if (all) return true;
        for (CompiledCondition d : deny) if (d.test(item, request)) return false;
        for (CompiledCondition a : allow) if (a.test(item, request)) return true;
        return false;
    }

    /** The allows' conditions, at least one ({@link CompiledCondition#TRUE} when any allow has none). */
    public List<CompiledCondition> allows() {
        return List.of(allow);
    }

    /** The denies' {@code rows where} conditions. */
    public List<CompiledCondition> denies() {
        return List.of(deny);
    }

    /**
     * Every item path the allows' and denies' conditions read ({@code item.address.city} reads
     * {@code address.city}), in the order first read: an item holding these (where present) is
     * enough to decide the filter on it.
     *
     * @throws IllegalStateException for a condition without its source (not compiled by
     *     {@link dev.weir.policy.predicate.ConditionCompiler}), whose paths cannot be known
     */
    public Set<Path> itemPaths() {
        Set<Path> out = new LinkedHashSet<>();
        for (CompiledCondition a : allow) ItemPaths.collect(a, out);
        for (CompiledCondition d : deny) ItemPaths.collect(d, out);
        return Collections.unmodifiableSet(out);
    }

    /** This filter for one request, as a plain item predicate. */
    public Predicate<Map<String, AttributeValue>> bind(DecisionRequest request) {
        return all ? item -> true : item -> test(request, item);
    }

    /** The filter as policy text, e.g. {@code (item.region == principal.region) and not (item.secret == true)}. */
    @Override public String toString() {
        if (all) return "true";
        String allows = List.of(allow).stream().map(c -> allow.length > 1 ? "(" + c + ")" : c.toString())
                .collect(Collectors.joining(" or "));
        if (deny.length == 0) return allows;
        String denies = List.of(deny).stream().map(c -> "(" + c + ")").collect(Collectors.joining(" or "));
        return (allow.length > 1 ? "(" + allows + ")" : allows) + " and not " + (deny.length > 1 ? "(" + denies + ")" : denies);
    }

    @Override public boolean equals(Object o) {
        return o instanceof RowFilter r && r.toString().equals(toString());
    }

    @Override public int hashCode() {
        return toString().hashCode();
    }
}
