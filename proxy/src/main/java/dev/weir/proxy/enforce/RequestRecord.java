package dev.weir.proxy.enforce;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.PendingEvent;
import dev.weir.policy.decision.Allowed;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.identity.Principal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One audit record of a request as the event loop leaves it: the last stage the request reached,
 * its verdict and what came of it, all immutable references the loop already holds, and the few
 * numbers only the loop knows (when it was answered). The {@link AuditEvent} is made from them by
 * {@link #event()} on the audit writer's thread: the keys as text, the paths read and written
 * ({@link Touched}), the masked and removed paths, the source address as text, the table list,
 * the error type. So recording a request costs its event loop one small object and a queue offer
 * (issue 16).
 *
 * <p>Everything it holds is immutable once the request is answered (stages are records over
 * copied collections and a parsed body nobody writes; a response's body is never written after it
 * is made), except {@link Decided}'s memo of what the request touches, which any thread may fill
 * and which always holds the same value. The operation of a request that was never parsed is
 * read from its header here, on the loop, so the writer never reads the HTTP request.
 *
 * @param reached       the last stage the request reached
 * @param verdict       its verdict
 * @param operation     the operation of a request that was never parsed, as its {@code X-Amz-Target} names it (else null)
 * @param decidedNanos  {@link System#nanoTime()} when it was decided
 * @param phase         {@link AuditEvent#DECISION}, {@link AuditEvent#OUTCOME} or {@link AuditEvent#COMPLETE}
 * @param answered      the answer, or null for a decision record (whose outcome is not known yet)
 * @param answeredNanos {@link System#nanoTime()} when the record was made, for the latency (0 for a decision record)
 * @param status        the status the client got, when it is not the answer's own (a withheld answer); 0: the answer's
 * @param errorType     the error type that goes with {@code status}, else null
 * @param note          the record's note, when it is not the decision's own
 */
record RequestRecord(Stage reached, Verdict verdict, Operation operation, long decidedNanos, String phase,
                     Answered answered, long answeredNanos, int status, String errorType, String note) implements PendingEvent {

    /** The decision record of a permitted request (sync mode), before it is forwarded. */
    static RequestRecord decision(Planned planned) {
        return new RequestRecord(planned, null, null, planned.nanos(), AuditEvent.DECISION, null, 0, 0, null, null);
    }

    /** The record of a request's answer, in {@code phase}. */
    static RequestRecord of(Answered answered, String phase) {
        Stage reached = answered.reached();
        Operation named = reached.parsed() == null ? Target.named(reached.received().http().header(Target.HEADER)) : null;
        return new RequestRecord(reached, answered.verdict(), named, answered.decidedNanos(), phase, answered, System.nanoTime(),
                0, null, answered.note());
    }

    /** The same record with its note. */
    RequestRecord noted(String text) {
        return new RequestRecord(reached, verdict, operation, decidedNanos, phase, answered, answeredNanos, status, errorType, text);
    }

    /** The same record stating that the client got {@code sentStatus} with {@code sentError} instead. */
    RequestRecord sent(int sentStatus, String sentError) {
        return new RequestRecord(reached, verdict, operation, decidedNanos, phase, answered, answeredNanos, sentStatus, sentError, note);
    }

    /**
     * Roughly the bytes this record keeps alive while it waits for the writer: the request's
     * body (with the tree parsed from it and a rewritten copy, counted as twice more) and the
     * answer's body.
     */
    long heldBytes() {
        long request = reached.received().http().body().length;
        return 3 * request + (answered == null ? 0 : answered.response().body().length);
    }

    /** The operation's name as the record gives it (null when the request names none). */
    String operationName() {
        ParsedRequest request = request();
        Operation op = request == null ? operation : request.operation();
        return op == null ? null : op.name();
    }

    /** The event: who asked, what for, the verdict and what the request touches; and, unless a decision record, the answer. */
    @Override
    public AuditEvent event() {
        Received received = reached.received();
        ParsedRequest request = request();
        List<String> tables = request == null ? List.of() : request.tables();
        Principal p = reached.identified() == null ? null : reached.identified().principal();
        String accessKeyId = reached instanceof Unidentified u ? u.accessKeyId() : p == null ? null : p.accessKeyId();
        Decided decided = reached.decided();
        Touched touched = decided == null ? Touched.NONE : decided.touched();
        String decision = verdict == null ? "ALLOWED" : verdict.auditName();
        List<String> ruleIds = verdict == null ? decided.ruleIds() : verdict.ruleIds();
        AuditEvent.Builder b = AuditEvent.builder()
                .requestId(received.requestId())
                .timeMicros(received.micros())
                .principal(p == null ? null : p.name()).roles(p == null ? List.of() : p.roles())
                .accessKeyId(accessKeyId)
                .source(received.source().getAddress().getHostAddress(), received.source().getPort())
                .tlsSubject(received.tlsPeer() == null ? null : received.tlsPeer().subject())
                .operation(operationName())
                .table(tableField(received.store(), tables))
                .index(request == null ? null : request.indexName())
                .decision(decision).ruleIds(ruleIds)
                .policyHash(reached.parsed() == null ? null : reached.parsed().policy().contentHash())
                .maskedFields(paths(decided, true)).removedFields(paths(decided, false))
                .itemKeys(touched.itemKeys()).readPaths(touched.readPaths()).writtenPaths(touched.writtenPaths())
                .note(note != null ? note : decided == null ? null : decided.itemKeys().note())
                .decideMicros((decidedNanos - received.nanos()) / 1000)
                .phase(phase);
        if (answered == null) return b.build();
        ProxyResponse response = answered.response();
        if (!answered.returnedKeys().isEmpty()) {
            List<String> keys = new ArrayList<>(touched.itemKeys());
            keys.addAll(answered.returnedKeys());
            b.itemKeys(keys);
        }
        return b.rowsDropped(answered.rowsDropped()).itemsReturned(answered.itemsReturned())
                .status(status != 0 ? status : response.status())
                .errorType(status != 0 ? errorType : response.status() >= 400 ? errorType(response.body()) : null)
                .upstreamStatus(answered.upstreamStatus())
                .latencyMicros((answeredNanos - received.nanos()) / 1000)
                .build();
    }

    /**
     * The audit's table field: the table, or the tables joined by commas; each as {@code store/table}
     * when weir guards several stores (a DynamoDB table name has no '/', so the two cannot be confused).
     */
    static String tableField(String store, List<String> tables) {
        if (tables.isEmpty()) return null;
        if (store == null) return tables.size() == 1 ? tables.getFirst() : String.join(",", tables);
        StringBuilder b = new StringBuilder();
        for (String t : tables) {
            if (!b.isEmpty()) b.append(',');
            b.append(store).append('/').append(t);
        }
        return b.toString();
    }

    private ParsedRequest request() {
        return reached.parsed() == null ? null : reached.parsed().request();
    }

    /** Masked (or removed) paths of the request's field plans: names only, never values. */
    private static List<String> paths(Decided decided, boolean masked) {
        if (decided == null) return List.of();
        if (decided.decisions().size() == 1) {
            Allowed a = decided.decisions().getFirst().allowed();
            return masked ? a.fields().maskedPaths() : a.fields().removedPaths();
        }
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (TableDecision d : decided.decisions()) {
            Allowed a = d.allowed();
            all.addAll(masked ? a.fields().maskedPaths() : a.fields().removedPaths());
        }
        return List.copyOf(all);
    }

    /** The short {@code __type} of an error body. */
    private static String errorType(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int t = s.indexOf("\"__type\"");
        if (t < 0) return "unknown";
        int hash = s.indexOf('#', t);
        int end = s.indexOf('"', hash + 1);
        return hash < 0 || end < 0 ? "unknown" : s.substring(hash + 1, end);
    }
}
