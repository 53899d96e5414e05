package dev.weir.appliance.console;

import dev.weir.audit.event.AuditEvent;

/**
 * The audit records of console actions, each of its own type: {@code weir:ConsoleSignIn}
 * (ALLOWED, or UNAUTHENTICATED with error type {@code ConsoleSignInRefused} and the reason in the
 * note), {@code weir:ConsoleSignOut}, {@code weir:ConsoleView} (a page shown; the note names it),
 * {@code weir:ConsoleExplain} (the principal, table and operation explained, and the decision),
 * {@code weir:ConsoleReplay} (the folder replayed, and how many decisions would change) and
 * {@code weir:ConsoleVerify} (an audit chain checked). The principal is the admin; the source,
 * the browser's address. They carry no secret and no item value.
 */
final class ConsoleEvents {
    static final String SIGN_IN = "weir:ConsoleSignIn";
    static final String SIGN_OUT = "weir:ConsoleSignOut";
    static final String VIEW = "weir:ConsoleView";
    static final String EXPLAIN = "weir:ConsoleExplain";
    static final String REPLAY = "weir:ConsoleReplay";
    static final String VERIFY = "weir:ConsoleVerify";
    static final int MAX_NOTE = 1000;

    private ConsoleEvents() {}

    static AuditEvent signedIn(Sessions.Session s, String source) {
        return base(SIGN_IN, s, source).decision("ALLOWED").build();
    }

    static AuditEvent refused(Admins.Refused r, String source) {
        return AuditEvent.builder().timeMicros(now()).source(source, 0).operation(SIGN_IN).principal(r.principal())
                .accessKeyId(r.accessKeyId()).decision("UNAUTHENTICATED").errorType("ConsoleSignInRefused").status(403)
                .note(r.why()).build();
    }

    /** Too many refused sign-ins from one address: refused without looking at the credential. */
    static AuditEvent throttled(String source) {
        return AuditEvent.builder().timeMicros(now()).source(source, 0).operation(SIGN_IN).decision("UNAUTHENTICATED")
                .errorType("ConsoleSignInThrottled").status(429).note("too many refused sign-ins from this address").build();
    }

    static AuditEvent signedOut(Sessions.Session s, String source) {
        return base(SIGN_OUT, s, source).decision("ALLOWED").build();
    }

    static AuditEvent viewed(Sessions.Session s, String source, String page) {
        return base(VIEW, s, source).decision("ALLOWED").note(clip(page)).build();
    }

    static AuditEvent explained(Sessions.Session s, String source, String table, String note) {
        return base(EXPLAIN, s, source).decision("ALLOWED").table(table).note(clip(note)).build();
    }

    static AuditEvent replayed(Sessions.Session s, String source, String note) {
        return base(REPLAY, s, source).decision("ALLOWED").note(clip(note)).build();
    }

    static AuditEvent verified(Sessions.Session s, String source, String note) {
        return base(VERIFY, s, source).decision("ALLOWED").note(clip(note)).build();
    }

    private static AuditEvent.Builder base(String op, Sessions.Session s, String source) {
        return AuditEvent.builder().timeMicros(now()).source(source, 0).operation(op).principal(s.principal())
                .roles(s.roles()).accessKeyId(s.accessKeyId()).status(200);
    }

    static String clip(String note) {
        return note == null || note.length() <= MAX_NOTE ? note : note.substring(0, MAX_NOTE - 3) + "...";
    }

    private static long now() {
        return System.currentTimeMillis() * 1000;
    }
}
