package dev.weir.policy.check;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a whole policy set (all files together) and reports, as diagnostics:
 * <ul>
 *   <li>duplicate roles and duplicate rule ids (across files);</li>
 *   <li>undefined roles, in rules and in {@code extends}, with a did-you-mean hint;</li>
 *   <li>cycles in role inheritance;</li>
 *   <li>unknown operations, with a did-you-mean hint;</li>
 *   <li>clauses on the wrong effect ({@code reason} on an allow; {@code fields}, {@code mask},
 *       {@code remove}, {@code null} on a deny) and repeated {@code fields} / {@code reason};</li>
 *   <li>a {@code mask} or {@code null} on a path the same rule's {@code fields} excludes
 *       (almost certainly a mistake: the rule itself never shows that field). A
 *       {@code remove} of such a path is fine: it states intent, and since the strictest
 *       action of all matching allows wins, it keeps the field hidden even when another
 *       rule grants it.</li>
 * </ul>
 * Files are expected in the order they were loaded (sorted by path); "first" in a message
 * means first in that order.
 */
public final class PolicyChecker {
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, RoleDecl> roles = new LinkedHashMap<>();

    private PolicyChecker() {}

    public static List<Diagnostic> check(List<PolicyFile> files) {
        PolicyChecker checker = new PolicyChecker();
        checker.run(files);
        List<Diagnostic> out = new ArrayList<>(checker.diagnostics);
        out.sort(Diagnostic.ORDER);
        return List.copyOf(out);
    }

    private void run(List<PolicyFile> files) {
        for (PolicyFile f : files) {
            for (RoleDecl r : f.roles()) {
                RoleDecl first = roles.putIfAbsent(r.name().text(), r);
                if (first != null) {
                    error(r.name(), "duplicate role '" + r.name().text() + "' (first declared at " + first.name().pos() + ")");
                }
            }
        }
        for (RoleDecl r : roles.values()) {
            for (Name parent : r.parents()) checkRole(parent);
        }
        checkCycles();

        Map<String, Rule> ids = new HashMap<>();
        for (PolicyFile f : files) {
            for (Rule rule : f.rules()) {
                Rule first = ids.putIfAbsent(rule.id().value(), rule);
                if (first != null) {
                    diagnostics.add(Diagnostic.error(rule.id().pos(), "duplicate rule id '" + rule.id().value()
                            + "' (first defined at " + first.id().pos() + ")"));
                }
                checkRule(rule);
            }
        }
    }

    private void checkRole(Name role) {
        if (!roles.containsKey(role.text())) {
            error(role, "unknown role '" + role.text() + "'" + Suggestions.hint(role.text(), roles.keySet()));
        }
    }

    /** Reports each inheritance cycle once, at the declaration of its alphabetically first role. */
    private void checkCycles() {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        Set<Set<String>> reported = new HashSet<>();
        for (String start : new TreeMap<>(roles).keySet()) {
            walk(start, new ArrayList<>(), state, reported);
        }
    }

    private void walk(String role, List<String> path, Map<String, Integer> state, Set<Set<String>> reported) {
        Integer s = state.get(role);
        if (s != null && s == 2) return;
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(role), path.size()));
            if (reported.add(Set.copyOf(cycle))) {
                String first = cycle.stream().sorted().findFirst().orElseThrow();
                int at = cycle.indexOf(first);
                List<String> rotated = new ArrayList<>(cycle.subList(at, cycle.size()));
                rotated.addAll(cycle.subList(0, at));
                rotated.add(first);
                error(roles.get(first).name(), "role inheritance cycle: " + String.join(" -> ", rotated));
            }
            return;
        }
        RoleDecl decl = roles.get(role);
        if (decl == null) return;
        state.put(role, 1);
        path.add(role);
        for (Name parent : decl.parents().stream().sorted((a, b) -> a.text().compareTo(b.text())).toList()) {
            walk(parent.text(), path, state, reported);
        }
        path.removeLast();
        state.put(role, 2);
    }

    private void checkRule(Rule rule) {
        if (rule.principals() instanceof Selector.Listed l) l.names().forEach(this::checkRole);
        if (rule.operations() instanceof Selector.Listed l) {
            for (Name op : l.names()) {
                if (OperationNames.resolve(op.text()).isEmpty()) {
                    error(op, "unknown operation '" + op.text() + "'" + Suggestions.hint(op.text(), OperationNames.known()));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (Clause c : rule.clauses()) {
            boolean fieldClause = c instanceof Clause.Fields || c instanceof Clause.Action;
            if (c instanceof Clause.Reason && rule.effect() == Effect.ALLOW) {
                diagnostics.add(Diagnostic.error(c.pos(), "'reason' is only allowed on deny rules"));
            } else if (fieldClause && rule.effect() == Effect.DENY) {
                diagnostics.add(Diagnostic.error(c.pos(), "'" + c.keyword()
                        + "' is not allowed on deny rules (a deny refuses the whole request)"));
            }
            if (!(c instanceof Clause.Action) && !seen.add(c.keyword())) {
                diagnostics.add(Diagnostic.error(c.pos(), "duplicate '" + c.keyword() + "' clause"));
            }
        }
        Optional<Clause.Fields> fields = rule.fields();
        if (fields.isPresent() && rule.effect() == Effect.ALLOW) {
            for (Clause.Action a : rule.actions()) {
                if (a.action() instanceof FieldAction.Remove) continue; // a guard against other rules granting it
                if (fields.get().paths().stream().noneMatch(p -> overlaps(p, a.path()))) {
                    diagnostics.add(Diagnostic.error(a.path().pos(),
                            a.keyword() + " on '" + a.path() + "': not in this rule's fields list"));
                }
            }
        }
    }

    /**
     * Whether some attribute lies under both paths: they agree segment by segment as far as
     * the shorter goes, a {@code *} matching any name.
     */
    static boolean overlaps(FieldPath a, FieldPath b) {
        int n = Math.min(a.segments().size(), b.segments().size());
        for (int i = 0; i < n; i++) {
            PathSegment x = a.segments().get(i), y = b.segments().get(i);
            if (x instanceof PathSegment.AnyAttribute || y instanceof PathSegment.AnyAttribute) continue;
            if (!x.equals(y)) return false;
        }
        return true;
    }

    private void error(Name at, String message) {
        diagnostics.add(Diagnostic.error(at.pos(), message));
    }
}
