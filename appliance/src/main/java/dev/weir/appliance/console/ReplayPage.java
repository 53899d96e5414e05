package dev.weir.appliance.console;

import dev.weir.appliance.config.ConfigLoader.PrincipalEntry;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.replay.AuditReplay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay: a proposed policy folder on the weir host against the recorded audit (the local JSON
 * lines file, the sink named "file"), and the decisions it would change ({@link AuditReplay}, the
 * code of {@code ./weir policy replay}). Principals' attributes come from the principals file in
 * force. A folder that does not load gives its errors with file:line:column.
 */
final class ReplayPage {
    /** The page's result part and a line for the audit record. */
    record Result(String html, String summary) {}

    static final int SHOWN = 500;

    private ReplayPage() {}

    static String form(Sessions.Session s, String folder, Path auditFile) {
        StringBuilder b = new StringBuilder();
        if (auditFile == null) {
            b.append("<p class=\"warn\" id=\"replay-unavailable\">The audit has no local JSON lines file (audit.file is off, or "
                    + "the audit is off): replay needs it.</p>");
        } else {
            b.append("<p class=\"note\">Against <code>").append(Html.text(auditFile.toString())).append("</code>.</p>");
        }
        b.append("<form id=\"replay-form\" method=\"post\" action=\"/replay\">").append(Layout.csrf(s))
                .append("<label>Policy folder on the weir host <input name=\"folder\" id=\"replay-folder\" size=\"60\" value=\"")
                .append(Html.text(folder)).append("\"></label> <button type=\"submit\" id=\"replay-go\">Replay</button></form>");
        return b.toString();
    }

    static Result replay(String folder, Path auditFile, List<PrincipalEntry> principals) {
        if (auditFile == null) return error("no local audit file to replay");
        if (folder == null || folder.isBlank()) return error("name the folder of the proposed policy");
        Path dir;
        try {
            dir = Path.of(folder.trim());
        } catch (InvalidPathException e) {
            return error("not a path: " + folder);
        }
        if (!dir.isAbsolute()) return error("give the folder as an absolute path on the weir host");
        if (!Files.isDirectory(dir)) return error("no folder " + dir + " on the weir host");
        LoadResult r = PolicyLoader.load(dir, HmacKeys.forTesting());
        if (!r.ok()) {
            StringBuilder b = new StringBuilder("<p class=\"error\" id=\"replay-error\">The proposed policy does not load:</p><ul class=\"errors\">");
            for (Diagnostic d : r.diagnostics()) b.append("<li>").append(Html.text(d.headline())).append("</li>");
            b.append("</ul>");
            return new Result(b.toString(), dir + ": does not load (" + r.errors().size() + " errors)");
        }
        Map<String, Map<String, List<String>>> attributes = new HashMap<>();
        for (PrincipalEntry p : principals) attributes.put(p.name(), p.attributes());
        AuditReplay.Report report;
        try (BufferedReader in = Files.newBufferedReader(auditFile, StandardCharsets.UTF_8)) {
            report = AuditReplay.replay(in, r.table().orElseThrow(), attributes);
        } catch (IOException e) {
            return error("cannot read the audit file: " + e.getMessage());
        }
        StringBuilder b = new StringBuilder("<section id=\"replay-result\"><p><span id=\"replayed\">").append(report.replayed())
                .append("</span> decisions replayed, <span id=\"changed\">").append(report.changes().size())
                .append("</span> would change, ").append(report.skipped()).append(" records skipped (no decision). Proposed version <code>")
                .append(Html.text(r.contentHash())).append("</code>.</p>");
        for (String e : report.errors()) b.append("<p class=\"warn\">").append(Html.text(e)).append("</p>");
        b.append("<table id=\"changes\"><thead><tr>");
        for (String h : List.of("Audit line", "Principal", "Roles", "Operation", "Table", "Before", "Rules before", "After",
                "Rules after", "Detail")) b.append(Html.th(h));
        b.append("</tr></thead><tbody>");
        for (AuditReplay.Change c : report.changes().subList(0, Math.min(SHOWN, report.changes().size()))) {
            b.append("<tr>").append(Html.td(Integer.toString(c.line()))).append(Html.td(c.principal())).append("<td>")
                    .append(Html.list(c.roles())).append("</td>").append(Html.td(c.operation())).append(Html.td(c.table()))
                    .append(Html.td(c.before())).append("<td>").append(Html.list(c.beforeRules())).append("</td>")
                    .append(Html.td(c.after())).append("<td>").append(Html.list(c.afterRules())).append("</td>")
                    .append(Html.td(c.detail())).append("</tr>");
        }
        b.append("</tbody></table>");
        if (report.changes().size() > SHOWN) b.append("<p class=\"note\">The first ").append(SHOWN).append(" are shown.</p>");
        b.append("</section>");
        return new Result(b.toString(), dir + ": " + report.replayed() + " replayed, " + report.changes().size() + " would change");
    }

    private static Result error(String message) {
        return new Result("<p class=\"error\" id=\"replay-error\">" + Html.text(message) + "</p>", "refused: " + message);
    }
}
