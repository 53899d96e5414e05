package dev.weir.appliance.reload;

import dev.weir.audit.event.AuditEvent;
import dev.weir.policy.watch.PolicyWatcher;

import java.util.List;

/**
 * The audit records of weir's reloads: {@code weir:PolicyReload} and {@code weir:PrincipalsReload}.
 * A reload that took effect is {@code RELOADED}; one that was refused (the running version
 * stays) is {@code REFUSED} with error type {@code ReloadRefused}, which every format reports as
 * a failure, and its reason (the {@code file:line:column} of each error) in the note. Warnings
 * of a reload that took effect (an empty policy file, a policy without rules) are in the note too.
 * Only the first line of each message is kept: never the source line a message quotes.
 */
public final class ReloadEvents {
    public static final String POLICY = "weir:PolicyReload";
    public static final String PRINCIPALS = "weir:PrincipalsReload";
    static final int MAX_NOTE = 4000;

    private ReloadEvents() {}

    /** The record of a policy reload's outcome. */
    public static AuditEvent policy(PolicyWatcher.Outcome outcome) {
        return event(POLICY, outcome.published(), outcome.contentHash(), note(outcome.messages()));
    }

    /** The record of a principals file that was reloaded ({@code count} principals now). */
    public static AuditEvent principalsReloaded(String file, int count) {
        return event(PRINCIPALS, true, null, file + ": " + count + " principal" + (count == 1 ? "" : "s"));
    }

    /** The record of a principals file that was refused, with the loader's message (file:line:column: error: ...). */
    public static AuditEvent principalsRefused(String message) {
        return event(PRINCIPALS, false, null, note(List.of(message == null ? "refused" : message)));
    }

    private static AuditEvent event(String operation, boolean applied, String hash, String note) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000).source("127.0.0.1", 0)
                .operation(operation).decision(applied ? "RELOADED" : "REFUSED").policyHash(hash)
                .errorType(applied ? null : "ReloadRefused").note(note).build();
    }

    /** The first line of each message, joined, at most {@link #MAX_NOTE} characters; null for none. */
    private static String note(List<String> messages) {
        if (messages.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (String m : messages) {
            if (!b.isEmpty()) b.append("; ");
            int nl = m.indexOf('\n');
            b.append(nl < 0 ? m : m.substring(0, nl));
        }
        return b.length() <= MAX_NOTE ? b.toString() : b.substring(0, MAX_NOTE - 3) + "...";
    }
}
