package dev.weir.appliance.console;

import dev.weir.appliance.lifecycle.RunningTriggers;
import dev.weir.policy.decision.DecisionTable;

import java.util.Map;

/**
 * Triggers and streams: the shards this instance runs, the request triggers' dropped count, and
 * the trigger worker's audit records counted by kind (calls that succeeded or failed, dead
 * letters, problems). The lifecycle worker does not expose lag per shard: the page says so
 * rather than show a number it does not have.
 */
final class TriggersPage {
    private TriggersPage() {}

    static String body(RunningTriggers triggers, DecisionTable policy, LiveFeed feed) {
        StringBuilder b = new StringBuilder();
        int declared = policy == null ? 0 : policy.triggers().size() + policy.schedules().size() + policy.requestTriggers().size();
        if (declared == 0) {
            b.append("<p class=\"note\" id=\"no-triggers\">The policy in force declares no trigger").append(triggers == null
                    ? " (and lifecycle.enabled is false)." : ": the worker is idle.").append("</p>");
        } else {
            b.append("<h2>Triggers in the policy</h2><table id=\"declared\"><thead><tr>").append(Html.th("Trigger"))
                    .append(Html.th("Kind")).append(Html.th("Table or schedule")).append("</tr></thead><tbody>");
            for (var t : policy.triggers()) b.append("<tr>").append(Html.td(t.id())).append(Html.td("stream")).append(Html.td(t.table())).append("</tr>");
            for (var t : policy.schedules()) b.append("<tr>").append(Html.td(t.id())).append(Html.td("schedule")).append(Html.td(String.valueOf(t.cron()))).append("</tr>");
            for (var t : policy.requestTriggers()) b.append("<tr>").append(Html.td(t.id())).append(Html.td("request")).append(Html.td(t.table())).append("</tr>");
            b.append("</tbody></table>");
        }
        if (triggers == null) {
            b.append("<p class=\"note\">No trigger worker runs here: lifecycle.enabled is false.</p>");
        } else {
            b.append("<h2>Stream shards this instance runs</h2>");
            if (triggers.streams() == null) {
                b.append("<p class=\"note\">No stream trigger.</p>");
            } else {
                b.append("<table id=\"shards\"><thead><tr>").append(Html.th("Trigger | shard")).append(Html.th("Behind"))
                        .append("</tr></thead><tbody>");
                for (var e : triggers.streams().behindMillis().entrySet()) {
                    long ms = e.getValue();
                    String behind = ms < 0 ? "not read yet" : ms == 0 ? "at the tip" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
                    b.append("<tr>").append(Html.td(e.getKey())).append(Html.td(behind)).append("</tr>");
                }
                b.append("</tbody></table>");
            }
            if (triggers.requests() != null) {
                b.append("<p>Request triggers: <span id=\"request-triggers-dropped\">").append(triggers.requests().dropped())
                        .append("</span> events dropped (queue full).</p>");
            }
        }
        b.append("<p class=\"note\" id=\"lag-note\">Behind: at the shard's last read, the age of the newest record read and not "
                + "yet checkpointed; at the tip when that read found nothing new. "
                + "Dead letters are counted below from the audit (weir:TriggerDeadLetter) and kept in the dead-letter table.</p>");
        b.append("<h2>Trigger records seen since start</h2>");
        if (feed == null) {
            b.append("<p class=\"note\">The audit is off.</p>");
            return b.toString();
        }
        Map<String, Long> counts = feed.triggerCounts();
        if (counts.isEmpty()) b.append("<p class=\"note\">None.</p>");
        else {
            b.append("<table id=\"trigger-records\"><thead><tr>").append(Html.th("Kind, table, trigger, outcome"))
                    .append(Html.th("Count")).append("</tr></thead><tbody>");
            for (var e : new java.util.TreeMap<>(counts).entrySet()) {
                b.append("<tr>").append(Html.td(e.getKey())).append("<td class=\"n\">").append(e.getValue()).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        return b.toString();
    }
}
