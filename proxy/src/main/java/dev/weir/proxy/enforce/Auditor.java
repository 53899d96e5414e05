package dev.weir.proxy.enforce;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.policy.decision.Allowed;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.identity.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The audit step: one event per request, read from the last stage it reached and its
 * verdict ({@code decision} is {@code ALLOWED} only for a permitted request, else the
 * refusal's kind), then the response released: at once in {@code async} mode, once the event
 * is durable in {@code sync} mode. If the event cannot be recorded in time (the spool is full
 * in {@code block} mode, or the disk fails) the client gets a 5xx instead: fail closed.
 */
final class Auditor {
    private static final Logger log = LoggerFactory.getLogger(Auditor.class);

    private final AuditPipeline audit;
    private final AuditScope scope;

    /** @param audit where events go; null turns auditing off (benchmarks only) */
    Auditor(AuditPipeline audit, AuditScope scope) {
        this.audit = audit;
        this.scope = scope;
    }

    CompletableFuture<ProxyResponse> audit(Answered answered) {
        ProxyResponse response = answered.response();
        Stage reached = answered.reached();
        ParsedRequest request = reached.parsed() == null ? null : reached.parsed().request();
        Operation op = request == null ? null : request.operation();
        List<String> tables = request == null ? List.of() : request.tables();
        String decision = answered.verdict().auditName();
        if (audit == null || !scope.audits(decision, op, tables, response.status())) {
            return CompletableFuture.completedFuture(response);
        }
        Received received = reached.received();
        Principal p = reached.identified() == null ? null : reached.identified().principal();
        String accessKeyId = reached instanceof Unidentified u ? u.accessKeyId() : p == null ? null : p.accessKeyId();
        Touched touched = touched(reached.decided());
        long now = System.nanoTime();
        AuditEvent event = AuditEvent.builder()
                .timeMicros(received.micros())
                .principal(p == null ? null : p.name()).roles(p == null ? List.of() : p.roles())
                .accessKeyId(accessKeyId)
                .source(received.source().getAddress().getHostAddress(), received.source().getPort())
                .tlsSubject(received.tlsPeer() == null ? null : received.tlsPeer().subject())
                .operation(op == null ? null : op.name())
                .table(tables.isEmpty() ? null : String.join(",", tables))
                .index(request == null ? null : request.indexName())
                .decision(decision).ruleIds(answered.verdict().ruleIds())
                .policyHash(reached.parsed() == null ? null : reached.parsed().policy().contentHash())
                .maskedFields(paths(reached.decided(), true)).removedFields(paths(reached.decided(), false))
                .itemKeys(touched.itemKeys()).readPaths(touched.readPaths()).writtenPaths(touched.writtenPaths())
                .rowsDropped(answered.rowsDropped()).itemsReturned(answered.itemsReturned())
                .status(response.status()).errorType(response.status() >= 400 ? errorType(response.body()) : null)
                .upstreamStatus(answered.upstreamStatus())
                .decideMicros((answered.decidedNanos() - received.nanos()) / 1000)
                .latencyMicros((now - received.nanos()) / 1000)
                .build();
        return audit.publishDurable(event).handle((seq, err) -> {
            if (err == null) return response;
            Throwable cause = err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
            log.error("audit event for a {} request could not be recorded ({}); the response is withheld",
                    op == null ? "unreadable" : op.name(), cause.getClass().getSimpleName());
            return ProxyResponse.error(DynamoError.internalServerError(
                    "weir could not record the audit event for this request; its outcome is unknown"));
        });
    }

    /** What the request reads, writes and names, once its decisions are known (keys shown through them). */
    private static Touched touched(Decided decided) {
        if (decided == null) return Touched.NONE;
        Touched all = Touched.NONE;
        Operation op = decided.parsed().request().operation();
        for (Part part : decided.parsed().request().parts()) all = all.plus(Touched.of(part, op, decided.of(part).allowed().fields()));
        return all;
    }

    /** Masked (or removed) paths of the request's field plans: names only, never values. */
    private static List<String> paths(Decided decided, boolean masked) {
        if (decided == null) return List.of();
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (TableDecision d : decided.tables().values()) {
            Allowed a = d.allowed();
            all.addAll(masked ? a.fields().maskedPaths() : a.fields().removedPaths());
        }
        return List.copyOf(all);
    }

    /** The short {@code __type} of an error body, for the audit event. */
    private static String errorType(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int t = s.indexOf("\"__type\"");
        if (t < 0) return "unknown";
        int hash = s.indexOf('#', t);
        int end = s.indexOf('"', hash + 1);
        return hash < 0 || end < 0 ? "unknown" : s.substring(hash + 1, end);
    }
}
