package dev.weir.appliance.console;

import dev.weir.appliance.config.ConfigLoader.PrincipalEntry;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.explain.Explainer;
import dev.weir.protocol.model.Operation;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Explain: a principal of the principals file in force (its roles and attributes), a table, an
 * operation and a source address, and the decision the table in force gives now, with every
 * rule's part in it ({@link Explainer}, the code of {@code ./weir policy explain}).
 */
final class ExplainPage {
    /** What was asked and the answer, for the page and the audit record. */
    record Result(String html, String summary, String table) {}

    private ExplainPage() {}

    static String form(List<PrincipalEntry> principals, DecisionTable table, Sessions.Session s, Map<String, String> asked) {
        StringBuilder b = new StringBuilder("<form id=\"explain-form\" method=\"post\" action=\"/explain\">").append(Layout.csrf(s));
        String chosen = asked.getOrDefault("principal", "");
        b.append("<label>Principal <select name=\"principal\" id=\"explain-principal\">");
        for (PrincipalEntry p : principals) {
            b.append("<option value=\"").append(Html.text(p.name())).append('"').append(p.name().equals(chosen) ? " selected" : "")
                    .append('>').append(Html.text(p.name())).append(" (").append(Html.list(p.roles())).append(")</option>");
        }
        b.append("</select></label> <label>Table <input name=\"table\" id=\"explain-table\" list=\"tables\" value=\"")
                .append(Html.text(asked.getOrDefault("table", ""))).append("\"></label><datalist id=\"tables\">");
        if (table != null) for (String t : new TreeSet<>(table.tables())) b.append("<option value=\"").append(Html.text(t)).append("\">");
        b.append("</datalist> <label>Operation <select name=\"operation\" id=\"explain-operation\">");
        String op = asked.getOrDefault("operation", "GetItem");
        for (Operation o : Operation.values()) {
            b.append("<option").append(o.name().equals(op) ? " selected" : "").append('>').append(Html.text(o.name())).append("</option>");
        }
        b.append("</select></label> <label>Source address <input name=\"source\" id=\"explain-source\" value=\"")
                .append(Html.text(asked.getOrDefault("source", "127.0.0.1")))
                .append("\"></label> <button type=\"submit\" id=\"explain-go\">Explain</button></form>\n")
                .append("<p class=\"note\">Decided by the version in force, now, for the principal's roles and attributes; "
                        + "no TLS identity and no table tags.</p>");
        return b.toString();
    }

    /** The explanation of the asked request; an input error gives a message instead. */
    static Result explain(List<PrincipalEntry> principals, DecisionTable table, PolicyView view, Map<String, String> asked) {
        String name = asked.getOrDefault("principal", "");
        PrincipalEntry p = principals.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
        Operation op = Operation.byName(asked.getOrDefault("operation", ""));
        String tableName = asked.getOrDefault("table", "").trim();
        if (p == null) return error("no principal named '" + name + "' in the principals file in force");
        if (op == null) return error("no operation named '" + asked.getOrDefault("operation", "") + "'");
        if (tableName.isEmpty()) tableName = "*";
        if (table == null) return error("no policy is loaded: every request is denied");
        InetAddress source;
        try {
            String ip = asked.getOrDefault("source", "").trim();
            if (!ip.isEmpty() && !ip.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException();
            source = ip.isEmpty() ? null : InetAddress.ofLiteral(ip);
        } catch (IllegalArgumentException e) {
            return error("the source address must be an IPv4 or IPv6 address");
        }
        DecisionRequest request = new DecisionRequest(p.name(), new LinkedHashSet<>(p.roles()), p.attributes(), tableName, op,
                Context.of(source, Instant.now()));
        Explainer.Explanation ex = Explainer.explain(view.files(), table, request);
        String decision = switch (ex.decision()) {
            case Allowed a -> "ALLOWED";
            case Forbidden f -> "FORBIDDEN";
            default -> "NOT_PERMITTED";
        };
        StringBuilder b = new StringBuilder("<section id=\"explanation\"><h2>Decision</h2><p><span id=\"explain-decision\" class=\"")
                .append(decision.equals("ALLOWED") ? "allowed" : "denied").append("\">").append(decision)
                .append("</span> by <span id=\"explain-rules\">").append(Html.list(ex.decision().ruleIds())).append("</span></p>");
        switch (ex.decision()) {
            case Forbidden f -> b.append("<p>Reason: ").append(Html.text(f.reason())).append("</p>");
            case Allowed a -> b.append("<ul><li>rows: ").append(Html.text(String.valueOf(a.rows()))).append("</li><li>requirements: ")
                    .append(Html.text(String.valueOf(a.requirements()))).append("</li><li>fields: <span id=\"explain-fields\">")
                    .append(a.fields().isIdentity() ? "every field, unmasked" : "masked " + Html.list(a.fields().maskedPaths())
                            + "; removed " + Html.list(a.fields().removedPaths()) + " (and anything outside the allow-lists)")
                    .append("</span></li></ul>");
            default -> b.append("<p>No allow rule matched: default deny.</p>");
        }
        if (!view.current()) {
            b.append("<p class=\"warn\">The policy files on disk are not the version in force: the decision is the version "
                    + "in force's, the rule verdicts below are the files'.</p>");
        }
        b.append("<h2>Rules</h2><table id=\"verdicts\"><thead><tr>").append(Html.th("Rule")).append(Html.th("Effect"))
                .append(Html.th("Matched")).append(Html.th("Why")).append("</tr></thead><tbody>");
        for (Explainer.RuleVerdict v : ex.rules()) {
            b.append("<tr class=\"").append(v.matched() ? "matched" : "unmatched").append("\">").append(Html.td(v.id()))
                    .append(Html.td(v.effect().keyword())).append(Html.td(v.matched() ? "yes" : "no")).append(Html.td(v.why()))
                    .append("</tr>");
        }
        b.append("</tbody></table></section>");
        String summary = p.name() + " " + op.name() + " on " + tableName + ": " + decision + " " + ex.decision().ruleIds();
        return new Result(b.toString(), summary, tableName);
    }

    private static Result error(String message) {
        return new Result("<p class=\"error\" id=\"explain-error\">" + Html.text(message) + "</p>", "refused input: " + message, null);
    }

    static List<String> operations() {
        return Arrays.stream(Operation.values()).map(Operation::name).toList();
    }
}
