package dev.weir.policy.explain;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.NetworkDecl;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.check.OperationNames;
import dev.weir.policy.compile.RoleGraph;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.predicate.ConditionCompiler;
import dev.weir.policy.predicate.ConditionText;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a request gets its decision ({@code ./weir policy explain}): the decision from the
 * compiled table, and for every rule whether it matched and why or why not, checked step by
 * step against the AST (who, table, operation, {@code when}). The two agree by construction;
 * the property tests hold them to it.
 */
public final class Explainer {
    private Explainer() {}

    /** One rule's part in a decision. */
    public record RuleVerdict(String id, Effect effect, boolean matched, String why) {}

    public record Explanation(DecisionRequest request, Decision decision, List<RuleVerdict> rules) {
        public String render() {
            StringBuilder out = new StringBuilder();
            out.append("request:  ").append(request.principal() == null ? "(unnamed)" : request.principal())
                    .append(" roles=").append(request.roles().stream().sorted().toList())
                    .append(" attributes=").append(request.attributes())
                    .append(" ").append(request.operation()).append(" on ").append(request.table()).append('\n');
            out.append("context:  ").append(request.context()).append('\n');
            switch (decision) {
                case Forbidden f -> out.append("decision: FORBIDDEN by ").append(f.ruleIds()).append(": ").append(f.reason()).append('\n');
                case NotPermitted n -> out.append("decision: NOT_PERMITTED (no allow matched: default deny)\n");
                case Allowed a -> {
                    out.append("decision: ALLOWED by ").append(a.ruleIds()).append('\n');
                    out.append("  rows:         ").append(a.rows()).append('\n');
                    out.append("  requirements: ").append(a.requirements()).append('\n');
                    out.append("  fields:       ").append(a.fields().isIdentity() ? "every field, unmasked"
                            : "masked " + a.fields().maskedPaths() + ", removed " + a.fields().removedPaths()
                            + " (and anything outside the allow-lists)").append('\n');
                }
            }
            out.append("rules:\n");
            for (RuleVerdict v : rules) {
                out.append("  ").append(v.matched() ? "matched " : "no      ").append(v.effect().keyword())
                        .append(' ').append(v.id()).append(": ").append(v.why()).append('\n');
            }
            return out.toString();
        }
    }

    public static Explanation explain(List<PolicyFile> files, DecisionTable table, DecisionRequest request) {
        RoleGraph roles = new RoleGraph(files.stream().flatMap(f -> f.roles().stream()).toList());
        Map<String, List<CidrBlock>> networks = new HashMap<>();
        for (PolicyFile f : files) for (NetworkDecl n : f.networks()) networks.putIfAbsent(n.name().text(), n.blocks());
        ConditionCompiler conditions = new ConditionCompiler(networks);
        List<Rule> rules = files.stream().flatMap(f -> f.rules().stream())
                .sorted(Comparator.comparing(r -> r.id().value())).toList();
        List<RuleVerdict> verdicts = new ArrayList<>();
        for (Rule r : rules) verdicts.add(verdict(r, roles, conditions, request));
        return new Explanation(request, table.decide(request), verdicts);
    }

    private static RuleVerdict verdict(Rule r, RoleGraph roles, ConditionCompiler conditions, DecisionRequest request) {
        List<String> why = new ArrayList<>();
        String who = who(r, roles, request.roles());
        if (who == null) {
            return new RuleVerdict(r.id().value(), r.effect(), false, "it is for " + r.principals()
                    + "; the principal holds " + request.roles().stream().sorted().toList());
        }
        why.add(who);
        if (r.tables() instanceof Selector.Listed l && l.names().stream().noneMatch(n -> n.text().equals(request.table()))) {
            return new RuleVerdict(r.id().value(), r.effect(), false, "table " + request.table() + " is not in " + r.tables());
        }
        why.add(r.tables() instanceof Selector.Any ? "any table" : "table " + request.table());
        Set<dev.weir.protocol.model.Operation> ops = OperationNames.of(r.operations());
        if (!ops.contains(request.operation())) {
            return new RuleVerdict(r.id().value(), r.effect(), false, request.operation() + " is not in " + r.operations());
        }
        why.add(request.operation().name());
        if (r.when().isPresent()) {
            String text = ConditionText.of(r.when().get().condition());
            if (!conditions.compile(r.when().get().condition()).test(null, request)) {
                return new RuleVerdict(r.id().value(), r.effect(), false, String.join(", ", why) + "; but 'when " + text + "' does not hold");
            }
            why.add("'when " + text + "' holds");
        }
        String effect;
        if (r.effect() == Effect.DENY && r.rows().isPresent()) {
            effect = " -> hides rows where " + ConditionText.of(r.rows().get().condition());
        } else if (r.effect() == Effect.DENY) {
            effect = " -> forbids the request";
        } else {
            effect = r.rows().map(w -> " -> allows rows where " + ConditionText.of(w.condition())).orElse(" -> allows");
        }
        return new RuleVerdict(r.id().value(), r.effect(), true, String.join(", ", why) + effect);
    }

    /** How the principal is matched, or null. */
    private static String who(Rule r, RoleGraph roles, Set<String> held) {
        if (r.principals() instanceof Selector.Any) return "any principal";
        Selector.Listed l = (Selector.Listed) r.principals();
        for (String role : held.stream().sorted().toList()) {
            if (!roles.names().contains(role)) continue;
            for (Name n : l.names()) {
                if (roles.closure(role).contains(n.text())) {
                    return n.text().equals(role) ? "role " + role : "role " + role + " (extends " + n.text() + ")";
                }
            }
        }
        return null;
    }
}
