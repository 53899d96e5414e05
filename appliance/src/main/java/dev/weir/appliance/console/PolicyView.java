package dev.weir.appliance.console;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.field.HmacKeys;
import dev.weir.protocol.model.Operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policy as the console shows it: the files of the policy folder (rules with their source
 * text, roles) read afresh, and the role x field matrix computed from the decision table in
 * force. The files on disk may be newer than the table in force (a reload refused, or not yet
 * done): {@link #current} says whether their content hash is the running one.
 *
 * <p>Masks only change values, never which fields a rule names, so the files are compiled with
 * test keys here; the hash is of the sources alone.
 */
final class PolicyView {
    /** One rule: its id, effect, place and source text, and the reason it gives, if any. */
    record RuleText(String id, String effect, String place, String text, String reason) {}

    /** What one role sees of one field of a table, for {@link Operation#GetItem}. */
    enum Cell { SHOWN, MASKED, REMOVED, PARTIAL, DENIED }

    /** One row of a table's matrix: a role, its decision, and each field's treatment. */
    record Row(String role, String decision, List<String> rules, Map<String, Cell> fields, Cell others) {}

    /** A table's matrix: its fields (named by any rule for any role) and one row per role. */
    record Matrix(String table, List<String> fields, List<Row> rows) {}

    final PolicyLoader.PolicySet set;
    final String runningHash;
    private List<RuleText> rules;
    private Map<String, RuleText> byId;

    private PolicyView(PolicyLoader.PolicySet set, String runningHash) {
        this.set = set;
        this.runningHash = runningHash;
    }

    static PolicyView read(Path dir, String runningHash) {
        return new PolicyView(PolicyLoader.loadSet(dir, HmacKeys.forTesting()), runningHash);
    }

    /** True when the files on disk are the version in force. */
    boolean current() {
        return set.result().contentHash().equals(runningHash);
    }

    String diskHash() {
        return set.result().contentHash();
    }

    List<PolicyFile> files() {
        return set.files();
    }

    List<RoleDecl> roles() {
        return set.files().stream().flatMap(f -> f.roles().stream()).toList();
    }

    /** The rules of the files, by id (made once per view). */
    List<RuleText> rules() {
        if (rules == null) {
            rules = readRules();
            byId = new java.util.HashMap<>();
            for (RuleText r : rules) byId.putIfAbsent(r.id(), r);
        }
        return rules;
    }

    private List<RuleText> readRules() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (PolicySource s : set.sources()) texts.put(s.name(), s.text());
        List<RuleText> out = new ArrayList<>();
        for (PolicyFile f : set.files()) {
            for (Rule r : f.rules()) {
                out.add(new RuleText(r.id().value(), r.effect().keyword(), r.pos().toString(),
                        source(texts.get(f.file()), r.pos().line()), r.reason().map(Clause.Reason::text).orElse(null)));
            }
        }
        out.sort(java.util.Comparator.comparing(RuleText::id));
        return List.copyOf(out);
    }

    /** The rule with this id, if the files have it. */
    Optional<RuleText> rule(String id) {
        rules();
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The rule's lines: from its first line up to a blank line or the next declaration or comment
     * at the start of a line (a rule's own lines are indented or continue it).
     */
    static String source(String text, int line) {
        if (text == null || line < 1) return "";
        List<String> lines = text.lines().toList();
        if (line > lines.size()) return "";
        StringBuilder b = new StringBuilder(lines.get(line - 1));
        for (int i = line; i < lines.size() && i < line + 40; i++) {
            String l = lines.get(i);
            if (l.isBlank() || !Character.isWhitespace(l.charAt(0))) break;
            b.append('\n').append(l);
        }
        return b.toString();
    }

    /**
     * Each table of the table in force, with what each role sees of each field on a GetItem, as the
     * table decides it for a principal holding only that role, without attributes or context:
     * a rule whose {@code when} needs them does not match here (the page says so).
     */
    static List<Matrix> matrices(DecisionTable table) {
        List<Matrix> out = new ArrayList<>();
        if (table == null) return out;
        Set<String> roles = new TreeSet<>(table.roles());
        for (String t : new TreeSet<>(table.tables())) {
            if (t.equals("*")) continue;
            Map<String, Decision> byRole = new LinkedHashMap<>();
            TreeSet<String> fields = new TreeSet<>();
            for (String role : roles) {
                Decision d = table.decide(new DecisionRequest(Set.of(role), t, Operation.GetItem));
                byRole.put(role, d);
                if (d instanceof Allowed a && !a.fields().isIdentity()) {
                    fields.addAll(a.fields().namedAttributes());
                    fields.addAll(a.fields().maskedPaths());
                    fields.addAll(a.fields().removedPaths());
                }
            }
            List<Row> rows = new ArrayList<>();
            for (var e : byRole.entrySet()) rows.add(row(e.getKey(), e.getValue(), fields));
            out.add(new Matrix(t, List.copyOf(fields), rows));
        }
        return out;
    }

    private static Row row(String role, Decision d, Set<String> fields) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        if (!(d instanceof Allowed a)) {
            for (String f : fields) cells.put(f, Cell.DENIED);
            String kind = d instanceof Forbidden ? "FORBIDDEN" : "NOT_PERMITTED";
            return new Row(role, kind, d.ruleIds(), cells, Cell.DENIED);
        }
        FieldPlan plan = a.fields();
        for (String f : fields) cells.put(f, cell(plan, f));
        return new Row(role, "ALLOWED", a.ruleIds(), cells, treatment(plan.otherAttributes()));
    }

    private static Cell cell(FieldPlan plan, String path) {
        if (plan.isIdentity()) return Cell.SHOWN;
        if (plan.maskedPaths().contains(path)) return Cell.MASKED;
        if (plan.removedPaths().contains(path)) return Cell.REMOVED;
        if (path.contains(".") || path.contains("[")) return plan.canReadInClear(path) ? Cell.SHOWN : Cell.PARTIAL;
        return treatment(plan.treatment(path));
    }

    private static Cell treatment(FieldPlan.Treatment t) {
        return switch (t) {
            case SHOWN -> Cell.SHOWN;
            case REMOVED -> Cell.REMOVED;
            case REDACTED -> Cell.PARTIAL;
        };
    }
}
