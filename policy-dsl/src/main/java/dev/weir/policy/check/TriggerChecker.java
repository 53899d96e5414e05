package dev.weir.policy.check;

import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.SourcePos;
import dev.weir.policy.ast.Trigger;
import dev.weir.policy.ast.TriggerClause;
import dev.weir.policy.ast.TriggerSource;
import dev.weir.policy.trigger.Cron;
import dev.weir.policy.schema.TableSchema;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a trigger that need no compiled policy (docs/triggers.md, "Checks"): an
 * {@code @id} (checkpoints are stored under it), one clause of each kind, the required
 * {@code call}, {@code as role} and {@code mark}, a declared role, known change names, an
 * http(s) URL, {@code batch} in 1..1000, {@code retry} in 0..100 with a back-off whose low end
 * is not above its high end, plain attribute names in {@code changed}, and a mark that is
 * neither in {@code changed} (the trigger would fire again on its own completion) nor the
 * mark of another trigger on the same table. What the role may read is checked after
 * compiling ({@link dev.weir.policy.trigger.TriggerCompiler}).
 */
final class TriggerChecker {
    static final List<String> EVENTS = List.of("INSERT", "MODIFY", "REMOVE");
    static final int MAX_BATCH = 1000;
    static final int MAX_RETRY = 100;

    private final List<Diagnostic> diagnostics;
    private final Set<String> roles;
    private final Set<String> networks;
    private final Optional<TableSchema> schema;
    private final Map<String, Trigger> ids = new HashMap<>();
    private final Map<String, Trigger> marks = new HashMap<>();

    TriggerChecker(List<Diagnostic> diagnostics, Set<String> roles, Set<String> networks, Optional<TableSchema> schema) {
        this.diagnostics = diagnostics;
        this.roles = roles;
        this.networks = networks;
        this.schema = schema;
    }

    void check(Trigger t) {
        if (!t.id().explicit()) {
            error(t.pos(), "a trigger needs an @id(\"...\"): its leases and checkpoints are stored under it");
        } else {
            Trigger first = ids.putIfAbsent(t.id().value(), t);
            if (first != null) {
                error(t.id().pos(), "duplicate trigger id '" + t.id().value() + "' (first defined at " + first.id().pos() + ")");
            }
        }
        Set<String> seen = new HashSet<>();
        for (TriggerClause c : t.clauses()) {
            if (!seen.add(c.keyword())) error(c.pos(), "duplicate '" + c.keyword() + "' clause");
        }
        if (t.source() instanceof TriggerSource.Every every) {
            checkSchedule(t, every);
        }
        if (t.source() instanceof TriggerSource.Request request) {
            checkRequest(t, request);
        }
        boolean stream = t.source() instanceof TriggerSource.Stream;
        for (String required : stream ? List.of("call", "as role", "mark") : List.of("call", "as role")) {
            if (!seen.contains(required)) {
                error(t.pos(), "a trigger needs a '" + required + "' clause (" + switch (required) {
                    case "call" -> "the function: call \"https://...\"";
                    case "as role" -> "the role whose read view its records are cut through: as role R";
                    default -> "the completion mark attribute: mark done_attr";
                } + ")");
            }
        }
        if (!stream) {
            checkCommon(t);
            return;
        }
        schema.ifPresent(s -> {
            if (!s.tables().containsKey(t.table().text())) {
                error(t.table().pos(), "unknown table '" + t.table().text() + "'" + Suggestions.hint(t.table().text(), s.tables().keySet()));
            }
        });
        ConditionChecker conditions = new ConditionChecker(diagnostics, networks, schema, List.of(t.table().text()));
        for (TriggerClause c : t.clauses()) {
            switch (c) {
                case TriggerClause.Events e -> {
                    for (Name n : e.events()) {
                        if (!EVENTS.contains(n.text())) {
                            error(n.pos(), "unknown change '" + n.text() + "': a trigger fires on INSERT, MODIFY or REMOVE"
                                    + Suggestions.hint(n.text().toUpperCase(Locale.ROOT), EVENTS));
                        }
                    }
                }
                case TriggerClause.Rows r -> conditions.check(r.condition(), ConditionChecker.Where.ROWS);
                case TriggerClause.Changed ch -> {
                    for (FieldPath p : ch.paths()) {
                        if (p.segments().stream().anyMatch(s -> !(s instanceof PathSegment.Attribute))) {
                            error(p.pos(), "'changed' names attributes (a.b.c), not patterns: " + p);
                        }
                    }
                }
                case TriggerClause.Call call -> urlError(call.url()).ifPresent(m -> error(call.pos(), m));
                case TriggerClause.RunAs r -> checkRole(r);
                case TriggerClause.Batch b -> {
                    if (b.size() < 1 || b.size() > MAX_BATCH) {
                        error(b.pos(), "batch must be from 1 to " + MAX_BATCH + " records per call, not " + b.size());
                    }
                }
                case TriggerClause.Retry r -> checkRetry(r);
                case TriggerClause.Mark m -> checkMark(t, m);
            }
        }
    }

    /** A schedule: a valid five-field cron, and none of the clauses that judge a change (there is none). */
    private void checkSchedule(Trigger t, TriggerSource.Every every) {
        try {
            Cron.parse(every.cron());
        } catch (Cron.Invalid e) {
            SourcePos at = every.textPos();
            error(new SourcePos(at.file(), at.line(), at.column() + e.offset()), "bad schedule \"" + every.cron() + "\": "
                    + e.getMessage());
        }
        for (TriggerClause c : t.clauses()) {
            switch (c) {
                case TriggerClause.Events e -> error(c.pos(), scheduleHasNo(c));
                case TriggerClause.Rows r -> error(c.pos(), scheduleHasNo(c));
                case TriggerClause.Changed ch -> error(c.pos(), scheduleHasNo(c));
                case TriggerClause.Batch b -> error(c.pos(), scheduleHasNo(c));
                case TriggerClause.Mark m -> error(c.pos(), scheduleHasNo(c));
                default -> { }
            }
        }
    }

    /**
     * The operations a request trigger fires on: those that name items by their keys (a
     * {@code Key}, a {@code Keys} list, or an item whose key attributes the table's key schema
     * names), singly or in a batch or transaction. Query, Scan and the table operations name no
     * item, so there is no key to send.
     */
    public static final List<String> REQUEST_OPERATIONS = List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem",
            "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems");

    /** {@code on request op [..] on table T}: operations that name items, a known table, none of the clauses that judge a change. */
    private void checkRequest(Trigger t, TriggerSource.Request r) {
        if (!r.kind().text().equals("request")) {
            error(r.kind().pos(), "a trigger starts 'on table T', 'on request op [..] on table T' or 'every \"CRON\"', not 'on "
                    + r.kind().text() + "'");
        }
        Set<String> ops = new HashSet<>();
        for (Name op : r.operations()) {
            if (!REQUEST_OPERATIONS.contains(op.text())) {
                error(op.pos(), "a request trigger fires on " + String.join(", ", REQUEST_OPERATIONS)
                        + " (requests that name items by their keys), not '" + op.text() + "'"
                        + Suggestions.hint(op.text(), REQUEST_OPERATIONS));
            } else if (!ops.add(op.text())) {
                error(op.pos(), "operation '" + op.text() + "' is listed twice");
            }
        }
        schema.ifPresent(s -> {
            if (!s.tables().containsKey(r.table().text())) {
                error(r.table().pos(), "unknown table '" + r.table().text() + "'" + Suggestions.hint(r.table().text(), s.tables().keySet()));
            }
        });
        for (TriggerClause c : t.clauses()) {
            switch (c) {
                case TriggerClause.Events e -> error(c.pos(), requestHasNo(c));
                case TriggerClause.Rows rows -> error(c.pos(), requestHasNo(c));
                case TriggerClause.Changed ch -> error(c.pos(), requestHasNo(c));
                case TriggerClause.Batch b -> error(c.pos(), requestHasNo(c));
                case TriggerClause.Mark m -> error(c.pos(), requestHasNo(c));
                default -> { }
            }
        }
    }

    private static String requestHasNo(TriggerClause c) {
        return "a request trigger has no '" + c.keyword() + "' clause: it calls its function once per request, with the request's keys";
    }

    private static String scheduleHasNo(TriggerClause c) {
        return "a scheduled trigger has no '" + c.keyword() + "' clause: it calls its function on the clock, not on a change";
    }

    /** The clauses every kind of trigger shares: the function, the role, the retries. */
    private void checkCommon(Trigger t) {
        for (TriggerClause c : t.clauses()) {
            switch (c) {
                case TriggerClause.Call call -> urlError(call.url()).ifPresent(m -> error(call.pos(), m));
                case TriggerClause.RunAs r -> checkRole(r);
                case TriggerClause.Retry r -> checkRetry(r);
                default -> { }
            }
        }
    }

    private void checkRole(TriggerClause.RunAs r) {
        if (!roles.contains(r.role().text())) {
            error(r.role().pos(), "unknown role '" + r.role().text() + "'" + Suggestions.hint(r.role().text(), roles));
        }
    }

    private void checkRetry(TriggerClause.Retry r) {
        if (r.attempts() < 0 || r.attempts() > MAX_RETRY) {
            error(r.pos(), "retry must be from 0 to " + MAX_RETRY + " attempts, not " + r.attempts());
        } else if (r.low() != null && r.high() != null) {
            if (r.low().isZero() || r.low().compareTo(r.high()) > 0) {
                error(r.pos(), "the back-off goes from a positive duration up to one at least as long: "
                        + r.low().toMillis() + "ms to " + r.high().toMillis() + "ms");
            }
        }
    }

    private void checkMark(Trigger t, TriggerClause.Mark m) {
        String mark = m.attribute().text();
        t.clause(TriggerClause.Changed.class).ifPresent(ch -> {
            for (FieldPath p : ch.paths()) {
                if (p.segments().getFirst() instanceof PathSegment.Attribute a && a.name().equals(mark)) {
                    error(m.pos(), "the mark '" + mark + "' is also in 'changed' (at " + p.pos()
                            + "): writing it would fire the trigger again");
                }
            }
        });
        Trigger other = marks.putIfAbsent(t.table().text() + "\u0000" + mark, t);
        if (other != null) {
            error(m.pos(), "the mark '" + mark + "' is already the mark of trigger '" + other.id().value()
                    + "' on table " + t.table().text() + " (each trigger needs its own)");
        }
    }

    /** Why the URL is not an http(s) endpoint, or empty. */
    static Optional<String> urlError(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("a trigger calls an http or https URL, not '" + (scheme.isEmpty() ? url : scheme + ":") + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.of("the URL names no host: " + url);
        if (uri.getRawUserInfo() != null) return Optional.of("the URL may not carry a user name or password (use the signing secret)");
        if (uri.getRawFragment() != null) return Optional.of("the URL may not have a #fragment");
        return Optional.empty();
    }

    private void error(SourcePos at, String message) {
        diagnostics.add(Diagnostic.error(at, message));
    }
}
