package dev.weir.policy.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.testing.PolicyTestRunner;
import dev.weir.protocol.model.Operation;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays the decisions recorded in an audit log (JSON lines with ECS names, as the
 * appliance writes them) against another policy set and lists those that would change
 * ({@code ./weir policy replay}). Each event gives the principal ({@code user.name},
 * {@code user.roles}), the operation ({@code event.action}), the table ({@code weir.table}),
 * the source address ({@code source.ip}) and time ({@code @timestamp}) for the context, and
 * what was decided ({@code weir.decision}, {@code rule.id}, {@code weir.fields.masked},
 * {@code weir.fields.removed}). Principal attributes are not in the log; supply them per
 * principal name. Events that never reached a decision (UNAUTHENTICATED, INVALID, UNENFORCEABLE)
 * are skipped, and so are outcome records ({@code weir.phase: outcome}): in sync mode a forwarded
 * request has a decision record and an outcome record, and its decision is replayed once, from
 * the first. A FORBIDDEN event that names only the rules an ALLOWED decision names was refused
 * by a check after the table allowed it; the table allowing it through the same rules again is
 * no change.
 */
public final class AuditReplay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DECIDED = Set.of("ALLOWED", "FORBIDDEN", "NOT_PERMITTED");

    private AuditReplay() {}

    /** One recorded decision that the new policy set decides differently. */
    public record Change(int line, String principal, List<String> roles, String operation, String table,
                         String before, List<String> beforeRules, String after, List<String> afterRules, String detail) {
        public String render() {
            return "line " + line + ": " + principal + " " + roles + " " + operation + " on " + table + ": "
                    + before + " " + beforeRules + " -> " + after + " " + afterRules + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** @param replayed decisions replayed; skipped: events without a decision or unreadable lines */
    public record Report(int replayed, int skipped, List<Change> changes, List<String> errors) {}

    /**
     * @param attributes principal name → attributes ({@code principal.x}), for the policies' conditions
     */
    public static Report replay(BufferedReader log, DecisionTable table, Map<String, Map<String, List<String>>> attributes)
            throws IOException {
        int replayed = 0, skipped = 0, lineNo = 0;
        List<Change> changes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String line; (line = log.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException ex) {
                errors.add("line " + lineNo + ": not JSON");
                skipped++;
                continue;
            }
            String decision = text(e, "weir.decision");
            Operation op = Operation.byName(String.valueOf(text(e, "event.action")));
            if (decision == null || !DECIDED.contains(decision) || op == null || "outcome".equals(text(e, "weir.phase"))) {
                skipped++;
                continue;
            }
            String principal = text(e, "user.name");
            List<String> roles = strings(e, "user.roles");
            String name = text(e, "weir.table");
            DecisionRequest request = new DecisionRequest(principal, new LinkedHashSet<>(roles),
                    principal == null ? Map.of() : attributes.getOrDefault(principal, Map.of()),
                    name == null ? "*" : name, op, context(e));
            Decision now = table.decide(request);
            replayed++;
            String after = PolicyTestRunner.kind(now);
            List<String> beforeRules = strings(e, "rule.id").stream().sorted().toList();
            List<String> afterRules = now.ruleIds().stream().sorted().toList();
            String detail = "";
            if (decision.equals("ALLOWED") && now instanceof Allowed a) {
                List<String> masked = strings(e, "weir.fields.masked").stream().sorted().toList();
                List<String> removed = strings(e, "weir.fields.removed").stream().sorted().toList();
                if (!masked.equals(a.fields().maskedPaths()) || !removed.equals(a.fields().removedPaths())) {
                    detail = "fields: masked " + masked + " -> " + a.fields().maskedPaths() + ", removed " + removed
                            + " -> " + a.fields().removedPaths();
                }
                if (!a.rows().isAll()) detail += (detail.isEmpty() ? "" : "; ") + "rows now filtered: " + a.rows();
            }
            // weir records a request a check refused after the table allowed it (a side channel,
            // a write outside the caller's rows) as FORBIDDEN, naming the allows that matched: the
            // same allow now is the same decision, not a change.
            boolean refusedAfterTheSameAllow = decision.equals("FORBIDDEN") && now instanceof Allowed
                    && afterRules.equals(beforeRules) && !beforeRules.isEmpty();
            if (refusedAfterTheSameAllow) continue;
            if (!after.equals(decision) || !afterRules.equals(beforeRules) || !detail.isEmpty()) {
                changes.add(new Change(lineNo, principal, roles, op.name(), name == null ? "*" : name,
                        decision, beforeRules, after, afterRules, detail));
            }
        }
        return new Report(replayed, skipped, changes, errors);
    }

    private static Context context(JsonNode e) {
        InetAddress source = null;
        String ip = text(e, "source.ip");
        if (ip != null) {
            try {
                source = InetAddress.ofLiteral(ip);
            } catch (IllegalArgumentException ignored) {
                // not an address: leave the context without one
            }
        }
        Instant time = null;
        String ts = text(e, "@timestamp");
        if (ts != null) {
            try {
                time = Instant.parse(ts);
            } catch (DateTimeParseException ignored) {
                // no time
            }
        }
        return Context.of(source, time);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode e, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = e.get(field);
        if (v != null && v.isArray()) v.forEach(x -> out.add(x.asText()));
        return out;
    }
}
