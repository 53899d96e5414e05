package dev.weir.proxy.enforce;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.TlsPeer;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.redact.ResponseRedactor;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One request's way through the firewall: identify, decode, decide, check what the proxy
 * can enforce, forward, filter the response, audit. Plain Java, no sockets: the Netty
 * handler only hands requests in and writes responses out.
 */
public final class Firewall {
    private static final Logger log = LoggerFactory.getLogger(Firewall.class);

    private final Identifier identifier;
    private final PolicyHolder policy;
    private final UpstreamClient upstream;
    private final AuditPipeline audit;
    private final AuditScope auditScope;
    private final TableTags tableTags;
    private final RequestDecoder decoder = new RequestDecoder();
    private final ResponseRedactor redactor = new ResponseRedactor();

    public Firewall(Identifier identifier, PolicyHolder policy, UpstreamClient upstream, AuditPipeline audit) {
        this(identifier, policy, upstream, audit, AuditScope.ALL);
    }

    /**
     * @param audit      where events go; null turns auditing off (for benchmarks only)
     * @param auditScope which allowed requests need no event (denials are always audited)
     */
    public Firewall(Identifier identifier, PolicyHolder policy, UpstreamClient upstream, AuditPipeline audit,
                    AuditScope auditScope) {
        this(identifier, policy, upstream, audit, auditScope, null);
    }

    /** @param tableTags where the tags of tables come from, for policies that read them (null: nowhere) */
    public Firewall(Identifier identifier, PolicyHolder policy, UpstreamClient upstream, AuditPipeline audit,
                    AuditScope auditScope, TableTags tableTags) {
        this.identifier = identifier;
        this.policy = policy;
        this.upstream = upstream;
        this.audit = audit;
        this.auditScope = auditScope;
        this.tableTags = tableTags;
    }

    /** Everything about one request that ends up in its audit event. */
    private static final class Exchange {
        final long receivedNanos = System.nanoTime();
        final long receivedMicros;
        final InetSocketAddress source;
        String accessKeyId;
        Principal principal;
        DecodedRequest request;
        String decision = "UNAUTHENTICATED";
        List<String> ruleIds = List.of();
        String policyHash;
        FieldPlan plan;
        Allowed allowed;
        String denial;
        Map<String, Decided> tables;
        List<String> partTables;
        DecisionRequest decisionRequest;
        String tlsSubject;
        long decidedNanos;
        int upstreamStatus;
        /** The body to forward when the firewall rewrote it (a generated condition), else null. */
        byte[] forwardBody;
        AccessCheck.Touched touched = AccessCheck.Touched.NONE;
        /** The client's own projection when weir widened it for the row filter, else null. */
        java.util.function.UnaryOperator<Map<String, dev.weir.protocol.model.AttributeValue>> shape;
        /** Per table (BatchGetItem) or per entry (TransactGetItems): the client's projection weir widened, or null. */
        Map<String, java.util.function.UnaryOperator<Map<String, dev.weir.protocol.model.AttributeValue>>> tableShapes;
        List<java.util.function.UnaryOperator<Map<String, dev.weir.protocol.model.AttributeValue>>> entryShapes;
        /** BatchGetItem: each widened table's read as the client sent it, to hand back in UnprocessedKeys. */
        Map<String, com.fasterxml.jackson.databind.node.ObjectNode> clientReads;
        int rowsDropped;
        int itemsReturned;
        final Instant received = Instant.now();

        Exchange(InetSocketAddress source) {
            this.receivedMicros = received.getEpochSecond() * 1_000_000 + received.getNano() / 1000;
            this.source = source;
        }
    }

    /** Handles one request; {@code tlsPeer} is the connection's verified client certificate, or null. */
    public CompletableFuture<ProxyResponse> handle(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer) {
        Exchange ex = new Exchange(source);
        if (tlsPeer != null) ex.tlsSubject = tlsPeer.subject();
        PolicySnapshot snapshot;
        try {
            switch (identifier.identify(http, tlsPeer)) {
                case Identifier.Unknown u -> {
                    ex.accessKeyId = u.accessKeyId();
                    return done(ex, ProxyResponse.error(u.error()));
                }
                case Identifier.Known k -> {
                    ex.principal = k.principal();
                    ex.accessKeyId = k.principal().accessKeyId();
                }
            }
            ex.decision = "INVALID";
            ex.request = decoder.decode(http.header(Target.HEADER), http.body());
            snapshot = policy.current();
            ex.policyHash = snapshot.contentHash();
            if (!snapshot.loaded()) {
                ex.decision = "NOT_PERMITTED";
                return done(ex, ProxyResponse.error(denied(ex, "no policy is loaded")));
            }
            if (snapshot.usesTableTags()) {
                List<String> tables = MULTI_PART.contains(ex.request.operation())
                        ? Part.of(ex.request).stream().map(Part::table).distinct().toList()
                        : ex.request.table() == null ? List.of() : List.of(ex.request.table());
                if (!tables.isEmpty()) {
                    if (tableTags == null) return done(ex, ProxyResponse.error(tagsUnknown()));
                    return tableTags.of(tables).handle((tags, err) -> {
                        if (err == null) return decideAndForward(ex, http, snapshot, tlsPeer, tags);
                        Throwable cause = err instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : err;
                        log.warn("the tags of {} could not be read from the upstream: {}", tables, cause.toString());
                        return done(ex, ProxyResponse.error(tagsUnknown()));
                    }).thenCompose(r -> r);
                }
            }
        } catch (DynamoException e) {
            return done(ex, ProxyResponse.error(e.error()));
        }
        return decideAndForward(ex, http, snapshot, tlsPeer, Map.of());
    }

    /** The policy reads table tags and they are unknown: refuse rather than decide without them. */
    private static DynamoError tagsUnknown() {
        return DynamoError.serviceUnavailable("weir could not read the tags of the request's table, which its policy needs");
    }

    private static Map<String, String> tagsOf(Map<String, Map<String, String>> tags, String table) {
        Map<String, String> t = table == null ? null : tags.get(table);
        return t == null ? Map.of() : t;
    }

    /** Decides (with the tables' tags, when the policy reads them), rewrites, forwards and filters. */
    private CompletableFuture<ProxyResponse> decideAndForward(Exchange ex, HttpRequestView http, PolicySnapshot snapshot,
                                                             TlsPeer tlsPeer, Map<String, Map<String, String>> tags) {
        Context context = new Context(ex.source.getAddress(), ex.received, tls(tlsPeer), Map.of());
        try {
            if (MULTI_PART.contains(ex.request.operation())) {
                List<Part> parts = Part.of(ex.request);
                decoder.requireSupported(ex.request);
                ex.tables = new java.util.LinkedHashMap<>();
                for (Part part : parts) {
                    if (ex.tables.containsKey(part.table())) continue;
                    DecisionRequest dr = new DecisionRequest(ex.principal.name(), Set.copyOf(ex.principal.roles()),
                            ex.principal.attributes(), part.table(), ex.request.operation(), context.withTableTags(tagsOf(tags, part.table())));
                    Allowed a = decide(ex, snapshot, dr);
                    if (a == null) return done(ex, ProxyResponse.error(denied(ex, ex.denial + " (table " + part.table() + ")")));
                    ex.tables.put(part.table(), new Decided(a, dr));
                }
                ex.decision = "ALLOWED";
                boolean rewritten = false;
                for (Part part : parts) {
                    Decided d = ex.tables.get(part.table());
                    ex.touched = ex.touched.plus(AccessCheck.check(part.asRequest(), d.allowed().fields(), ex.principal.name()));
                    WriteRules.check(part.asRequest(), d.allowed(), d.request(), ex.principal.name(), ex.request.operation());
                    if (ex.request.operation() == Operation.TransactWriteItems && WriteConditions.apply(part.asRequest(),
                            d.allowed(), d.request(), ex.principal.name(), part.acts() == Operation.GetItem)) {
                        part.writeBack(ex.request.body());
                        rewritten = true;
                    }
                    if (widenPart(ex, part, d)) rewritten = true;
                }
                if (rewritten) ex.forwardBody = WriteConditions.bytes(ex.request.body());
                ex.partTables = parts.stream().map(Part::table).toList();
            } else {
                ex.decisionRequest = new DecisionRequest(ex.principal.name(), Set.copyOf(ex.principal.roles()),
                        ex.principal.attributes(), ex.request.policyTable(), ex.request.operation(),
                        context.withTableTags(tagsOf(tags, ex.request.table())));
                ex.allowed = decide(ex, snapshot, ex.decisionRequest);
                if (ex.allowed == null) return done(ex, ProxyResponse.error(denied(ex, ex.denial)));
                ex.decision = "ALLOWED";
                ex.plan = ex.allowed.fields();
                decoder.requireSupported(ex.request);
                ex.touched = AccessCheck.check(ex.request, ex.plan, ex.principal.name());
                WriteRules.check(ex.request, ex.allowed, ex.decisionRequest, ex.principal.name());
                if (WriteConditions.CONDITIONAL.contains(ex.request.operation())
                        && WriteConditions.apply(ex.request, ex.allowed, ex.decisionRequest, ex.principal.name(), false)) {
                    ex.forwardBody = WriteConditions.bytes(ex.request.body());
                }
                if (READS.contains(ex.request.operation())) {
                    ex.shape = Projections.widen(ex.request, ex.allowed.rows());
                    boolean pushed = ex.request.operation() != Operation.GetItem
                            && Pushdown.apply(ex.request, ex.allowed.rows(), ex.decisionRequest);
                    if (ex.shape != null || pushed) ex.forwardBody = WriteConditions.bytes(ex.request.body());
                }
            }
        } catch (DynamoException e) {
            return done(ex, ProxyResponse.error(e.error()));
        }
        ex.decidedNanos = System.nanoTime();
        return upstream.send(Target.of(ex.request.operation()), ex.forwardBody != null ? ex.forwardBody : http.body())
                .handle((resp, err) -> {
                    if (resp != null) ex.upstreamStatus = resp.status();
                    if (resp != null && resp.status() == 200 && tableTags != null
                            && (ex.request.operation() == Operation.TagResource || ex.request.operation() == Operation.UntagResource)) {
                        tableTags.invalidate();
                    }
                    return done(ex, err != null ? upstreamFailed(err) : filter(ex, resp));
                })
                .thenCompose(r -> r);
    }

    /**
     * A BatchGetItem or TransactGetItems part with a projection under a row filter is read
     * whole, like a single read ({@link Projections}); its items are cut down to the client's
     * projection after the row test.
     */
    private static boolean widenPart(Exchange ex, Part part, Decided d) {
        Operation op = ex.request.operation();
        if (op != Operation.BatchGetItem && op != Operation.TransactGetItems) return false;
        com.fasterxml.jackson.databind.node.ObjectNode asSent = part.body().deepCopy();
        var shape = Projections.widen(part.asRequest(), d.allowed().rows());
        if (shape == null) return false;
        part.writeBack(ex.request.body());
        if (op == Operation.BatchGetItem) {
            if (ex.tableShapes == null) {
                ex.tableShapes = new java.util.HashMap<>();
                ex.clientReads = new java.util.HashMap<>();
            }
            ex.tableShapes.put(part.table(), shape);
            asSent.remove("TableName");
            ex.clientReads.put(part.table(), asSent);
        } else {
            if (ex.entryShapes == null) ex.entryShapes = new java.util.ArrayList<>(java.util.Collections.nCopies(part.index() + 1, null));
            while (ex.entryShapes.size() <= part.index()) ex.entryShapes.add(null);
            ex.entryShapes.set(part.index(), shape);
        }
        return true;
    }

    /** The operations whose parts are decided one by one, per table. */
    private static final Set<Operation> MULTI_PART = Set.of(Operation.BatchGetItem, Operation.BatchWriteItem,
            Operation.TransactGetItems, Operation.TransactWriteItems);

    /** The single-table reads whose projection weir widens under a row filter. */
    private static final Set<Operation> READS = Set.of(Operation.GetItem, Operation.Query, Operation.Scan);

    /** A table's decision within a multi-part request. */
    private record Decided(Allowed allowed, DecisionRequest request) {}

    /** Allowed, or null with {@code ex.decision} and {@code ex.denial} set; rule ids accumulate. */
    private static Allowed decide(Exchange ex, PolicySnapshot snapshot, DecisionRequest dr) {
        Decision decision = snapshot.table().decide(dr);
        List<String> ids = new java.util.ArrayList<>(ex.ruleIds);
        for (String id : decision.ruleIds()) if (!ids.contains(id)) ids.add(id);
        ex.ruleIds = List.copyOf(ids);
        return switch (decision) {
            case Forbidden f -> {
                ex.decision = "FORBIDDEN";
                ex.denial = "rule " + String.join(", ", f.ruleIds()) + " forbids it: " + f.reason();
                yield null;
            }
            case NotPermitted n -> {
                ex.decision = "NOT_PERMITTED";
                ex.denial = "no weir policy allows it";
                yield null;
            }
            case Allowed a -> a;
        };
    }

    private ProxyResponse filter(Exchange ex, UpstreamResponse resp) {
        if (resp.status() != 200) {
            if (!FailureItems.WRITES.contains(ex.request.operation())) {
                return new ProxyResponse(resp.status(), resp.body(), resp.crc32());
            }
            try {
                byte[] shown = FailureItems.filter(resp.body(), i -> {
                    if (ex.tables == null) return i < 0 ? new FailureItems.Covering(ex.allowed, ex.decisionRequest) : null;
                    if (i < 0 || i >= ex.partTables.size()) return null;
                    Decided d = ex.tables.get(ex.partTables.get(i));
                    return new FailureItems.Covering(d.allowed(), d.request());
                });
                return shown == resp.body() ? new ProxyResponse(resp.status(), resp.body(), resp.crc32())
                        : ProxyResponse.of(resp.status(), shown);
            } catch (IOException | RuntimeException e) {
                log.warn("unreadable {} error from upstream withheld: {}", ex.request.operation(), e.getClass().getSimpleName());
                return ProxyResponse.error(DynamoError.internalServerError("weir could not filter the store's response"));
            }
        }
        try {
            if (ex.tables != null) {
                Operation op = ex.request.operation();
                if (op != Operation.BatchGetItem && op != Operation.TransactGetItems) {
                    return new ProxyResponse(200, resp.body(), resp.crc32());
                }
                Map<String, ResponseRedactor.TablePlan> byTable = new java.util.HashMap<>();
                ex.tables.forEach((table, d) -> byTable.put(table, new ResponseRedactor.TablePlan(d.allowed().fields(),
                        d.allowed().rows().isAll() ? null : counted(ex, item -> d.allowed().rows().test(d.request(), item)),
                        ex.tableShapes == null ? null : ex.tableShapes.get(table))));
                byte[] shown = redactor.redactParts(op, byTable, ex.partTables, ex.entryShapes, resp.body());
                return ProxyResponse.of(200, ex.clientReads == null ? shown : Projections.restoreUnprocessed(shown, ex.clientReads));
            }
            RowFilter rows = ex.allowed.rows();
            byte[] visible = redactor.redact(ex.request.operation(), ex.plan,
                    rows.isAll() ? null : counted(ex, item -> rows.test(ex.decisionRequest, item)), ex.shape, resp.body());
            return visible == resp.body() && resp.crc32() != null
                    ? new ProxyResponse(200, visible, resp.crc32())
                    : ProxyResponse.of(200, visible);
        } catch (IOException | DynamoException e) {
            // Fail closed: a response the proxy cannot read is not passed on.
            log.warn("unreadable {} response from upstream withheld: {}", ex.request.operation(), e.getClass().getSimpleName());
            return ProxyResponse.error(DynamoError.internalServerError("weir could not filter the store's response"));
        }
    }

    /** The row filter, counting for the audit the items it keeps and drops. */
    private static java.util.function.Predicate<Map<String, dev.weir.protocol.model.AttributeValue>> counted(
            Exchange ex, java.util.function.Predicate<Map<String, dev.weir.protocol.model.AttributeValue>> rows) {
        return item -> {
            boolean keep = rows.test(item);
            if (keep) ex.itemsReturned++;
            else ex.rowsDropped++;
            return keep;
        };
    }

    private static TlsIdentity tls(TlsPeer peer) {
        return peer == null ? TlsIdentity.NONE : TlsIdentity.of(peer.subject(), peer.subjectAltNames());
    }

    private static ProxyResponse upstreamFailed(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : err;
        log.warn("upstream store unavailable: {}", cause.toString());
        return ProxyResponse.error(DynamoError.serviceUnavailable("weir could not reach the upstream store"));
    }

    private static DynamoError denied(Exchange ex, String because) {
        String table = ex.request.table() == null ? "*" : ex.request.table();
        return DynamoError.accessDenied("User: " + ex.principal.name() + " is not authorized to perform: dynamodb:"
                + ex.request.operation() + " on resource: table/" + table + " because " + because);
    }

    /**
     * Audits the exchange and releases the response: at once in {@code async} mode, once the
     * event is durable in {@code sync} mode. If the event cannot be recorded in time (the
     * spool is full in {@code block} mode, or the disk fails) the client gets a 5xx instead
     * of the response: fail closed.
     */
    private CompletableFuture<ProxyResponse> done(Exchange ex, ProxyResponse response) {
        long now = System.nanoTime();
        if (ex.decidedNanos == 0) ex.decidedNanos = now;
        Operation op = ex.request == null ? null : ex.request.operation();
        List<String> tables = ex.tables != null ? List.copyOf(ex.tables.keySet())
                : ex.request == null || ex.request.table() == null ? List.of() : List.of(ex.request.table());
        if (audit == null || !auditScope.audits(ex.decision, op, tables, response.status())) {
            return CompletableFuture.completedFuture(response);
        }
        String errorType = response.status() >= 400 ? errorType(response.body()) : null;
        Principal p = ex.principal;
        AuditEvent event = AuditEvent.builder()
                .timeMicros(ex.receivedMicros)
                .principal(p == null ? null : p.name()).roles(p == null ? List.of() : p.roles())
                .accessKeyId(ex.accessKeyId)
                .source(ex.source.getAddress().getHostAddress(), ex.source.getPort())
                .tlsSubject(ex.tlsSubject)
                .operation(op == null ? null : op.name())
                .table(tables.isEmpty() ? null : String.join(",", tables))
                .index(ex.request == null ? null : ex.request.body().path("IndexName").textValue())
                .decision(ex.decision).ruleIds(ex.ruleIds).policyHash(ex.policyHash)
                .maskedFields(paths(ex, true)).removedFields(paths(ex, false))
                .itemKeys(ex.touched.itemKeys()).readPaths(ex.touched.readPaths()).writtenPaths(ex.touched.writtenPaths())
                .rowsDropped(ex.rowsDropped).itemsReturned(ex.itemsReturned)
                .status(response.status()).errorType(errorType).upstreamStatus(ex.upstreamStatus)
                .decideMicros((ex.decidedNanos - ex.receivedNanos) / 1000)
                .latencyMicros((now - ex.receivedNanos) / 1000)
                .build();
        return audit.publishDurable(event).handle((seq, err) -> {
            if (err == null) return response;
            Throwable cause = err instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : err;
            log.error("audit event for a {} request could not be recorded ({}); the response is withheld",
                    op == null ? "unreadable" : op.name(), cause.getClass().getSimpleName());
            return ProxyResponse.error(DynamoError.internalServerError(
                    "weir could not record the audit event for this request; its outcome is unknown"));
        });
    }

    /** Masked (or removed) paths of the request's plans, for the audit: names only, never values. */
    private static List<String> paths(Exchange ex, boolean masked) {
        if (ex.tables != null) {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            for (Decided d : ex.tables.values()) {
                all.addAll(masked ? d.allowed().fields().maskedPaths() : d.allowed().fields().removedPaths());
            }
            return List.copyOf(all);
        }
        if (ex.plan == null) return List.of();
        return List.copyOf(masked ? ex.plan.maskedPaths() : ex.plan.removedPaths());
    }

    /** The short {@code __type} of an error body, for the audit event. */
    private static String errorType(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        int t = s.indexOf("\"__type\"");
        if (t < 0) return "unknown";
        int hash = s.indexOf('#', t);
        int end = s.indexOf('"', hash + 1);
        return hash < 0 || end < 0 ? "unknown" : s.substring(hash + 1, end);
    }
}
