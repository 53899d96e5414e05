package dev.weir.appliance.console;

import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.decision.DecisionTable;

import java.util.List;
import java.util.Locale;

/**
 * The policy: the version in force (its content hash) and whether the files on disk are that
 * version, the reload history (refused reloads with the file:line:column of each error), the
 * roles, the rules with their source text and reasons, and per table a matrix of what each role
 * sees of each field.
 */
final class PolicyPage {
    private PolicyPage() {}

    static String body(String runningHash, DecisionTable table, PolicyView view, List<LiveFeed.Reload> reloads) {
        StringBuilder b = new StringBuilder();
        b.append("<section id=\"version\"><h2>Version</h2><p>In force: <code id=\"policy-hash\">").append(Html.text(runningHash))
                .append("</code>").append(table == null ? " (no policy loaded: every request is denied)"
                        : ", " + table.ruleCount() + " rules").append("</p>");
        if (view.current()) {
            b.append("<p id=\"disk-state\">The files on disk are this version.</p>");
        } else {
            b.append("<p id=\"disk-state\" class=\"warn\">The files on disk (sha256 <code>").append(Html.text(view.diskHash()))
                    .append("</code>) are not the version in force: a reload was refused or has not run yet. Rules below are the files'.</p>");
            if (!view.set.result().ok()) {
                b.append("<ul class=\"errors\">");
                for (Diagnostic d : view.set.result().diagnostics()) {
                    b.append("<li>").append(Html.text(d.headline())).append("</li>");
                }
                b.append("</ul>");
            }
        }
        b.append("</section>\n<section><h2>Reload history</h2>");
        if (reloads == null) {
            b.append("<p class=\"note\">The audit is off, so reloads are not recorded here.</p>");
        } else if (reloads.isEmpty()) {
            b.append("<p class=\"note\">No reload since weir started (the version above was loaded at start).</p>");
        } else {
            b.append("<table id=\"reloads\"><thead><tr>").append(Html.th("Time (UTC)")).append(Html.th("What"))
                    .append(Html.th("Outcome")).append(Html.th("Version")).append(Html.th("Messages")).append("</tr></thead><tbody>");
            for (LiveFeed.Reload r : reloads) {
                b.append("<tr class=\"").append(r.applied() ? "allowed" : "denied").append("\">").append(Html.td(Html.time(r.timeMicros())))
                        .append(Html.td(r.what())).append(Html.td(r.applied() ? "reloaded" : "refused")).append(Html.td(r.hash()))
                        .append("<td class=\"messages\">").append(Html.text(r.note()).replace("; ", "<br>")).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section>\n<section><h2>Roles</h2><ul id=\"roles\">");
        for (RoleDecl r : view.roles()) {
            b.append("<li>").append(Html.text(r.name().text()));
            if (!r.parents().isEmpty()) b.append(" inherits ").append(Html.list(r.parents().stream().map(Name::text).toList()));
            b.append("</li>");
        }
        b.append("</ul></section>\n<section><h2>Rules</h2><table id=\"rules\"><thead><tr>").append(Html.th("Rule"))
                .append(Html.th("Effect")).append(Html.th("Where")).append(Html.th("Text")).append(Html.th("Reason"))
                .append("</tr></thead><tbody>");
        for (PolicyView.RuleText r : view.rules()) {
            b.append("<tr data-rule=\"").append(Html.text(r.id())).append("\">").append(Html.td(r.id())).append(Html.td(r.effect()))
                    .append(Html.td(r.place())).append("<td><pre>").append(Html.text(r.text())).append("</pre></td>")
                    .append(Html.td(r.reason())).append("</tr>");
        }
        b.append("</tbody></table></section>\n<section><h2>Fields each role sees (GetItem)</h2>")
                .append("<p class=\"note\">As the version in force decides a GetItem for a principal holding only that role, "
                        + "without attributes or context: a rule whose <code>when</code> needs them does not match here; "
                        + "row filters are not shown (Explain shows them). shown: in clear; masked: a mask's output; removed: "
                        + "never returned; partial: some of it; denied: the role may not read the table.</p>");
        for (PolicyView.Matrix m : PolicyView.matrices(table)) {
            b.append("<h3>").append(Html.text(m.table())).append("</h3><table class=\"matrix\" data-table=\"")
                    .append(Html.text(m.table())).append("\"><thead><tr>").append(Html.th("Role")).append(Html.th("Decision"));
            for (String f : m.fields()) b.append(Html.th(f));
            b.append(Html.th("other fields")).append("</tr></thead><tbody>");
            for (PolicyView.Row r : m.rows()) {
                b.append("<tr data-role=\"").append(Html.text(r.role())).append("\">").append(Html.td(r.role()))
                        .append("<td title=\"").append(Html.text(String.join(", ", r.rules()))).append("\">")
                        .append(Html.text(r.decision())).append("</td>");
                for (String f : m.fields()) cell(b, f, r.fields().get(f));
                cell(b, "*", r.others());
                b.append("</tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section>");
        return b.toString();
    }

    private static void cell(StringBuilder b, String field, PolicyView.Cell c) {
        String word = c.name().toLowerCase(Locale.ROOT);
        b.append("<td class=\"cell ").append(word).append("\" data-field=\"").append(Html.text(field)).append("\">")
                .append(word).append("</td>");
    }
}
