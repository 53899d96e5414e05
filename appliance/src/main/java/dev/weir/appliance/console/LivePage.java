package dev.weir.appliance.console;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Live decisions: the last requests the audit recorded (principal, operation, table, decision,
 * rules, masked and removed fields, latency), filtered by principal, table, operation and
 * decision, and per-rule and per-principal counts per minute. The script refreshes the data part
 * ({@code /live/data}) every few seconds while "follow" is ticked.
 */
final class LivePage {
    static final int SHOWN = 200;
    static final int MINUTES = 10;

    /** The filters of the page; an empty one matches all. */
    record Filter(String principal, String table, String operation, String decision) {
        static Filter of(Map<String, String> q) {
            return new Filter(q.getOrDefault("principal", ""), q.getOrDefault("table", ""), q.getOrDefault("operation", ""),
                    q.getOrDefault("decision", ""));
        }

        boolean matches(LiveFeed.Seen s) {
            return (principal.isEmpty() || principal.equals(s.principal()))
                    && (table.isEmpty() || table.equals(s.table()))
                    && (operation.isEmpty() || operation.equals(s.operation()))
                    && (decision.isEmpty() || (decision.equals("DENIED") ? !s.allowed() : decision.equals(s.decision())));
        }

        String query() {
            return "principal=" + enc(principal) + "&table=" + enc(table) + "&operation=" + enc(operation) + "&decision=" + enc(decision);
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private LivePage() {}

    static String body(LiveFeed feed, Filter f) {
        if (feed == null) return "<p class=\"note\">The audit is off (audit.mode: off): there is nothing to show.</p>";
        List<LiveFeed.Seen> all = feed.recent();
        StringBuilder b = new StringBuilder();
        b.append("<form class=\"filters\" method=\"get\" action=\"/live\">");
        select(b, "principal", "Principal", names(all, LiveFeed.Seen::principal), f.principal());
        select(b, "table", "Table", names(all, LiveFeed.Seen::table), f.table());
        select(b, "operation", "Operation", names(all, LiveFeed.Seen::operation), f.operation());
        select(b, "decision", "Decision", List.of("ALLOWED", "DENIED", "FORBIDDEN", "NOT_PERMITTED", "UNAUTHENTICATED",
                "INVALID", "UNENFORCEABLE"), f.decision());
        b.append("<button type=\"submit\">Filter</button> <label><input type=\"checkbox\" id=\"follow\" checked> follow</label></form>\n");
        b.append("<div id=\"live-data\" data-src=\"/live/data?").append(Html.text(f.query())).append("\">");
        b.append(data(feed, f));
        b.append("</div>");
        return b.toString();
    }

    /** The part the script refreshes: totals, counts and the rows. */
    static String data(LiveFeed feed, Filter f) {
        List<LiveFeed.Seen> all = feed.recent();
        List<LiveFeed.Seen> rows = all.stream().filter(f::matches).toList();
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"totals\">Since start: <span id=\"total-requests\">").append(feed.requests())
                .append("</span> requests, <span id=\"total-denied\">").append(feed.denied())
                .append("</span> refused. Kept: ").append(all.size()).append(", matching the filters: <span id=\"matching\">")
                .append(rows.size()).append("</span>.</p>\n");
        counts(b, "Requests per rule per minute (UTC)", "counts-rule", feed.byRule(MINUTES));
        counts(b, "Requests per principal per minute (UTC)", "counts-principal", feed.byPrincipal(MINUTES));
        b.append("<h2>Recent requests</h2>\n<table id=\"decisions\"><thead><tr>");
        for (String h : List.of("Time (UTC)", "Principal", "Source", "Operation", "Table", "Decision", "Rules", "Masked",
                "Removed", "Status", "Latency (ms)", "Decide (ms)")) b.append(Html.th(h));
        b.append("</tr></thead><tbody>\n");
        for (LiveFeed.Seen s : rows.subList(0, Math.min(SHOWN, rows.size()))) {
            b.append("<tr class=\"").append(s.allowed() ? "allowed" : "denied").append("\">")
                    .append(Html.td(Html.time(s.timeMicros()))).append(Html.td(s.principal()))
                    .append(Html.td(s.source())).append(Html.td(s.operation()))
                    .append(Html.td(s.table() == null ? "" : s.table() + (s.index() == null ? "" : " (" + s.index() + ")")))
                    .append("<td class=\"decision\">").append(Html.text(s.decision())).append("</td>")
                    .append("<td class=\"rules\">").append(Html.list(s.rules())).append("</td>")
                    .append("<td class=\"masked\">").append(Html.list(s.masked())).append("</td>")
                    .append("<td class=\"removed\">").append(Html.list(s.removed())).append("</td>")
                    .append(Html.td(s.status() == 0 ? "" : Integer.toString(s.status())))
                    .append(Html.td(ms(s.latencyMicros()))).append(Html.td(ms(s.decideMicros()))).append("</tr>\n");
        }
        b.append("</tbody></table>");
        if (rows.isEmpty()) b.append("<p class=\"note\">No request matches.</p>");
        return b.toString();
    }

    static void counts(StringBuilder b, String title, String id, LiveFeed.Counts c) {
        b.append("<h2>").append(Html.text(title)).append("</h2>\n<table id=\"").append(id).append("\" class=\"counts\"><thead><tr>")
                .append(Html.th(id.endsWith("rule") ? "Rule" : "Principal"));
        for (Long m : c.minutes()) b.append(Html.th(Html.time(m * 60_000_000L).substring(11, 16)));
        b.append(Html.th("Total")).append("</tr></thead><tbody>\n");
        for (Map.Entry<String, Map<Long, Long>> e : c.byKey().entrySet()) {
            b.append("<tr data-key=\"").append(Html.text(e.getKey())).append("\">").append(Html.td(e.getKey()));
            long total = 0;
            for (Long m : c.minutes()) {
                long n = e.getValue().getOrDefault(m, 0L);
                total += n;
                b.append("<td class=\"n\">").append(n).append("</td>");
            }
            b.append("<td class=\"n total\">").append(total).append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    static String ms(long micros) {
        return String.format(java.util.Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static List<String> names(List<LiveFeed.Seen> all, java.util.function.Function<LiveFeed.Seen, String> f) {
        TreeSet<String> out = new TreeSet<>();
        for (LiveFeed.Seen s : all) if (f.apply(s) != null) out.add(f.apply(s));
        return List.copyOf(out);
    }

    static void select(StringBuilder b, String name, String label, List<String> options, String chosen) {
        b.append("<label>").append(Html.text(label)).append(" <select name=\"").append(name).append("\"><option value=\"\">all</option>");
        TreeSet<String> all = new TreeSet<>(options);
        if (!chosen.isEmpty()) all.add(chosen);
        for (String o : all) {
            b.append("<option value=\"").append(Html.text(o)).append('"').append(o.equals(chosen) ? " selected" : "").append('>')
                    .append(Html.text(o)).append("</option>");
        }
        b.append("</select></label> ");
    }
}
