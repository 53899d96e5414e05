package dev.weir.appliance.console;

import dev.weir.audit.pipeline.AuditCounters;

import java.util.List;

/**
 * Audit sinks: the pipeline's counters (published, written, dropped, gaps, the spool) and each
 * sink's health, lag and drops ({@link AuditCounters}), and each hash chain's last verification
 * with a button to run one.
 */
final class AuditPage {
    private AuditPage() {}

    static String body(AuditCounters c, ChainChecks chains, Sessions.Session s) {
        if (c == null) return "<p class=\"warn\">The audit is off (audit.mode: off).</p>";
        StringBuilder b = new StringBuilder("<h2>Pipeline</h2><table id=\"pipeline\" class=\"kv\"><tbody>");
        row(b, "published", "events accepted into the queue", c.published());
        row(b, "written", "records written to the spool", c.written());
        row(b, "dropped", "events lost (each recorded in a gap event)", c.dropped());
        row(b, "gaps", "gap events written", c.gaps());
        row(b, "damaged", "spool records found damaged", c.damaged());
        row(b, "spool-bytes", "bytes in the spool", c.spoolBytes());
        row(b, "forces", "spool fsyncs", c.forces());
        b.append("<tr><th>spool writable</th><td id=\"spool-writable\">").append(c.writeError() == null ? "yes"
                : "no: " + Html.text(c.writeError())).append("</td></tr></tbody></table>\n");
        b.append("<h2>Sinks</h2><table id=\"sinks\"><thead><tr>");
        for (String h : List.of("Sink", "Health", "Shipped", "Lag (records)", "Retried", "Dropped", "Last error")) b.append(Html.th(h));
        b.append("</tr></thead><tbody>");
        for (AuditCounters.Sink k : c.sinks()) {
            b.append("<tr data-sink=\"").append(Html.text(k.name())).append("\" class=\"").append(k.lastError() == null ? "allowed" : "denied")
                    .append("\">").append(Html.td(k.name())).append("<td class=\"health\">").append(k.lastError() == null ? "up" : "down")
                    .append("</td><td class=\"n\">").append(k.shipped()).append("</td><td class=\"n lag\">").append(k.lag())
                    .append("</td><td class=\"n\">").append(k.retried()).append("</td><td class=\"n\">").append(k.dropped())
                    .append("</td>").append(Html.td(k.lastError())).append("</tr>");
        }
        b.append("</tbody></table>\n<h2>Hash chains</h2>");
        if (chains.chains().isEmpty()) b.append("<p class=\"note\">No chained sink (type file) is configured.</p>");
        for (ChainChecks.Chain ch : chains.chains()) {
            b.append("<section class=\"chain\" data-sink=\"").append(Html.text(ch.sink())).append("\"><h3>").append(Html.text(ch.sink()))
                    .append("</h3><p><code>").append(Html.text(ch.dir().toString())).append("</code></p>");
            ChainChecks.Verification v = chains.last(ch.sink());
            if (v == null) {
                b.append("<p class=\"verification\">Not verified since weir started.</p>");
            } else {
                b.append("<p class=\"verification ").append(v.ok() && v.complete() ? "allowed" : "denied").append("\">Last verified ")
                        .append(Html.time(v.timeMicros())).append(": ").append(v.ok() ? "chain intact" : "CHAIN BROKEN").append(", ")
                        .append(v.complete() ? "complete" : "events missing without a gap record").append("; ").append(v.files())
                        .append(" files, ").append(v.records()).append(" records, ").append(v.lostInGaps())
                        .append(" lost in recorded gaps, ").append(v.lostUnrecorded()).append(" lost unrecorded.</p><ul>");
                for (String p : v.problems()) b.append("<li class=\"error\">").append(Html.text(p)).append("</li>");
                for (String n : v.notes()) b.append("<li>").append(Html.text(n)).append("</li>");
                b.append("</ul>");
            }
            b.append("<form method=\"post\" action=\"/audit/verify\">").append(Layout.csrf(s))
                    .append("<input type=\"hidden\" name=\"sink\" value=\"").append(Html.text(ch.sink()))
                    .append("\"><button type=\"submit\">Verify now</button></form></section>");
        }
        b.append("<p class=\"note\">Digest signatures are not checked here (weir holds no public key): "
                + "<code>./weir audit verify --public-key FILE DIR</code> checks them.</p>");
        return b.toString();
    }

    private static void row(StringBuilder b, String id, String label, long n) {
        b.append("<tr><th>").append(Html.text(label)).append("</th><td class=\"n\" id=\"").append(id).append("\">").append(n)
                .append("</td></tr>");
    }
}
