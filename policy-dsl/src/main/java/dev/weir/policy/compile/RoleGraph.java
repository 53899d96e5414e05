package dev.weir.policy.compile;

import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.RoleDecl;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Declared roles and their inheritance. A role holds its own rules and, transitively, those
 * of every role it extends: {@code role support extends analyst} gives a {@code support}
 * principal the {@code analyst} rules. Expects a checked, acyclic graph.
 */
public final class RoleGraph {
    private final Map<String, List<String>> parents = new TreeMap<>();
    private final Map<String, Set<String>> closures = new HashMap<>();

    public RoleGraph(List<RoleDecl> roles) {
        for (RoleDecl r : roles) {
            parents.putIfAbsent(r.name().text(), r.parents().stream().map(Name::text).toList());
        }
    }

    /** Declared role names, sorted. */
    public Set<String> names() {
        return parents.keySet();
    }

    /** The role and every role it inherits from. */
    public Set<String> closure(String role) {
        Set<String> known = closures.get(role);
        if (known != null) return known;
        Set<String> out = new LinkedHashSet<>();
        collect(role, out);
        closures.put(role, Set.copyOf(out));
        return closures.get(role);
    }

    private void collect(String role, Set<String> out) {
        if (!out.add(role)) return;
        for (String p : parents.getOrDefault(role, List.of())) collect(p, out);
    }
}
