package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.fault.Tmpfs;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.AuditSink;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.store.BundledStore;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit before access, against a real bundled store and a real spooled pipeline: in sync mode a
 * permitted request's decision record is durable before it is forwarded and its outcome record
 * (the same request id) follows; when the decision record cannot be made durable, nothing
 * reaches the store (the store itself is read to prove it) and the client gets a 500. Refusals
 * and async mode write one record. Every record and response carry the same request id, and
 * writes name their keys and written attributes.
 */
class AuditBeforeAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            role admin
            role ingest
            @id("admin-all") allow admin on table * op *
            @id("ingest-write") allow ingest on table people op [PutItem, BatchWriteItem, TransactWriteItems, UpdateItem, DeleteItem]
            """;
    private static final List<Principal> PRINCIPALS = List.of(
            new Principal("admin", "AKADMIN", "admin-secret", null, List.of("admin"), Map.of()),
            new Principal("ingest", "AKINGEST", "ingest-secret", null, List.of("ingest"), Map.of()));

    @TempDir
    static Path dir;
    static BundledStore store;
    static EventLoopGroup group;
    static UpstreamClient upstream;
    static PolicyHolder policy;
    static Identifier identifier;
    /** Sync mode, working spool: the reference weir, also used to set up and read the store. */
    static Weir sync;

    @BeforeAll
    static void start() throws IOException {
        store = BundledStore.open(dir.resolve("store"), new Credentials("UPSTREAM", "upstream-secret"));
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        group = Transport.NIO.newEventLoopGroup(2);
        upstream = new UpstreamClient(URI.create("http://127.0.0.1:" + address.getPort()),
                new SigV4Signer(new Credentials("UPSTREAM", "upstream-secret"), "us-east-1", "dynamodb"), Transport.NIO, group,
                4, Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY)));
        policy = new PolicyHolder(new PolicySnapshot(loaded.table().orElseThrow(), loaded.contentHash()));
        identifier = new Identifier(new PrincipalDirectory(PRINCIPALS), Clock.systemUTC());
        sync = Weir.spooled(dir.resolve("spool-sync"), AuditPipeline.Mode.SYNC);
        Answer created = sync.call("admin", "CreateTable", """
                {"TableName":"people","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}""");
        assertEquals(200, created.status(), created.body());
    }

    @AfterAll
    static void stop() {
        if (sync != null) sync.close();
        if (upstream != null) upstream.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (store != null) store.close();
    }

    @Test
    void syncModeRecordsTheDecisionBeforeForwardingAndLinksTheOutcomeByRequestId() {
        Answer put = sync.call("ingest", "PutItem", """
                {"TableName":"people","Item":{"id":{"S":"p-1"},"name":{"S":"Ada"},"region":{"S":"eu"}}}""");
        assertEquals(200, put.status(), put.body());
        UUID.fromString(put.requestId());

        List<AuditEvent> records = sync.records(put.requestId(), 2);
        AuditEvent decision = records.get(0), outcome = records.get(1);
        assertEquals(AuditEvent.DECISION, decision.phase());
        assertEquals(AuditEvent.OUTCOME, outcome.phase());
        assertTrue(decision.sequence() < outcome.sequence(), "the decision is recorded first");
        for (AuditEvent e : records) {
            assertEquals(put.requestId(), e.requestId());
            assertEquals("ingest", e.principal());
            assertEquals("PutItem", e.operation());
            assertEquals("people", e.table());
            assertEquals("ALLOWED", e.decision());
            assertEquals(List.of("ingest-write"), e.ruleIds());
            assertEquals(List.of("id=p-1"), e.itemKeys(), "the put names its item's key");
            assertEquals(List.of("id", "name", "region"), e.writtenPaths(), "and the attributes it writes");
        }
        assertEquals(0, decision.status(), "a decision record has no answer yet");
        assertEquals(0, decision.upstreamStatus());
        assertEquals(200, outcome.status());
        assertEquals(200, outcome.upstreamStatus());
        assertTrue(outcome.latencyMicros() >= outcome.decideMicros());
        assertEquals("Ada", item("p-1").at("/name/S").asText());
    }

    @Test
    void aDecisionThatCannotBeMadeDurableIsNeverForwarded() throws Exception {
        assertEquals(200, sync.call("admin", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"kept\"},\"n\":{\"N\":\"1\"}}}").status());
        try (Weir broken = Weir.spooled(dir.resolve("spool-broken"), AuditPipeline.Mode.SYNC)) {
            broken.audit.close();  // the writer is gone: nothing published from now on can become durable
            List<Answer> answers = List.of(
                    broken.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"lost-1\"}}}"),
                    broken.call("ingest", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"kept\"}},"
                            + "\"UpdateExpression\":\"SET n = :two\",\"ExpressionAttributeValues\":{\":two\":{\"N\":\"2\"}}}"),
                    broken.call("ingest", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"kept\"}}}"),
                    broken.call("ingest", "BatchWriteItem", "{\"RequestItems\":{\"people\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"lost-2\"}}}}]}}"),
                    broken.call("ingest", "TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"people\","
                            + "\"Item\":{\"id\":{\"S\":\"lost-3\"}}}}]}"));
            for (Answer a : answers) {
                assertEquals(500, a.status(), a.body());
                assertTrue(a.body().contains("InternalServerError") && a.body().contains("not sent to the store"), a.body());
                assertNotNull(a.requestId());
            }
        }
        // The store itself: none of the writes reached it.
        assertTrue(item("lost-1").isMissingNode(), "a put whose decision was not recorded did not reach the store");
        assertTrue(item("lost-2").isMissingNode());
        assertTrue(item("lost-3").isMissingNode());
        assertEquals("1", item("kept").at("/n/N").asText(), "neither the update nor the delete reached the store");
    }

    /**
     * The spool on a full file system (a tiny tmpfs, filled up): the decision record cannot be
     * written, so the put never reaches the store. Needs root for the mount.
     */
    @Test
    void aSpoolOnAFullDiskKeepsTheWriteFromTheStore() throws Exception {
        try (Tmpfs tiny = Tmpfs.mount(dir.resolve("tiny"), "256k");
             Weir full = Weir.spooled(tiny.dir.resolve("spool"), AuditPipeline.Mode.SYNC)) {
            tiny.fill();
            Answer put = full.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"full-disk\"}}}");
            assertEquals(500, put.status(), put.body());
            assertTrue(put.body().contains("InternalServerError"), put.body());
        }
        assertTrue(item("full-disk").isMissingNode(), "the put did not reach the store");
    }

    @Test
    void aRefusalIsOneCompleteRecordAndNothingIsForwarded() {
        Answer denied = sync.call("ingest", "DeleteTable", "{\"TableName\":\"people\"}");
        assertEquals(400, denied.status());
        AuditEvent only = sync.records(denied.requestId(), 1).getFirst();
        assertEquals(AuditEvent.COMPLETE, only.phase());
        assertEquals("NOT_PERMITTED", only.decision());
        assertEquals(400, only.status());
        assertEquals(1, sync.events.stream().filter(e -> denied.requestId().equals(e.requestId())).count());
        assertEquals(200, sync.call("admin", "DescribeTable", "{\"TableName\":\"people\"}").status(), "the table is still there");
    }

    @Test
    void anUnidentifiedCallersRecordNamesTheOperationItTried() {
        Answer a = sync.call("AKNOBODY", "wrong", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"x\"}}}");
        assertEquals(400, a.status());
        AuditEvent e = sync.records(a.requestId(), 1).getFirst();
        assertEquals("UNAUTHENTICATED", e.decision());
        assertEquals("PutItem", e.operation(), "the action is recorded even for an unidentified caller");
        assertEquals("AKNOBODY", e.accessKeyId());
        assertEquals(AuditEvent.COMPLETE, e.phase());
        assertTrue(item("x").isMissingNode());
    }

    @Test
    void asyncModeWritesOneCompleteRecordPerRequest() throws Exception {
        try (Weir async = Weir.spooled(dir.resolve("spool-async"), AuditPipeline.Mode.ASYNC)) {
            Answer put = async.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"a-1\"},\"v\":{\"N\":\"3\"}}}");
            assertEquals(200, put.status());
            AuditEvent e = async.records(put.requestId(), 1).getFirst();
            assertEquals(AuditEvent.COMPLETE, e.phase());
            assertEquals(200, e.status());
            assertEquals(List.of("id=a-1"), e.itemKeys());
            assertEquals(List.of("id", "v"), e.writtenPaths());
            Thread.sleep(100);
            assertEquals(1, async.events.stream().filter(x -> put.requestId().equals(x.requestId())).count());
        }
    }

    @Test
    void batchAndTransactionWritesNameEveryKeyAndWrittenAttribute() {
        Answer batch = sync.call("ingest", "BatchWriteItem", """
                {"RequestItems":{"people":[{"PutRequest":{"Item":{"id":{"S":"b-1"},"name":{"S":"B"}}}},
                                           {"DeleteRequest":{"Key":{"id":{"S":"b-0"}}}}]}}""");
        assertEquals(200, batch.status(), batch.body());
        for (AuditEvent e : sync.records(batch.requestId(), 2)) {
            assertEquals(List.of("id=b-0", "id=b-1"), e.itemKeys().stream().sorted().toList());
            assertEquals(List.of("id", "name"), e.writtenPaths());
        }
        Answer tx = sync.call("ingest", "TransactWriteItems", """
                {"TransactItems":[{"Put":{"TableName":"people","Item":{"id":{"S":"t-1"},"city":{"S":"Oslo"}}}},
                  {"Update":{"TableName":"people","Key":{"id":{"S":"b-1"}},"UpdateExpression":"SET score = :s",
                             "ExpressionAttributeValues":{":s":{"N":"5"}}}}]}""");
        assertEquals(200, tx.status(), tx.body());
        for (AuditEvent e : sync.records(tx.requestId(), 2)) {
            assertEquals(List.of("id=b-1", "id=t-1"), e.itemKeys().stream().sorted().toList());
            assertEquals(List.of("city", "id", "score"), e.writtenPaths().stream().sorted().toList());
        }
    }

    private static JsonNode item(String id) {
        Answer a = sync.call("admin", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + id + "\"}},\"ConsistentRead\":true}");
        assertEquals(200, a.status(), a.body());
        try {
            return JSON.readTree(a.body()).path("Item");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A response as the client sees it. */
    record Answer(int status, String body, String requestId) {}

    /** A firewall over the shared store and policy, with its own spooled pipeline whose sink keeps every event. */
    static final class Weir implements AutoCloseable {
        /** Every event the pipeline shipped, in shipping order. */
        final List<AuditEvent> events;
        final AuditPipeline audit;
        final Firewall firewall;

        private Weir(AuditPipeline audit, List<AuditEvent> events) {
            this.audit = audit;
            this.events = events;
            this.firewall = Firewall.builder().identifier(identifier).policy(policy).upstream(upstream).audit(audit).build();
        }

        static Weir spooled(Path spool, AuditPipeline.Mode mode) throws IOException {
            List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
            AuditPipeline pipeline = AuditPipeline.spooled(new AuditPipeline.Options("test", 0, spool, 0, 0, mode,
                    AuditPipeline.WhenFull.BLOCK, Duration.ofMillis(300), null, Duration.ofSeconds(1)),
                    List.of(new AuditPipeline.NamedSink("list", new AuditSink() {
                        @Override public void write(AuditEvent event) {
                            shipped.add(event);
                        }

                        @Override public void flush() {}

                        @Override public void close() {}
                    })));
            return new Weir(pipeline, shipped);
        }

        Answer call(String principal, String op, String json) {
            Principal p = PRINCIPALS.stream().filter(x -> x.name().equals(principal)).findFirst().orElseThrow();
            return call(p.accessKeyId(), p.secretAccessKey(), op, json);
        }

        Answer call(String accessKey, String secret, String op, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "weir.test"),
                    Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
            headers.addAll(new SigV4Signer(new Credentials(accessKey, secret), "us-east-1", "dynamodb")
                    .sign("POST", "/", headers, body, Instant.now()));
            ProxyResponse r = firewall.handle(new HttpRequestView("POST", "/", "", headers, body),
                    new InetSocketAddress("127.0.0.1", 40000), null).join();
            return new Answer(r.status(), new String(r.body(), StandardCharsets.UTF_8), r.requestId());
        }

        /** The request's records in sequence order, once {@code count} of them reached the sink. */
        List<AuditEvent> records(String requestId, int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                List<AuditEvent> mine = events.stream().filter(e -> requestId.equals(e.requestId()))
                        .sorted(java.util.Comparator.comparingLong(AuditEvent::sequence)).toList();
                if (mine.size() >= count) return mine;
                if (System.nanoTime() > deadline) throw new AssertionError("records of " + requestId + ": " + mine);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void close() {
            audit.close();
        }
    }
}
