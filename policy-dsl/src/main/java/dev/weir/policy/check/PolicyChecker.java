package dev.weir.policy.check;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.NetworkDecl;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.ast.Trigger;

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
 *   <li>clauses on the wrong effect ({@code require} on a deny) and repeated {@code when},
 *       {@code rows where} and {@code require};</li>
 *   <li>duplicate and unknown networks; type errors and unknown context values in
 *       conditions ({@link ConditionChecker});</li>
 *   <li>with a schema: unknown tables (error), attributes the schema does not describe and
 *       masks that change a number into a string or a set into one string (warnings);</li>
 *   <li>hmac masks naming a key that is not configured, and hash masks without the
 *       deployment's hash key (errors: such a policy does not load);</li>
 *   <li>{@code unkeyed_sha256} masks (a warning: a dictionary of likely values reverses a
 *       plain digest);</li>
 *   <li>shadowed and unreachable rules and mask conflicts ({@link RuleOverlaps}, warnings);</li>
 *   <li>a {@code mask} or {@code null} on a path the same rule's {@code fields} excludes
 *       (almost certainly a mistake: the rule itself never shows that field). A
 *       {@code remove} of such a path is fine: it states intent, and since the strictest
 *       action of all matching allows wins, it keeps the field hidden even when another
 *       rule grants it.</li>
 *   <li>triggers ({@link TriggerChecker}).</li>
 * </ul>
 * Files are expected in the order they were loaded (sorted by path); "first" in a message
 * means first in that order.
 */
public final class PolicyChecker {
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, RoleDecl> roles = new LinkedHashMap<>();
    private final Map<String, NetworkDecl> networks = new LinkedHashMap<>();
    private final CheckOptions options;

    private PolicyChecker(CheckOptions options) {
        this.options = options;
    }

    public static List<Diagnostic> check(List<PolicyFile> files) {
        return check(files, CheckOptions.DEFAULT);
    }

    public static List<Diagnostic> check(List<PolicyFile> files, CheckOptions options) {
        PolicyChecker checker = new PolicyChecker(options);
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
        for (PolicyFile f : files) {
            for (NetworkDecl n : f.networks()) {
                NetworkDecl first = networks.putIfAbsent(n.name().text(), n);
                if (first != null) {
                    error(n.name(), "duplicate network '" + n.name().text() + "' (first declared at " + first.name().pos() + ")");
                }
            }
        }

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
        TriggerChecker triggers = new TriggerChecker(diagnostics, roles.keySet(), networks.keySet(), options.schema());
        for (PolicyFile f : files) {
            for (Trigger t : f.triggers()) {
                Rule rule = ids.get(t.id().value());
                if (t.id().explicit() && rule != null) {
                    diagnostics.add(Diagnostic.error(t.id().pos(), "the id '" + t.id().value()
                            + "' is already a rule's (defined at " + rule.id().pos() + ")"));
                }
                triggers.check(t);
            }
        }
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
            RuleOverlaps.report(diagnostics, List.copyOf(roles.values()),
                    files.stream().flatMap(f -> f.rules().stream()).toList());
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
        List<String> tables = rule.tables() instanceof Selector.Listed l ? l.names().stream().map(Name::text).toList() : List.of();
        options.schema().ifPresent(schema -> {
            if (rule.tables() instanceof Selector.Listed l) {
                for (Name t : l.names()) {
                    if (!schema.tables().containsKey(t.text())) {
                        error(t, "unknown table '" + t.text() + "'" + Suggestions.hint(t.text(), schema.tables().keySet()));
                    }
                }
            }
        });
        ConditionChecker conditions = new ConditionChecker(diagnostics, networks.keySet(), options.schema(), tables);
        Set<String> seen = new HashSet<>();
        for (Clause c : rule.clauses()) {
            boolean fieldClause = c instanceof Clause.Fields || c instanceof Clause.Action;
            if (c instanceof Clause.Reason && rule.effect() == Effect.ALLOW) {
                diagnostics.add(Diagnostic.error(c.pos(), "'reason' is only allowed on deny rules"));
            } else if (fieldClause && rule.effect() == Effect.DENY) {
                diagnostics.add(Diagnostic.error(c.pos(), "'" + c.keyword()
                        + "' is not allowed on deny rules (a deny refuses the whole request)"));
            } else if (c instanceof Clause.Require && rule.effect() == Effect.DENY) {
                diagnostics.add(Diagnostic.error(c.pos(), "'require' is only allowed on allow rules"
                        + " (to refuse writes of some items, write 'deny ... rows where ...')"));
            }
            switch (c) {
                case Clause.When w -> conditions.check(w.condition(), ConditionChecker.Where.WHEN);
                case Clause.Rows w -> conditions.check(w.condition(), ConditionChecker.Where.ROWS);
                case Clause.Require w -> conditions.check(w.condition(), ConditionChecker.Where.REQUIRE);
                case Clause.Action a -> checkAction(a, tables);
                case Clause.Fields f -> f.paths().forEach(p -> checkDescribed(p, tables));
                default -> { }
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

    private void checkAction(Clause.Action a, List<String> tables) {
        checkDescribed(a.path(), tables);
        if (a.action() instanceof FieldAction.Hmac h && options.keys().key(h.key()).isEmpty()) {
            diagnostics.add(Diagnostic.error(a.pos(), "hmac key '" + h.key() + "' is not configured (set "
                    + dev.weir.policy.field.HmacKeys.environmentVariable(h.key()) + ")"));
        }
        if (a.action() instanceof FieldAction.Hash && options.keys().hashKey().isEmpty()) {
            diagnostics.add(Diagnostic.error(a.pos(), "hash needs the deployment's hash key, and none is configured "
                    + "(set masking.hash_key_id in weir.yaml; the key comes from masking.hash_key_file or WEIR_HASH_KEY_<ID>)"));
        }
        if (a.action() instanceof FieldAction.UnkeyedSha256) {
            diagnostics.add(Diagnostic.warning(a.pos(), "unkeyed_sha256 on '" + a.path() + "' is a plain SHA-256: anyone can "
                    + "hash likely values (a dictionary of e-mail addresses, say) and compare, so it reverses the digest; "
                    + "use hash, which is keyed"));
        }
        if (options.schema().isEmpty()) return;
        for (String t : tables) {
            String type = options.schema().get().type(t, pathText(a.path())).orElse(null);
            if (type == null) continue;
            boolean numeric = a.action() instanceof FieldAction.Round || a.action() instanceof FieldAction.Bucket;
            boolean masks = a.action().strictness() > 0 && a.action().strictness() < 3;
            boolean whole = List.of("M", "L", "SS", "NS", "BS").contains(type)
                    && !(a.path().segments().getLast() instanceof PathSegment.AnyElement);
            if (whole && masks && !(a.action() instanceof FieldAction.Constant || a.action() instanceof FieldAction.ConstantNumber)) {
                diagnostics.add(Diagnostic.warning(a.pos(), a.action() + " masks '" + a.path() + "' of table " + t
                        + " (" + type + ") as a whole, into " + (numeric ? "NULL" : "one string")
                        + (type.equals("M") ? "" : "; to mask each element write " + a.path() + "[*]")));
            } else if (type.equals("N") && masks && !dev.weir.policy.field.Masking.keepsNumbers(a.action())) {
                diagnostics.add(Diagnostic.warning(a.pos(), a.action() + " turns the number '" + a.path() + "' of table "
                        + t + " into a string"));
            } else if (numeric && !whole && !type.equals("N") && !type.equals("NS")) {
                diagnostics.add(Diagnostic.warning(a.pos(), a.action() + " works on numbers; '" + a.path() + "' of table "
                        + t + " is " + type + ", so it becomes NULL"));
            }
        }
    }

    private void checkDescribed(FieldPath path, List<String> tables) {
        if (options.schema().isEmpty() || path.segments().stream().anyMatch(s -> !(s instanceof PathSegment.Attribute))) return;
        for (String t : tables) {
            if (options.schema().get().tables().containsKey(t) && !options.schema().get().describes(t, pathText(path))) {
                diagnostics.add(Diagnostic.warning(path.pos(), "'" + path + "' is not in the schema of table " + t));
            }
        }
    }

    private static String pathText(FieldPath path) {
        return String.join(".", path.segments().stream().map(s -> s instanceof PathSegment.Attribute a ? a.name() : "*").toList());
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
