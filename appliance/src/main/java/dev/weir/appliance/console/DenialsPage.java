package dev.weir.appliance.console;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refused requests at a glance: each with its rules and a reason. The audit record names the
 * rules and the error type; the reason is the {@code reason} text of the deny rule in the policy
 * files, or, for a FORBIDDEN record that names only allow rules, a leak refusal: a check refused
 * what the allowing rules hide (a side channel, an information flow, a write outside the
 * caller's fields or rows). The record does not say which check; the caller's error message did.
 */
final class DenialsPage {
    /** The kinds of refusal the page counts. */
    static final List<String> KINDS = List.of("deny rule", "leak refusal", "default deny", "unauthenticated", "invalid",
            "unenforceable");

    private DenialsPage() {}

    static String body(LiveFeed feed, PolicyView policy) {
        if (feed == null) return "<p class=\"note\">The audit is off (audit.mode: off): there is nothing to show.</p>";
        List<LiveFeed.Seen> refused = feed.recent().stream().filter(s -> !s.allowed()).toList();
        Map<String, Integer> byKind = new TreeMap<>();
        for (String k : KINDS) byKind.put(k, 0);
        StringBuilder rows = new StringBuilder();
        for (LiveFeed.Seen s : refused) {
            String kind = kind(s, policy);
            byKind.merge(kind, 1, Integer::sum);
            if (rows.length() > 400_000) continue;
            rows.append("<tr data-kind=\"").append(Html.text(kind)).append("\">").append(Html.td(Html.time(s.timeMicros())))
                    .append(Html.td(s.principal())).append(Html.td(s.operation())).append(Html.td(s.table()))
                    .append("<td class=\"decision\">").append(Html.text(s.decision())).append("</td>")
                    .append(Html.td(kind)).append("<td class=\"rules\">").append(Html.list(s.rules())).append("</td>")
                    .append("<td class=\"reason\">").append(Html.text(reason(s, kind, policy))).append("</td>")
                    .append(Html.td(s.errorType())).append("</tr>\n");
        }
        StringBuilder b = new StringBuilder("<table id=\"denial-kinds\" class=\"counts\"><thead><tr>");
        for (String k : KINDS) b.append(Html.th(k));
        b.append("</tr></thead><tbody><tr>");
        for (String k : KINDS) b.append("<td class=\"n\" data-kind=\"").append(Html.text(k)).append("\">").append(byKind.get(k)).append("</td>");
        b.append("</tr></tbody></table>\n<p class=\"note\">Of the last ").append(feed.recent().size())
                .append(" requests kept. Reasons come from the policy files on disk");
        if (!policy.current()) b.append(" (which differ from the version in force)");
        b.append(".</p>\n<table id=\"denials\"><thead><tr>");
        for (String h : List.of("Time (UTC)", "Principal", "Operation", "Table", "Decision", "Kind", "Rules", "Reason", "Error"))
            b.append(Html.th(h));
        b.append("</tr></thead><tbody>\n").append(rows).append("</tbody></table>");
        if (refused.isEmpty()) b.append("<p class=\"note\">No refused request is kept.</p>");
        return b.toString();
    }

    static String kind(LiveFeed.Seen s, PolicyView policy) {
        return switch (s.decision() == null ? "" : s.decision()) {
            case "FORBIDDEN" -> {
                boolean anyDeny = s.rules().stream().anyMatch(id -> policy.rule(id).map(r -> r.effect().equals("deny")).orElse(false));
                yield anyDeny || s.rules().isEmpty() ? "deny rule" : "leak refusal";
            }
            case "NOT_PERMITTED" -> "default deny";
            case "UNAUTHENTICATED" -> "unauthenticated";
            case "INVALID" -> "invalid";
            case "UNENFORCEABLE" -> "unenforceable";
            default -> "invalid";
        };
    }

    static String reason(LiveFeed.Seen s, String kind, PolicyView policy) {
        return switch (kind) {
            case "deny rule" -> {
                StringBuilder r = new StringBuilder();
                for (String id : s.rules()) {
                    policy.rule(id).filter(t -> t.effect().equals("deny")).ifPresent(t -> {
                        if (!r.isEmpty()) r.append("; ");
                        r.append(id).append(": ").append(t.reason() == null ? "(no reason given)" : t.reason());
                    });
                }
                yield r.isEmpty() ? "a deny rule matched" : r.toString();
            }
            case "leak refusal" -> "refused by a check after " + String.join(", ", s.rules())
                    + " allowed it: the request would reveal or move what the caller's view hides";
            case "default deny" -> "no allow rule matched (default deny), or no policy is loaded";
            case "unauthenticated" -> "no valid identity";
            case "unenforceable" -> "weir cannot enforce the policy on this request, so it refused it";
            default -> "malformed request";
        };
    }
}
