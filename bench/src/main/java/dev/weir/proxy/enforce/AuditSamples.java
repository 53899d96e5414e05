package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.PendingEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.metrics.RequestMetrics;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.upstream.UpstreamAccount;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Answered requests of the load benchmark's workload ({@link PeopleWorkload}) as the firewall's
 * own stages, for {@code bench/jmh/AuditEventBenchmark}: each body read by the real
 * {@link RequestParser}, decided by the real {@link Decider} under a real policy, planned by the
 * real {@link Planner}, so what the audit derives from them (paths, keys, masks) is what it
 * derives under load. It lives in the firewall's package, in the bench module, because the
 * stages are package-private.
 *
 * <p>{@link #answered} hands out fresh stages: a {@link Decided} remembers what its request
 * touches once worked out, so a benchmark that audited one {@link Decided} twice would measure
 * that work once.
 */
public final class AuditSamples {
    private static final String TABLE = """
            {"TableName":"people","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
             "GlobalSecondaryIndexes":[{"IndexName":"by-region","KeySchema":[{"AttributeName":"region","KeyType":"HASH"},
               {"AttributeName":"id","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}""";

    private final Decided[] decided;
    private final Plan[] plans;
    private final ProxyResponse response;
    private final int itemsReturned;
    private final int rowsDropped;
    private Auditor auditor;
    private AnswerMeter meter;
    /** What {@link #decideAnew} reads, decides and plans again. */
    private final byte[][] bodies;
    private final HttpRequestView[] requests;
    private final RequestParser parser;
    private final PolicySnapshot snapshot;
    private final Principal principal;
    private final TableSchema schema;
    private final String target;
    private final boolean put;
    private int next;

    /**
     * @param policy the policy text (one principal, {@code bench}, of region eu, with the role {@code bench})
     * @param kind   GetItem, Query, PutItem or UpdateItem, as {@link PeopleWorkload#sampleBody} sends it
     * @param pool   how many distinct requests to cycle through
     */
    public AuditSamples(String policy, String kind, int pool) throws Exception {
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("bench.weir", policy)));
        if (!loaded.ok()) throw new IllegalArgumentException(loaded.diagnostics().toString());
        PolicySnapshot snapshot = new PolicySnapshot(loaded.table().orElseThrow(), loaded.contentHash());
        Principal bench = new Principal("bench", "AKIDBENCH", "bench-secret", null, List.of("bench"),
                Map.of("region", List.of("eu")));
        Operation op = Operation.valueOf(kind);
        String target = Target.of(op);
        RequestParser parser = new RequestParser(UpstreamAccount.DEFAULT);
        PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), 10_000);
        TableSchema schema = TableSchema.fromDescription(new ObjectMapper().readTree(TABLE));
        decided = new Decided[pool];
        plans = new Plan[pool];
        bodies = new byte[pool][];
        requests = new HttpRequestView[pool];
        this.parser = parser;
        this.snapshot = snapshot;
        this.principal = bench;
        this.schema = schema;
        this.target = target;
        this.put = op == Operation.PutItem;
        for (int k = 0; k < pool; k++) {
            byte[] body = workload.sampleBody(kind, k);
            HttpRequestView http = new HttpRequestView("POST", "/", "", List.of(Map.entry("Host", "weir.bench"),
                    Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", target)), body);
            bodies[k] = body;
            requests[k] = http;
            Received received = Received.now(http, new InetSocketAddress("127.0.0.1", 40_000 + k), null);
            Parsed parsed = new Parsed(new Identified(received, bench, null), parser.parse(bench.name(), target, body), snapshot);
            Decided d = Decider.decide(parsed, Map.of());
            if (op == Operation.PutItem) d = d.withItemKeys(new ItemKeys(Map.of("people", List.of("id")), List.of()));
            Planner.check(d);
            plans[k] = Planner.plan(d, schema);
            decided[k] = d;
        }
        response = ProxyResponse.of(200, "{}".getBytes(StandardCharsets.UTF_8));
        itemsReturned = op == Operation.Query ? 10 : op == Operation.GetItem ? 1 : 0;
        rowsDropped = op == Operation.Query && !decided[0].of(decided[0].parsed().request().single()).view().isUnrestricted() ? 3 : 0;
    }

    /** The auditor every {@link #audit} goes through, publishing into {@code pipeline}. */
    public AuditSamples auditingInto(AuditPipeline pipeline) {
        return auditingInto(pipeline, null);
    }

    /**
     * The auditor every {@link #audit} goes through, publishing into {@code pipeline} and
     * counting each request into {@code metrics} (null: no metrics, as without a metrics block).
     */
    public AuditSamples auditingInto(AuditPipeline pipeline, RequestMetrics metrics) {
        auditor = new Auditor(pipeline, AuditScope.ALL, new AnswerMeter(metrics));
        meter = new AnswerMeter(metrics);
        return this;
    }

    /**
     * The firewall's own work on the loop for the next request, up to its answer: its body read
     * (every expression parsed), decided under the policy and planned, answered 200; without
     * SigV4, the exchange and the response filter. The baseline the metrics' cost is set against.
     */
    public Object decideAnew() {
        int k = next;
        next = (next + 1) % decided.length;
        Received received = Received.now(requests[k], new InetSocketAddress("127.0.0.1", 40_000 + k), null);
        Parsed parsed = new Parsed(new Identified(received, principal, null), parser.parse(principal.name(), target, bodies[k]),
                snapshot);
        Decided d = Decider.decide(parsed, Map.of());
        if (put) d = d.withItemKeys(new ItemKeys(Map.of("people", List.of("id")), List.of()));
        Planner.check(d);
        Planned planned = new Planned(d, Planner.plan(d, schema), null, System.nanoTime());
        return new Answered(planned, new Verdict.Permitted(d.ruleIds()), response, 200, rowsDropped, itemsReturned, planned.nanos());
    }

    /** Only the metrics' share of {@link #audit}: the answered request counted and timed once. */
    public void meter(Object answered) {
        meter.record((Answered) answered, true);
    }

    /** {@code n} answered requests (typed {@code Object}: the stage records are package-private), each with fresh stages. */
    public Object[] answered(int n) {
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            Decided d = decided[next];
            Decided fresh = new Decided(d.parsed(), d.tables(), d.ruleIds(), d.itemKeys());
            Planned planned = new Planned(fresh, plans[next], null, System.nanoTime());
            out[i] = new Answered(planned, new Verdict.Permitted(fresh.ruleIds()), response, 200, rowsDropped, itemsReturned,
                    planned.nanos());
            next = (next + 1) % decided.length;
        }
        return out;
    }

    /** What the event loop does for the answer's record in async mode: the whole {@link Auditor#audit(Answered)}. */
    public CompletableFuture<ProxyResponse> audit(Object answered) {
        return auditor.audit((Answered) answered);
    }

    /** The answer's record as the event loop hands it to the pipeline. */
    public Object record(Object answered) {
        return RequestRecord.of((Answered) answered, AuditEvent.COMPLETE);
    }

    /** What the writer thread makes of a {@link #record}: the event its formats write. */
    public AuditEvent event(Object record) {
        return ((PendingEvent) record).event();
    }
}
