package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Triggers end to end (issue 15's proof): {@code weir up} processes with a trigger in the policy,
 * in front of a store in its own process ({@code weir store}); writes go through weir, a real
 * HTTP function is called. SIGKILL of weir in the middle of the work and a restart; two weir
 * instances on one store sharing the shards, one taking over when the other is killed (leases
 * shortened by configuration).
 */
class TriggersEndToEndTest {
    private static final String SECRET = "e2e-trigger-signing-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private ApplianceProcess store;
    private HttpServer server;
    /** Event id → calls that carried it; idempotency key → times the function acted (must be 1). */
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> acted = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        store = ApplianceProcess.startStoreAlone(dir.resolve("store"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String ts = exchange.getRequestHeaders().getFirst("X-Weir-Timestamp");
                String sig = exchange.getRequestHeaders().getFirst("X-Weir-Signature");
                if (!FunctionSignature.valid(SECRET, ts, body, sig)) {
                    badSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                Thread.sleep(40); // a function with some work to do, so weir can be killed in the middle
                calls.incrementAndGet();
                for (JsonNode r : JSON.readTree(body).path("records")) {
                    seen.computeIfAbsent(r.path("eventID").asText(), k -> new AtomicInteger()).incrementAndGet();
                }
                String key = exchange.getRequestHeaders().getFirst("X-Weir-Idempotency-Key");
                acted.computeIfAbsent(key, k -> new AtomicInteger()).compareAndSet(0, 1); // acts once per key
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                exchange.sendResponseHeaders(503, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("images.weir"), """
                role admin
                role faces_worker
                allow admin on table * op *
                allow faces_worker on table images op read fields [id, kind, faces_done]

                @id("faces")
                trigger on table images
                  when [INSERT, MODIFY]
                  rows where item.kind == "image"
                  call "http://127.0.0.1:%d/faces"
                  as role faces_worker
                  batch 1
                  retry 3 backoff 50ms to 200ms
                  mark faces_done
                """.formatted(server.getAddress().getPort()));
        Files.writeString(dir.resolve("principals.yaml"), """
                principals:
                  - {name: admin, access_key_id: AKIAWEIRADMIN0000001, secret_access_key: weir-admin-secret, roles: [admin]}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.stop(0);
        if (store != null) store.close();
    }

    /**
     * A weir instance in front of the store, with its own home and instance id. The store is weir's bundled store
     * in its own process, whose sequence numbers count nothing: streams_reveal_counts accept says so.
     */
    private ApplianceProcess weir(String instance) throws Exception {
        Path home = Files.createDirectories(dir.resolve("weir-" + instance));
        int port = ApplianceProcess.freePort();
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {endpoint: 'http://127.0.0.1:%d', region: us-east-1, access_key_id: %s, secret_access_key: %s,
                           streams_reveal_counts: accept}
                policies: %s
                principals: %s
                audit: {file: audit/audit.jsonl}
                lifecycle: {instance_id: %s, lease_ms: 1500, poll_ms: 100, signing_secret: %s}
                """.formatted(port, store.proxyPort, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET,
                dir.resolve("policies"), dir.resolve("principals.yaml"), instance, SECRET));
        return ApplianceProcess.start(home, config, port, -1);
    }

    private static DynamoDbClient admin(ApplianceProcess weir) {
        return DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
    }

    private static void createImages(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName("images").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
    }

    private static void put(DynamoDbClient ddb, String id, String kind) {
        ddb.putItem(b -> b.tableName("images").item(Map.of("id", AttributeValue.fromS(id), "kind", AttributeValue.fromS(kind),
                "secret", AttributeValue.fromS("s-" + id))));
    }

    private static boolean await(int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** Item id → its mark, for every image item; fails on a video item with a mark. */
    private static Map<String, String> marks(DynamoDbClient ddb) {
        Map<String, String> out = new HashMap<>();
        for (Map<String, AttributeValue> item : ddb.scan(b -> b.tableName("images")).items()) {
            boolean image = item.get("kind").s().equals("image");
            if (!image) assertFalse(item.containsKey("faces_done"), "a video was marked: " + item.get("id").s());
            if (image && item.containsKey("faces_done")) out.put(item.get("id").s(), item.get("faces_done").n());
        }
        return out;
    }

    /** Every qualifying change marked once with its own sequence number, seen at least once, acted on once. */
    private void assertEffectivelyOnce(DynamoDbClient ddb, Set<String> images) {
        Map<String, String> marks = marks(ddb);
        assertEquals(images, marks.keySet());
        // the sequence numbers of the image INSERTs, from the store's own stream (read directly, with weir's upstream key)
        Map<String, String> insertSeq = new HashMap<>();
        Map<String, String> insertEvent = new HashMap<>();
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + store.proxyPort)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String arn = ddb.describeTable(b -> b.tableName("images")).table().latestStreamArn();
            for (var shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType("TRIM_HORIZON")).shardIterator();
                while (it != null) {
                    String current = it;
                    var page = streams.getRecords(b -> b.shardIterator(current));
                    for (var r : page.records()) {
                        String id = r.dynamodb().keys().get("id").s();
                        if (r.eventNameAsString().equals("INSERT") && images.contains(id)) {
                            insertSeq.put(id, new BigInteger(r.dynamodb().sequenceNumber()).toString());
                            insertEvent.put(id, r.eventID());
                        }
                    }
                    it = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
        }
        assertEquals(insertSeq, marks, "each image's mark is the sequence number of its change");
        for (String id : images) assertTrue(seen.containsKey(insertEvent.get(id)), "the function saw " + id);
        acted.forEach((key, n) -> assertEquals(1, n.get(), key));
        assertEquals(0, badSignatures.get());
        for (String event : seen.keySet()) assertTrue(insertEvent.containsValue(event), "only image changes reach it");
    }

    @Test
    void killedInTheMiddleAndRestartedEveryChangeIsMarkedOnceAndActedOnOnce() throws Exception {
        Set<String> images = new java.util.TreeSet<>();
        ApplianceProcess first = weir("first");
        try (DynamoDbClient ddb = admin(first)) {
            createImages(ddb);
            for (int i = 0; i < 60; i++) {
                String id = "img" + i;
                boolean video = i % 7 == 3;
                put(ddb, id, video ? "video" : "image");
                if (!video) images.add(id);
            }
            assertTrue(await(60, () -> calls.get() >= 10), () -> "the function is being called:\n" + String.join("\n", first.output()));
            first.kill(); // SIGKILL in the middle: calls made, marks and checkpoints partly written
        }
        int before = seen.size();
        assertTrue(before < images.size(), "weir was killed before it was done (" + before + " of " + images.size() + ")");
        ApplianceProcess second = weir("second"); // another instance id: it takes the shards once the leases expire
        try (DynamoDbClient ddb = admin(second)) {
            assertTrue(await(90, () -> marks(ddb).size() == images.size()), () -> "marks: " + marks(ddb).size());
            Thread.sleep(500);
            assertEffectivelyOnce(ddb, images);
            List<String> audit = Files.readAllLines(second.auditFile());
            assertTrue(audit.stream().anyMatch(l -> l.contains("weir:TriggerCall") && l.contains("faces")), "calls are audited");
            assertFalse(audit.stream().anyMatch(l -> l.contains("s-img")), "no hidden value in the audit");
        } finally {
            second.close();
        }
    }

    @Test
    void twoInstancesShareTheShardsAndOneTakesOverWhenTheOtherIsKilled() throws Exception {
        ApplianceProcess a = weir("a");
        ApplianceProcess b = weir("b");
        try (DynamoDbClient ddb = admin(a)) {
            createImages(ddb);
            Set<String> images = new java.util.TreeSet<>();
            for (int i = 0; i < 30; i++) {
                put(ddb, "x" + i, "image");
                images.add("x" + i);
            }
            BooleanSupplier bothWork = () -> a.output().stream().anyMatch(l -> l.contains("a took shard"))
                    && b.output().stream().anyMatch(l -> l.contains("b took shard"));
            assertTrue(await(60, bothWork), "each instance runs a shard");
            assertTrue(await(60, () -> marks(ddb).size() == images.size()));
            a.kill();
            try (DynamoDbClient viaB = admin(b)) {
                for (int i = 30; i < 60; i++) {
                    put(viaB, "x" + i, "image");
                    images.add("x" + i);
                }
                assertTrue(await(60, () -> b.output().stream().filter(l -> l.contains("b took shard")).count() >= 2),
                        "b takes the killed instance's shard once its lease expires");
                assertTrue(await(60, () -> marks(viaB).size() == images.size()), () -> "marks: " + marks(viaB).size());
                assertEffectivelyOnce(viaB, images);
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
