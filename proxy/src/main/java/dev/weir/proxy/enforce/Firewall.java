package dev.weir.proxy.enforce;

import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.protocol.http.ContentCoding;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.StoreHosts;
import dev.weir.proxy.identity.TlsPeer;
import dev.weir.proxy.metrics.RequestMetrics;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.enforce.read.BatchGetRounds;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.schema.TableSchemas;
import dev.weir.proxy.upstream.DeadlineTimer;
import dev.weir.proxy.upstream.UpstreamAccount;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamResponse;
import dev.weir.proxy.enforce.succeeded.RequestListener;
import dev.weir.proxy.enforce.succeeded.SucceededRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the firewall, as steps over immutable stages:
 *
 * <pre>
 * Received ─identify→ Identified ─parse→ Parsed ─(tags)─decide→ Decided ─(schema)─plan→ Planned ─record→ ─forward→ Answered ─audit→ response
 *          ╰→ Unidentified                 (any step may refuse: Answered with a Refused verdict)
 * </pre>
 *
 * <ul>
 *   <li>identify: the caller's SigV4 signature or client certificate ({@link Identifier});</li>
 *   <li>parse: operation, body, canonical tables, every expression into trees ({@link RequestParser});</li>
 *   <li>decide: the decision table per table named, with the tables' tags when the policy reads them ({@link Decider});</li>
 *   <li>plan: the checks a decision does not make, and the rewrites ({@link Planner}, {@link ForwardBody}),
 *       with the table's key schema when weir pages a read itself ({@link TableSchemas}, {@link ReadPlanner});</li>
 *   <li>record (sync mode): the decision record made durable before anything is forwarded, or a 500
 *       and nothing forwarded ({@link Auditor#beforeForwarding});</li>
 *   <li>forward and answer: the store's response filtered through the caller's view ({@link ResponseFilter}),
 *       or a read paged by weir ({@link PagedRead}), or a BatchGetItem read to its last key ({@link BatchGetRounds});</li>
 *   <li>audit: the record of the answer, from the stage reached and the verdict ({@link Auditor}).</li>
 * </ul>
 *
 * Every response carries the request's id ({@link RequestIds}, {@code x-amzn-RequestId}), the
 * one its audit records carry.
 *
 * Each step either returns the next stage or throws a {@link Refusal}; the verdict is fixed by
 * the last check that ran. Plain Java, no sockets: the Netty handler only hands requests in
 * and writes responses out.
 */
public final class Firewall {
    private static final Logger log = LoggerFactory.getLogger(Firewall.class);

    private final Identifier identifier;
    private final PolicyHolder policy;
    private final UpstreamClient upstream;
    private final TableTags tableTags;
    private final TableSchemas tableSchemas;
    private final Duration requestDeadline;
    private final int maxBodyBytes;
    private final RequestParser parser;
    private final ResponseFilter responses = new ResponseFilter();
    private final Auditor auditor;
    private final RequestListener requestListener;
    private final StreamAnswer streams;
    /** The route's name in transparent mode (audit records name the store), else null. */
    private final String store;
    /** The Host values this store answers to (transparent mode), else null: any. */
    private final StoreHosts acceptedHosts;

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

    /**
     * Table ARNs are served for {@link UpstreamAccount#DEFAULT} (the bundled store's); see
     * {@link #builder()} for another account.
     *
     * @param tableTags where the tags of tables come from, for policies that read them (null: nowhere)
     */
    public Firewall(Identifier identifier, PolicyHolder policy, UpstreamClient upstream, AuditPipeline audit,
                    AuditScope auditScope, TableTags tableTags) {
        this(builder().identifier(identifier).policy(policy).upstream(upstream).audit(audit).auditScope(auditScope)
                .tableTags(tableTags));
    }

    private Firewall(Builder b) {
        this.identifier = Objects.requireNonNull(b.identifier, "identifier");
        this.policy = Objects.requireNonNull(b.policy, "policy");
        this.upstream = Objects.requireNonNull(b.upstream, "upstream");
        this.tableTags = b.tableTags;
        this.tableSchemas = b.tableSchemas != null ? b.tableSchemas
                : new TableSchemas(upstream::send, TableSchemas.TTL, System::nanoTime);
        this.requestDeadline = b.requestDeadline != null ? b.requestDeadline : upstream.timeout();
        this.maxBodyBytes = b.maxBodyBytes;
        IteratorSeal seal = b.iteratorSeal != null ? b.iteratorSeal : IteratorSeal.random();
        this.parser = new RequestParser(b.account, seal);
        this.streams = new StreamAnswer(seal, b.upstreamNumbers, b.tableTags);
        this.auditor = new Auditor(b.audit, b.auditScope, new AnswerMeter(b.metrics));
        this.requestListener = b.requestListener;
        this.store = b.store;
        this.acceptedHosts = b.acceptedHosts;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles one request; {@code tlsPeer} is the connection's verified client certificate, or null. */
    public CompletableFuture<ProxyResponse> handle(HttpRequestView http, InetSocketAddress source, TlsPeer tlsPeer) {
        Received received = Received.now(http, source, tlsPeer, store);
        return identifyAndGoOn(received).thenApply(r -> r.withRequestId(received.requestId()));
    }

    /**
     * In transparent mode, a request whose Host is not a name of this firewall's store is
     * refused before its signature is looked at: the client believes it talks to another store
     * (or replays a request signed for one), and a signature over that Host verifies with the
     * caller's secret all the same, so without this check store A would answer a request meant
     * for store B. Null when the Host is accepted.
     */
    private Unidentified foreignHost(Received received) {
        if (acceptedHosts == null) return null;
        String host = received.http().header("Host");
        if (acceptedHosts.accepts(host)) return null;
        return new Unidentified(received, DynamoError.invalidSignature("The request's Host header does not name the store "
                + "at the address it was sent to"), null);
    }

    private CompletableFuture<ProxyResponse> identifyAndGoOn(Received received) {
        HttpRequestView http = received.http();
        TlsPeer tlsPeer = received.tlsPeer();
        Unidentified foreign = foreignHost(received);
        if (foreign != null) {
            return auditor.audit(Answered.refused(foreign, Refusals.unauthenticated(foreign.error()).verdict(List.of())));
        }
        try {
            return switch (identifier.identify(http, tlsPeer)) {
                case Identifier.Unknown u -> {
                    Unidentified unidentified = new Unidentified(received, u.error(), u.accessKeyId());
                    yield auditor.audit(Answered.refused(unidentified, Refusals.unauthenticated(u.error()).verdict(List.of())));
                }
                case Identifier.Known k -> {
                    Identified identified = new Identified(received, k.principal(), k.payloadHash());
                    Identified decoded;
                    try {
                        decoded = decoded(identified);
                    } catch (DynamoException refused) {
                        yield auditor.audit(refused(identified, refused, List.of()));
                    }
                    yield parseAndDecide(decoded);
                }
            };
        } catch (RuntimeException bug) {
            // Not a refusal: a fault in weir. The caller gets a 500 from the handler, never the request forwarded.
            return CompletableFuture.failedFuture(bug);
        }
    }

    /**
     * The request with its body decoded when it came compressed ({@code Content-Encoding: gzip}
     * or {@code deflate}, as DynamoDB takes them): after the signature, which covers the bytes as
     * sent, so only a known principal makes weir inflate anything, and never past the body limit.
     * Everything after this (parse, decide, forward, audit) sees the decoded bytes; they go
     * upstream as they are, signed anew. A coding weir does not know, or bytes that are not what
     * it names, get DynamoDB's answer to them, a 500 (InternalServerError); a body larger than the
     * limit once decoded, a 413 (DynamoDB has no such limit: a small body must not make weir hold
     * a large one).
     */
    private Identified decoded(Identified identified) {
        HttpRequestView http = identified.received().http();
        try {
            ContentCoding coding = ContentCoding.ofRequest(http.header("Content-Encoding"));
            if (coding == ContentCoding.IDENTITY) return identified;
            byte[] body = coding.decode(http.body(), maxBodyBytes);
            HttpRequestView plain = new HttpRequestView(http.method(), http.rawPath(), http.rawQuery(), http.headers(), body);
            return new Identified(identified.received().with(plain), identified.principal(), null);
        } catch (ContentCoding.Refused refused) {
            throw new DynamoException(switch (refused.kind()) {
                case TOO_LARGE -> DynamoError.requestEntityTooLarge("The request body is larger than " + maxBodyBytes
                        + " bytes once decoded");
                case UNSUPPORTED, MALFORMED -> DynamoError.internalServerError(ContentCoding.refusalMessage(refused));
            });
        }
    }

    /** parse, then (with the tables' tags, when the policy reads them) decide and go on. */
    private CompletableFuture<ProxyResponse> parseAndDecide(Identified identified) {
        Parsed parsed;
        try {
            parsed = new Parsed(identified, parser.parse(identified.principal().name(), identified.received().http().header(Target.HEADER),
                    identified.received().http().body()), policy.current());
        } catch (RuntimeException e) {
            return auditor.audit(refused(identified, e, List.of()));
        }
        CompletableFuture<Map<String, Map<String, String>>> tags = tags(parsed);
        if (tags == NO_TAGS) return decidePlanAndForward(parsed, Map.of()); // most policies read no tags: no stage to chain
        return tags.handle((t, err) -> {
            if (err == null) return decidePlanAndForward(parsed, t);
            log.warn("the tags of {} could not be read from the upstream: {}", parsed.request().tables(), cause(err).toString());
            return auditor.audit(refused(parsed, Refusals.unavailable(
                    "weir could not read the tags of the request's table, which its policy needs"), List.of()));
        }).thenCompose(r -> r);
    }

    /** The answer of {@link #tags} when the policy reads no tags. */
    private static final CompletableFuture<Map<String, Map<String, String>>> NO_TAGS = CompletableFuture.completedFuture(Map.of());

    /** The tags of the request's tables when the policy reads them; none otherwise ({@link #NO_TAGS}). */
    private CompletableFuture<Map<String, Map<String, String>>> tags(Parsed parsed) {
        PolicySnapshot snapshot = parsed.policy();
        List<String> tables = parsed.request().tables();
        if (!snapshot.loaded() || !snapshot.usesTableTags() || tables.isEmpty()) return NO_TAGS;
        if (tableTags == null) return CompletableFuture.failedFuture(new IllegalStateException("no source of table tags"));
        return DeadlineTimer.bound(tableTags.of(tables), deadline(parsed), upstream.executor(),
                () -> new TimeoutException("the tags did not come before the request's deadline"));
    }

    private CompletableFuture<ProxyResponse> decidePlanAndForward(Parsed parsed, Map<String, Map<String, String>> tags) {
        if (parsed.request().operation().isStream()) return streamPlanAndForward(parsed, tags);
        Decided decided;
        try {
            decided = Decider.decide(parsed, tags);
        } catch (RuntimeException e) {
            return auditor.audit(refused(parsed, e, List.of()));
        }
        if (!ReadPlanner.paged(decided)) return planAndForward(decided, null);
        try {
            Planner.check(decided);
        } catch (RuntimeException e) {
            return auditor.audit(refused(decided, e, decided.ruleIds()));
        }
        String table = parsed.request().table();
        if (table == null) {
            return auditor.audit(refused(decided, Refusals.invalid("1 validation error detected: Value null at 'tableName' "
                    + "failed to satisfy constraint: Member must not be null"), decided.ruleIds()));
        }
        CompletableFuture<Optional<TableSchema>> schema = DeadlineTimer.bound(tableSchemas.of(table), deadline(decided),
                upstream.executor(), () -> new TimeoutException("the key schema did not come before the request's deadline"));
        if (schema.isDone()) { // the schema cached (nearly always): no stages to chain
            Optional<TableSchema> known;
            try {
                known = schema.join();
            } catch (CompletionException | java.util.concurrent.CancellationException err) {
                return pagedWithSchema(decided, table, null, err);
            }
            return pagedWithSchema(decided, table, known, null);
        }
        return schema.handle((known, err) -> pagedWithSchema(decided, table, known, err)).thenCompose(r -> r);
    }

    /** A read weir pages, once its table's key schema came ({@code err} when it could not be read). */
    private CompletableFuture<ProxyResponse> pagedWithSchema(Decided decided, String table, Optional<TableSchema> schema,
                                                             Throwable err) {
        if (err != null) {
            log.warn("the key schema of {} could not be read from the upstream: {}", table, cause(err).toString());
            return auditor.audit(refused(decided, Refusals.unavailable(
                    "weir could not read the key schema of the request's table, which paging the read needs"), decided.ruleIds()));
        }
        if (schema.isEmpty()) {
            return auditor.audit(refused(decided, Refusals.invalid(DynamoError.resourceNotFound("Requested resource not found")),
                    decided.ruleIds()));
        }
        return planAndForward(decided, schema.get());
    }

    /**
     * A Streams request: decided as a read of the stream's table (a ListStreams decides each
     * listed stream's table in its answer, so a table the caller may not read lists nothing) and
     * answered by weir ({@link StreamAnswer}).
     */
    private CompletableFuture<ProxyResponse> streamPlanAndForward(Parsed parsed, Map<String, Map<String, String>> tags) {
        Decided decided;
        try {
            decided = parsed.request().operation() == Operation.ListStreams
                    ? new Decided(parsed, Map.of(), List.of()) : Decider.decide(parsed, tags);
        } catch (RuntimeException e) {
            return auditor.audit(refused(parsed, e, List.of()));
        }
        return recordAndForward(new Planned(decided, new Plan(Map.of(), streams, List.of()), null, System.nanoTime()));
    }

    /**
     * The key schemas of the tables a permitted request puts items into, so its audit records
     * and the {@link RequestListener} name each item's key (only when auditing is on or someone
     * listens; read after every check passed, so a refused
     * request sends nothing). A table the store does not have is left out; one whose schema
     * cannot be read is listed as unreadable and its items' keys go unnamed: the audit record
     * says so, and the request is not refused for it (the store decides the put).
     */
    private static final CompletableFuture<ItemKeys> NO_ITEM_KEYS = CompletableFuture.completedFuture(ItemKeys.NONE);

    private CompletableFuture<ItemKeys> itemKeys(Decided decided) {
        boolean needed = auditor.enabled() || requestListener != RequestListener.NONE;
        Set<String> tables = needed ? ItemKeys.tablesPutInto(decided.parsed().request()) : Set.of();
        if (tables.isEmpty()) return NO_ITEM_KEYS;
        Map<String, CompletableFuture<Optional<TableSchema>>> lookups = new LinkedHashMap<>();
        for (String t : tables) {
            lookups.put(t, DeadlineTimer.bound(tableSchemas.of(t), deadline(decided), upstream.executor(),
                    () -> new TimeoutException("the key schema did not come before the request's deadline")).exceptionally(err -> {
                log.warn("the key schema of {} could not be read from the upstream, its audit record names no item key: {}",
                        t, cause(err).toString());
                return null;
            }));
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, List<String>> keys = new LinkedHashMap<>();
            List<String> unreadable = new ArrayList<>();
            lookups.forEach((t, f) -> {
                Optional<TableSchema> s = f.join();
                if (s == null) unreadable.add(t);
                else s.ifPresent(schema -> keys.put(t, schema.keyAttributes(null)));
            });
            return new ItemKeys(keys, unreadable);
        });
    }

    /** @param schema the table's schema when weir pages the read ({@link ReadPlanner#paged(Decided)}), else null */
    private CompletableFuture<ProxyResponse> planAndForward(Decided decided, TableSchema schema) {
        Planned planned;
        try {
            Plan plan = Planner.plan(decided, schema);
            byte[] body = plan.paged() != null ? null : ForwardBody.of(decided.parsed().request(), plan, decided.principal());
            planned = new Planned(decided, plan, body, System.nanoTime());
        } catch (RuntimeException e) {
            return auditor.audit(refused(decided, e, decided.ruleIds()));
        }
        CompletableFuture<ItemKeys> keys = itemKeys(decided);
        if (keys == NO_ITEM_KEYS) return recordAndForward(planned); // nothing put, or no audit: no stage to chain
        return keys.thenCompose(k -> recordAndForward(k.isEmpty() ? planned : planned.withItemKeys(k)));
    }

    /** sync mode: the decision record made durable first (or a 500, nothing forwarded); then forward, answer, record the outcome. */
    private CompletableFuture<ProxyResponse> recordAndForward(Planned planned) {
        CompletableFuture<Auditor.Before> recorded = auditor.beforeForwarding(planned);
        java.util.function.Function<Auditor.Before, CompletableFuture<ProxyResponse>> forwardAndAnswer = before -> {
            if (before == Auditor.Before.FAILED) return CompletableFuture.completedFuture(auditor.notForwarded(planned));
            CompletableFuture<Answered> answered = planned.plan().paged() != null
                    ? planned.plan().paged().answer(planned, upstream, deadline(planned))
                    : forward(planned);
            return answered.thenCompose(a -> {
                CompletableFuture<ProxyResponse> audited = auditor.audit(a, before);
                if (audited.isDone() && !audited.isCompletedExceptionally()) { // async mode: no stage to chain
                    tellListener(a, audited.join());
                    return audited;
                }
                return audited.thenApply(response -> {
                    tellListener(a, response);
                    return response;
                });
            });
        };
        if (recorded.isDone() && !recorded.isCompletedExceptionally()) return forwardAndAnswer.apply(recorded.join());
        // sync mode: the record is durable on the audit writer's thread; the request goes on from
        // the loop it came in on, so it is sent on that loop's upstream connections (one loop per request).
        return recorded.thenComposeAsync(forwardAndAnswer, upstream.executor());
    }

    /**
     * Tells the {@link RequestListener} of a permitted request that reached the store, with the
     * keys it names per table ({@link RequestKeys}), <em>whatever the store answered</em>:
     * whether a conditional write succeeded can depend on values (the client's condition, weir's
     * own conditions on visible rows) that the trigger's role may not read, so the event is "the
     * request was made", never "it succeeded" (docs/triggers.md). A batch weir reads in several
     * rounds ({@link BatchGetRounds}) is one request, heard once. Runs after the answer is final;
     * what the listener throws is logged, never answered.
     */
    private void tellListener(Answered a, ProxyResponse response) {
        if (requestListener == RequestListener.NONE || a.upstreamStatus() == 0
                || !(a.verdict() instanceof Verdict.Permitted) || a.reached().decided() == null) return;
        try {
            var request = a.reached().parsed().request();
            if (!heard(request)) return;
            var tables = RequestKeys.of(request, a.reached().decided().itemKeys());
            if (tables.isEmpty()) return;
            var principal = a.reached().identified().principal();
            requestListener.succeeded(new SucceededRequest(a.reached().received().requestId(), request.operation(),
                    principal.name(), List.copyOf(principal.roles()), tables));
        } catch (RuntimeException e) {
            log.warn("the request listener failed: {}", e.toString());
        }
    }

    /** Whether the listener hears of a request naming any of these tables (working out the keys costs more than asking). */
    private boolean heard(ParsedRequest request) {
        for (Part part : request.parts()) {
            if (part.table() != null && requestListener.hears(request.operation(), part.table())) return true;
        }
        return false;
    }

    /** Sends the planned request upstream and filters the answer. */
    private CompletableFuture<Answered> forward(Planned planned) {
        Operation op = planned.parsed().request().operation();
        Verdict permitted = new Verdict.Permitted(planned.decided().ruleIds());
        byte[] body = planned.forwardBody() != null ? planned.forwardBody() : planned.received().http().body();
        // The client's own bytes go on: their hash, computed to verify the signature, signs them again.
        String payloadHash = planned.forwardBody() != null ? null : planned.identified().payloadHash();
        if (TableSchemas.changesSchema(op)) tableSchemas.invalidate(planned.parsed().request().table());
        return send(planned, body, payloadHash).handle((resp, err) -> {
            if (err != null) {
                log.warn("upstream store unavailable: {}", cause(err).toString());
                // whatever failed the exchange, the store was not reached: a 503, as ever
                Throwable why = cause(err);
                return UpstreamFailures.answered(planned, permitted,
                        why instanceof TimeoutException || why instanceof java.io.IOException ? why : new java.io.IOException(why),
                        "the upstream store did not answer before the request's deadline", "");
            }
            if (resp.status() == 200 && tableTags != null && (op == Operation.TagResource || op == Operation.UntagResource)) {
                tableTags.invalidate();
            }
            if (TableSchemas.changesSchema(op)) tableSchemas.invalidate(planned.parsed().request().table());
            ResponseFilter.Filtered shown = responses.filter(planned, resp);
            return new Answered(planned, permitted, shown.response(), resp.status(), shown.rowsDropped(), shown.itemsReturned(),
                    planned.nanos());
        });
    }

    /**
     * Sends the planned body. A BatchGetItem by a caller whose view of some table is restricted
     * is read to its last key ({@link BatchGetRounds}): which keys the store leaves unprocessed
     * depends on the sizes of items the caller may not see.
     */
    private CompletableFuture<UpstreamResponse> send(Planned planned, byte[] body, String payloadHash) {
        Operation op = planned.parsed().request().operation();
        String target = Target.of(op);
        if (op == Operation.BatchGetItem && !RestrictedAnswers.unrestricted(planned.decided())) {
            return BatchGetRounds.runOnSendsKeepingTheDeadline(body, b -> upstream.send(target, b, deadline(planned)),
                    deadline(planned), System::nanoTime);
        }
        return upstream.send(target, body, deadline(planned), payloadHash);
    }

    /**
     * The request's deadline (on {@link System#nanoTime()}): {@link Builder#requestDeadline} after
     * weir took it up. Every wait on the store for this request (lookups, the pool, each exchange,
     * each page or round) ends by then.
     */
    private long deadline(Stage reached) {
        return reached.received().nanos() + requestDeadline.toNanos();
    }

    /**
     * The answer to a request a step refused: a {@link Refusal} as it is, a DynamoDB error
     * from parsing as INVALID. Anything else is a bug and is not turned into a refusal.
     */
    private static Answered refused(Stage reached, RuntimeException e, List<String> rulesSoFar) {
        Refusal refusal = switch (e) {
            case Refusal r -> r;
            case DynamoException d -> Refusals.invalid(d.error());
            default -> throw e;
        };
        return Answered.refused(reached, refusal.verdict(rulesSoFar));
    }

    private static Throwable cause(Throwable err) {
        return err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
    }

    /** Builds a {@link Firewall}; identifier, policy and upstream are required. */
    public static final class Builder {
        private Identifier identifier;
        private PolicyHolder policy;
        private UpstreamClient upstream;
        private AuditPipeline audit;
        private AuditScope auditScope = AuditScope.ALL;
        private TableTags tableTags;
        private TableSchemas tableSchemas;
        private Duration requestDeadline;
        private int maxBodyBytes = 16 * 1024 * 1024;
        private UpstreamAccount account = UpstreamAccount.DEFAULT;
        private IteratorSeal iteratorSeal;
        private UpstreamNumbers upstreamNumbers = UpstreamNumbers.REFUSED;
        private RequestListener requestListener = RequestListener.NONE;
        private String store;
        private StoreHosts acceptedHosts;
        private RequestMetrics metrics;

        private Builder() {}

        /** Where every answered request is counted, once (default: nowhere). */
        public Builder metrics(RequestMetrics v) {
            metrics = v;
            return this;
        }

        /**
         * Transparent mode: the store's route name, which audit records put before each table
         * ({@code store/table}), and the Host values a request may carry (see
         * {@link StoreHosts#accepts}); any other Host is refused.
         */
        public Builder store(String name, Set<String> hosts) {
            store = Objects.requireNonNull(name);
            acceptedHosts = new StoreHosts(hosts);
            return this;
        }

        /** Who hears of permitted requests that reached the store, whatever it answered (default: nobody); it must not block. */
        public Builder requestListener(RequestListener v) {
            requestListener = Objects.requireNonNull(v);
            return this;
        }

        /** Who the caller is, from its signature or certificate. */
        public Builder identifier(Identifier v) {
            identifier = v;
            return this;
        }

        /** The policy in force. */
        public Builder policy(PolicyHolder v) {
            policy = v;
            return this;
        }

        /** Where permitted requests go. */
        public Builder upstream(UpstreamClient v) {
            upstream = v;
            return this;
        }

        /** Where events go; null (the default) turns auditing off, for benchmarks only. */
        public Builder audit(AuditPipeline v) {
            audit = v;
            return this;
        }

        /** Which permitted requests need no event; refusals are always audited. */
        public Builder auditScope(AuditScope v) {
            auditScope = Objects.requireNonNull(v);
            return this;
        }

        /** Where the tags of tables come from, for policies that read them (null: nowhere, such requests get 503). */
        public Builder tableTags(TableTags v) {
            tableTags = v;
            return this;
        }

        /**
         * Where the key schemas of tables come from, for reads weir pages itself (default: the
         * upstream, asked with weir's credentials, kept {@link TableSchemas#TTL}).
         */
        public Builder tableSchemas(TableSchemas v) {
            tableSchemas = v;
            return this;
        }

        /** The largest request body weir takes, also once decoded from gzip or deflate (default 16 MiB). */
        public Builder maxBodyBytes(int v) {
            if (v <= 0) throw new IllegalArgumentException("maxBodyBytes must be positive");
            maxBodyBytes = v;
            return this;
        }

        /**
         * How long, from when weir takes a request up, it may wait on the store for everything the
         * answer needs (the table's tags and key schema, a pooled connection, connecting, the
         * exchange, every page it pages itself, every round of a BatchGetItem) before it answers
         * 503 (default: the upstream client's timeout, {@code upstream.timeout_ms} in the appliance).
         */
        public Builder requestDeadline(Duration v) {
            if (v.isNegative() || v.isZero()) throw new IllegalArgumentException("the request deadline must be positive");
            requestDeadline = v;
            return this;
        }

        /** The upstream's region and account, the only ones whose table ARNs are served (default: the bundled store's). */
        public Builder upstreamAccount(UpstreamAccount v) {
            account = Objects.requireNonNull(v);
            return this;
        }

        /**
         * The key weir seals its shard iterators with (default: a random key, so iterators die
         * when weir restarts; replicas behind one balancer need one configured key).
         */
        public Builder iteratorSeal(IteratorSeal v) {
            iteratorSeal = Objects.requireNonNull(v);
            return this;
        }

        /**
         * What the upstream's stream numbers reveal (default {@link UpstreamNumbers#REFUSED}: a
         * caller whose view is restricted may not read streams; the appliance says
         * {@link UpstreamNumbers#COUNT_FREE} for its bundled store).
         */
        public Builder upstreamNumbers(UpstreamNumbers v) {
            upstreamNumbers = Objects.requireNonNull(v);
            return this;
        }

        public Firewall build() {
            return new Firewall(this);
        }
    }
}
