package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.chain.ChainVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit pipeline as the appliance runs it: spooled, with a plain file sink and a
 * hash-chained sink, in sync mode across a SIGKILL, and narrowed by configuration.
 */
class AuditDeliveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path config(Path home, int proxyPort, int storePort, String audit) throws IOException {
        Files.createDirectories(home);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                """.formatted(storePort, proxyPort, ApplianceProcess.CONF.resolve("policies"),
                ApplianceProcess.CONF.resolve("principals.yaml")) + audit);
        return config;
    }

    private static final String SYNC_AUDIT = """
            audit:
              mode: sync
              file: audit/audit.jsonl
              sinks:
                - {name: chain, type: file, dir: audit/chain, format: ecs}
            """;

    /**
     * Weir under load, killed with SIGKILL and restarted on the same home. Two clients write
     * (PutItem, unique keys) and two probe with DescribeTable on unique table names (each answer,
     * an error included, is a response whose records must be durable first). After the restart:
     * every write that was acknowledged is in the store; every request that was answered has its
     * records in both sinks, found by the {@code x-amzn-RequestId} its client got, a write as a
     * decision record then an outcome record of status 200, a probe (forwarded, and refused by the store) the same with status 400;
     * the killed instance's sequence numbers have no gap; the hash chain verifies. (A SIGKILL
     * cannot tell sync from async: the OS keeps what was written. What it proves is the recovery:
     * the spool, the offsets and the sinks' torn tails, and that nothing answered was lost.)
     */
    @Test
    void inSyncModeEveryAnsweredRequestSurvivesSigkillInEverySink(@TempDir Path home) throws Exception {
        int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
        Path config = config(home, proxyPort, storePort, SYNC_AUDIT);
        Map<String, String> writes = new ConcurrentHashMap<>();   // request id -> key written, acknowledged
        Set<String> probes = ConcurrentHashMap.newKeySet();       // request ids of answered probes
        String killedInstance;
        try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort)) {
            killedInstance = "weir-" + weir.pid();
            try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                admin.createTable(b -> b.tableName("people").keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                        .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            }
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warm = new CountDownLatch(4 * 20);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                boolean writer = t < 2;
                clients.add(Thread.ofPlatform().start(() -> {
                    try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                        for (int i = 0; !stop.get(); i++) {
                            String name = "k-" + thread + "-" + i;
                            try {
                                if (writer) {
                                    int n = i;
                                    String id = admin.putItem(b -> b.tableName("people").item(Map.of("id", AttributeValue.fromS(name),
                                            "n", AttributeValue.fromN(Integer.toString(n))))).responseMetadata().requestId();
                                    writes.put(id, name);
                                } else {
                                    admin.describeTable(b -> b.tableName("probe-" + name));
                                }
                                warm.countDown();
                            } catch (ResourceNotFoundException expected) {
                                probes.add(expected.requestId());
                                warm.countDown();
                            } catch (RuntimeException connectionLost) {
                                return;
                            }
                        }
                    }
                }));
            }
            assertTrue(warm.await(60, TimeUnit.SECONDS), "the clients did not get going");
            weir.kill();
            stop.set(true);
            for (Thread c : clients) c.join(30_000);
        }
        assertTrue(writes.size() >= 20 && probes.size() >= 20, "answered " + writes.size() + " writes, " + probes.size() + " probes");

        try (ApplianceProcess again = ApplianceProcess.start(home, config, proxyPort, storePort);
             DynamoDbClient admin = DynamoClients.as(again.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            for (String key : writes.values()) {
                assertTrue(admin.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true))
                        .hasItem(), "an acknowledged write was lost: " + key);
            }
            Path plain = home.resolve("audit/audit.jsonl");
            Path chainDir = home.resolve("audit/chain");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Set<String> wrong;
            do {
                wrong = new TreeSet<>();
                for (List<String> sink : List.of(lines(plain), chainLines(chainDir))) {
                    Map<String, List<JsonNode>> records = byRequest(sink, killedInstance);
                    for (String id : writes.keySet()) {
                        List<JsonNode> r = records.getOrDefault(id, List.of());
                        if (!(r.size() == 2 && r.get(0).path("weir.phase").asText().equals("decision")
                                && r.get(1).path("weir.phase").asText().equals("outcome")
                                && r.get(1).path("http.response.status_code").asInt() == 200
                                && r.get(1).path("weir.keys").toString().contains("id=" + writes.get(id)))) wrong.add("write " + id + " " + r);
                    }
                    for (String id : probes) {
                        List<JsonNode> r = records.getOrDefault(id, List.of());
                        if (!(r.size() == 2 && r.get(0).path("weir.phase").asText().equals("decision")
                                && r.get(1).path("weir.phase").asText().equals("outcome")
                                && r.get(1).path("http.response.status_code").asInt() == 400)) wrong.add("probe " + id + " " + r);
                    }
                }
                if (wrong.isEmpty()) break;
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            assertTrue(wrong.isEmpty(), wrong.size() + " answered requests are not recorded as answered in a sink, e.g. "
                    + wrong.stream().limit(5).toList());

            for (List<String> sink : List.of(lines(plain), chainLines(chainDir))) {
                TreeSet<Long> seqs = new TreeSet<>();
                for (String line : sink) {
                    JsonNode e = JSON.readTree(line);
                    if (e.path("observer.name").asText().equals(killedInstance)) seqs.add(e.path("event.sequence").asLong());
                }
                assertEquals(1L, seqs.first());
                assertEquals(seqs.size(), seqs.last(), "a gap in the killed instance's sequence numbers");
            }
            System.out.printf("SIGKILL under load: %d acknowledged writes all in the store, %d writes and %d probes answered, "
                    + "all recorded in both sinks%n", writes.size(), writes.size(), probes.size());
        }
        ChainVerifier.Report report = ChainVerifier.verify(home.resolve("audit/chain"), null);
        assertTrue(report.ok(), "the chain does not verify after SIGKILL: " + report.problems());
    }

    /** Allowed reads of people are skipped; writes and every denial are still audited. */
    @Test
    void narrowingSkipsAllowedReadsButNeverADenial(@TempDir Path home) throws Exception {
        int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
        int metricsPort = ApplianceProcess.freePort();
        Path config = config(home, proxyPort, storePort, """
                audit:
                  mode: async
                  skip:
                    - {tables: [people], operations: [read]}
                metrics: {host: 127.0.0.1, port: %d}
                """.formatted(metricsPort));
        try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort);
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient ingest = DynamoClients.as(weir.endpoint(), "AKIAWEIRINGEST000001", "weir-ingest-secret")) {
            admin.createTable(b -> b.tableName("people")
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            admin.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS("p-1"))));
            admin.query(b -> b.tableName("people").keyConditionExpression("id = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("p-1"))));
            DynamoDbException denied = assertThrows(DynamoDbException.class,
                    () -> ingest.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS("p-1")))));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            admin.updateItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS("p-1")))
                    .updateExpression("SET notes = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromS("audited"))));
            assertThrows(ResourceNotFoundException.class, () -> admin.describeTable(b -> b.tableName("the-end")));

            List<JsonNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                events.clear();
                for (String line : lines(home.resolve("audit/audit.jsonl"))) events.add(JSON.readTree(line));
                if (events.stream().anyMatch(e -> e.path("weir.table").asText().equals("the-end"))) break;
                Thread.sleep(50);
            }
            List<String> seen = events.stream().filter(e -> !e.path("event.action").asText().startsWith("weir:"))
                    .map(e -> e.path("event.action").asText() + " " + e.path("user.name").asText() + " "
                            + e.path("weir.decision").asText())
                    .toList();
            assertEquals(List.of("CreateTable admin ALLOWED", "GetItem ingest NOT_PERMITTED", "UpdateItem admin ALLOWED", "DescribeTable admin ALLOWED"),
                    seen);
            assertFalse(seen.stream().anyMatch(s -> s.startsWith("Query")));

            // The counters agree: every published event was written and the file sink has shipped it.
            java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            assertTrue(text.contains("# TYPE weir_audit_events_written_total counter"), text);
            long written = metric(text, "weir_audit_events_written_total");
            assertTrue(written >= events.size(), text);
            assertEquals(0, metric(text, "weir_audit_events_dropped_total"), text);
            assertEquals(1, metric(text, "weir_audit_sink_up{sink=\"file\"}"), text);
            assertTrue(metric(text, "weir_audit_sink_shipped_total{sink=\"file\"}") >= events.size(), text);
        }
    }

    /** A sink from the config reaches its real receiver: an HEC collector, OCSF events, the token checked. */
    @Test
    void anHecSinkFromTheConfigurationDeliversOcsfEvents(@TempDir Path home) throws Exception {
        List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer collector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/services/collector/event", ex -> {
            try (ex) {
                boolean tokenOk = "Splunk hec-test-token".equals(ex.getRequestHeaders().getFirst("Authorization"));
                if (tokenOk) bodies.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                byte[] answer = (tokenOk ? "{\"text\":\"Success\",\"code\":0}" : "{\"text\":\"Invalid token\",\"code\":4}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.sendResponseHeaders(tokenOk ? 200 : 403, answer.length);
                ex.getResponseBody().write(answer);
            }
        });
        collector.start();
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve("hec.token"), "hec-test-token\n");
            int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
            Path config = config(home, proxyPort, storePort, """
                    audit:
                      sinks:
                        - {name: splunk, type: hec, url: 'http://127.0.0.1:%d/services/collector/event', token_file: hec.token, format: ocsf}
                    """.formatted(collector.getAddress().getPort()));
            try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort);
                 DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                assertThrows(ResourceNotFoundException.class, () -> admin.describeTable(b -> b.tableName("hec-probe")));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline && bodies.stream().noneMatch(b -> b.contains("hec-probe"))) Thread.sleep(50);
                String body = bodies.stream().filter(b -> b.contains("hec-probe")).findFirst()
                        .orElseThrow(() -> new AssertionError("the collector got no event for the probe: " + bodies));
                JsonNode envelope = JSON.readTree(body.lines().filter(l -> l.contains("hec-probe")).findFirst().orElseThrow());
                assertEquals(6005, envelope.path("event").path("class_uid").asInt(), body);
                assertEquals("admin", envelope.path("event").path("actor").path("user").path("name").asText(), body);
                String everything = String.join("\n", weir.output());
                assertFalse(everything.contains("hec-test-token"), "the HEC token reached weir's log");
            }
        } finally {
            collector.stop(0);
        }
    }

    /** A sample's value; the exposition writes counts as doubles ({@code 4.0}), each of them whole. */
    private static long metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> {
            double v = Double.parseDouble(l.substring(name.length() + 1));
            if (v != Math.rint(v)) throw new AssertionError(name + " is not a whole number: " + l);
            return (long) v;
        }).findFirst().orElseThrow(() -> new AssertionError(name + " missing in\n" + text));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static List<String> chainLines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("audit-\\d+\\.log")).sorted().toList()) {
                out.addAll(lines(f));
            }
        }
        return out;
    }

    /** The records of one instance in ECS lines, by request id, in sequence order. */
    private static Map<String, List<JsonNode>> byRequest(List<String> lines, String instance) throws IOException {
        Map<String, List<JsonNode>> out = new java.util.HashMap<>();
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            if (e.path("observer.name").asText().equals(instance) && e.has("http.request.id")) {
                out.computeIfAbsent(e.path("http.request.id").asText(), k -> new ArrayList<>()).add(e);
            }
        }
        // a sink may repeat records after a crash (at least once; receivers deduplicate by instance and sequence)
        for (Map.Entry<String, List<JsonNode>> e : out.entrySet()) {
            java.util.TreeMap<Long, JsonNode> bySeq = new java.util.TreeMap<>();
            for (JsonNode n : e.getValue()) bySeq.putIfAbsent(n.path("event.sequence").asLong(), n);
            e.setValue(new ArrayList<>(bySeq.values()));
        }
        return out;
    }
}
