package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled triggers ({@code trigger every "CRON"}) end to end, on the wall clock: two real
 * {@code weir up} processes, A with the bundled store and B in front of A's store, share one
 * {@code weir_lifecycle} table; a real HTTP function checks weir's signature.
 *
 * <p>One minute boundary is enough to show the whole path, so the test waits for one (at most
 * about 75 s in all): with both instances stepping every 100 ms ({@code lifecycle.poll_ms}),
 * both race to claim the new minute and exactly one calls the function. The test also pre-claims
 * that minute for a third schedule in the store itself (as a third instance would): neither
 * weir calls it, so the conditional claim, not luck, is what keeps a minute to one call.
 * A schedule whose function answers 500 ends in {@code weir_dead_letters} after its retries, and
 * one that does not match in the test's window is never called.
 */
class SchedulesEndToEndTest {
    private static final String SECRET = "e2e-schedule-signing-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as the function received it. */
    record Call(String path, String key, String trigger, String body, long timestamp, Instant received, int status) {}

    @TempDir Path dir;
    private HttpServer function;
    private final List<ApplianceProcess> weirs = new ArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ApplianceProcess w : weirs.reversed()) w.close();
        if (function != null) function.stop(0);
    }

    private void startFunction() throws IOException {
        function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        function.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String ts = ex.getRequestHeaders().getFirst("X-Weir-Timestamp");
                if (!FunctionSignature.valid(SECRET, ts, body, ex.getRequestHeaders().getFirst("X-Weir-Signature"))) {
                    badSignatures.add(ex.getRequestURI().getPath());
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                int status = ex.getRequestURI().getPath().equals("/fail") ? 500 : 200;
                calls.add(new Call(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("X-Weir-Idempotency-Key"),
                        ex.getRequestHeaders().getFirst("X-Weir-Trigger"), new String(body, StandardCharsets.UTF_8),
                        Long.parseLong(ts), Instant.now(), status));
                ex.sendResponseHeaders(status, -1);
            }
        });
        function.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        function.start();
    }

    /** {@code weir up} with lifecycle instance {@code id}: with the bundled store when {@code upstreamStorePort} is -1, else in front of that store. */
    private ApplianceProcess weir(String id, int upstreamStorePort) throws Exception {
        Path home = Files.createDirectories(dir.resolve("weir-" + id));
        int proxyPort = ApplianceProcess.freePort();
        int storePort = upstreamStorePort;
        String store;
        if (upstreamStorePort < 0) {
            do storePort = ApplianceProcess.freePort(); while (storePort == proxyPort);
            store = "store: {enabled: true, host: 127.0.0.1, port: %d}\n".formatted(storePort)
                    + "upstream: {region: us-east-1, access_key_id: %s, secret_access_key: %s}\n"
                    .formatted(ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET);
        } else {
            store = "store: {enabled: false}\n"
                    + "upstream: {endpoint: 'http://127.0.0.1:%d', region: us-east-1, access_key_id: %s, secret_access_key: %s}\n"
                    .formatted(upstreamStorePort, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET);
        }
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, store + """
                proxy: {host: 127.0.0.1, port: %d}
                policies: %s
                principals: %s
                audit: {file: audit/audit.jsonl}
                lifecycle: {instance_id: %s, poll_ms: 100, signing_secret: %s}
                """.formatted(proxyPort, dir.resolve("policies"), dir.resolve("principals.yaml"), id, SECRET));
        ApplianceProcess w = ApplianceProcess.start(home, config, proxyPort, storePort);
        weirs.add(w);
        return w;
    }

    private static boolean await(int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static Map<String, AttributeValue> lifecycleRow(DynamoDbClient store, String pk) {
        try {
            var got = store.getItem(b -> b.tableName("weir_lifecycle").consistentRead(true).key(Map.of("pk", AttributeValue.fromS(pk))));
            return got.hasItem() ? got.item() : null;
        } catch (ResourceNotFoundException e) {
            return null; // weir has not created the table yet
        }
    }

    private List<Call> callsTo(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    /** Both instances' audit records, once each (a sink may repeat records: deduplicated by instance and sequence). */
    private List<JsonNode> auditRecords() throws IOException {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (ApplianceProcess w : weirs) {
            if (!Files.exists(w.auditFile())) continue;
            for (String line : Files.readAllLines(w.auditFile())) {
                JsonNode e = JSON.readTree(line);
                byId.putIfAbsent(e.path("event.id").asText(), e);
            }
        }
        return new ArrayList<>(byId.values());
    }

    @Test
    void twoInstancesCallEachDueMinuteOnceSignedClaimedAuditedAndDeadLettered() throws Exception {
        startFunction();
        String url = "http://127.0.0.1:" + function.getAddress().getPort();
        // a minute half an hour away: never due while the test runs (at most a few minutes)
        int neverMinute = (Instant.now().atZone(java.time.ZoneOffset.UTC).getMinute() + 30) % 60;
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("schedules.weir"), """
                role admin
                role reporter
                allow admin on table * op *

                @id("each")
                trigger every "* * * * *"
                  call "%1$s/each"
                  as role reporter

                @id("never")
                trigger every "%2$d * * * *"
                  call "%1$s/never"
                  as role reporter

                @id("failing")
                trigger every "* * * * *"
                  call "%1$s/fail"
                  as role reporter
                  retry 2 backoff 50ms to 200ms

                @id("taken")
                trigger every "* * * * *"
                  call "%1$s/taken"
                  as role reporter
                """.formatted(url, neverMinute));
        Files.writeString(dir.resolve("principals.yaml"), """
                principals:
                  - {name: admin, access_key_id: AKIAWEIRADMIN0000001, secret_access_key: weir-admin-secret, roles: [admin]}
                """);

        ApplianceProcess a = weir("A", -1);
        ApplianceProcess b = weir("B", a.storePort);
        // weir's own tables, read directly with weir's upstream key (no policy reaches them through weir)
        try (DynamoDbClient store = DynamoClients.as("http://127.0.0.1:" + a.storePort,
                ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET)) {
            // an instance's first step claims the current minute: wait until weir_lifecycle holds a claim
            assertTrue(await(30, () -> calls.stream().anyMatch(c -> c.path().equals("/each"))),
                    () -> "the first minute is called:\n" + String.join("\n", a.output()) + "\n" + String.join("\n", b.output()));
            assertTrue(await(10, () -> callsTo("/each").stream().allMatch(c -> lifecycleRow(store, "schedule#each#" + c.key()
                    .substring("each:".length())) != null)), "claims are in weir_lifecycle");
            // the next boundary; not one that is about to pass while we pre-claim it
            if (Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond() >= 55) {
                Thread.sleep(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(61).toEpochMilli() - System.currentTimeMillis());
            }
            Instant next = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
            // a third claimant takes "taken"'s next minute first: neither weir may call it
            store.putItem(p -> p.tableName("weir_lifecycle").item(Map.of(
                            "pk", AttributeValue.fromS("schedule#taken#" + next),
                            "owner", AttributeValue.fromS("elsewhere"),
                            "expires", AttributeValue.fromN(Long.toString(next.getEpochSecond() + 3 * 3600))))
                    .conditionExpression("attribute_not_exists(pk)"));

            String eachKey = "each:" + next, failKey = "failing:" + next;
            long waitSeconds = Math.max(0, next.getEpochSecond() - Instant.now().getEpochSecond()) + 20;
            assertTrue(await((int) waitSeconds, () -> callsTo("/each").stream().anyMatch(c -> c.key().equals(eachKey))
                            && callsTo("/fail").stream().filter(c -> c.key().equals(failKey)).count() >= 3),
                    () -> "the next minute " + next + " is called: " + calls);
            assertTrue(await(10, () -> store.getItem(g -> g.tableName("weir_dead_letters").consistentRead(true)
                    .key(Map.of("trigger", AttributeValue.fromS("failing"), "eventId", AttributeValue.fromS(failKey)))).hasItem()),
                    "the failing minute is dead-lettered");
            Thread.sleep(1500); // room for a wrong second call of the same minute
            List<Call> snapshot = List.copyOf(calls);

            // exactly one call per due minute, the documented body and key, signed
            assertEquals(List.of(), badSignatures);
            TreeMap<String, List<Call>> eachByKey = new TreeMap<>();
            for (Call c : snapshot) if (c.path().equals("/each")) eachByKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
            assertTrue(eachByKey.containsKey(eachKey));
            Instant first = Instant.parse(eachByKey.firstKey().substring("each:".length()));
            Instant last = Instant.parse(eachByKey.lastKey().substring("each:".length()));
            TreeSet<String> due = new TreeSet<>();
            for (Instant m = first; !m.isAfter(last); m = m.plus(1, ChronoUnit.MINUTES)) due.add("each:" + m);
            assertEquals(due, eachByKey.keySet(), "every minute from the first to the last is called, none twice or skipped");
            for (var e : eachByKey.entrySet()) {
                assertEquals(1, e.getValue().size(), "called once: " + e.getKey() + " " + e.getValue());
                Call c = e.getValue().getFirst();
                String minute = e.getKey().substring("each:".length());
                assertEquals("{\"trigger\":\"each\",\"eventId\":\"" + e.getKey() + "\",\"scheduledFor\":\"" + minute + "\"}", c.body());
                assertEquals("each", c.trigger());
                assertFalse(c.received().isBefore(Instant.parse(minute)), "not called before its minute: " + c);
                assertTrue(Math.abs(c.timestamp() - c.received().getEpochSecond()) <= 5, "a fresh signature timestamp: " + c);
            }
            Call onTime = eachByKey.get(eachKey).getFirst();
            assertTrue(onTime.received().isBefore(next.plusSeconds(10)), "the boundary minute is called on time: " + onTime);

            // the failing schedule: 1 call and 2 retries per minute, then the dead letter
            List<Call> failing = snapshot.stream().filter(c -> c.key().equals(failKey)).toList();
            assertEquals(3, failing.size(), failing.toString());
            for (Call c : failing) {
                assertEquals("{\"trigger\":\"failing\",\"eventId\":\"" + failKey + "\",\"scheduledFor\":\"" + next + "\"}", c.body());
            }
            var dead = store.getItem(g -> g.tableName("weir_dead_letters").consistentRead(true)
                    .key(Map.of("trigger", AttributeValue.fromS("failing"), "eventId", AttributeValue.fromS(failKey)))).item();
            assertEquals(failing.getFirst().body(), dead.get("record").s(), "the dead letter holds the call's body");
            assertEquals("HTTP 500", dead.get("error").s());
            assertEquals("3", dead.get("attempts").n());
            assertNotNull(dead.get("time"));

            // never due: never called; pre-claimed: not called for that minute, though each instance stepped through it
            assertEquals(List.of(), callsTo("/never"));
            assertTrue(snapshot.stream().noneMatch(c -> c.key().equals("taken:" + next)), "a minute claimed elsewhere is not called");
            assertEquals("elsewhere", lifecycleRow(store, "schedule#taken#" + next).get("owner").s());

            // the claim rows: one per called minute, by A or B, expiring three hours after the minute
            TreeMap<String, String> owners = new TreeMap<>();
            for (String key : eachByKey.keySet()) {
                String minute = key.substring("each:".length());
                Map<String, AttributeValue> claim = lifecycleRow(store, "schedule#each#" + minute);
                assertNotNull(claim, "the claim row of " + key);
                owners.put(minute, claim.get("owner").s());
                assertTrue(List.of("A", "B").contains(claim.get("owner").s()), claim.toString());
                assertEquals(Long.toString(Instant.parse(minute).getEpochSecond() + 3 * 3600), claim.get("expires").n(), claim.toString());
                assertNotNull(claim.get("claimed"), claim.toString());
            }
            assertNotNull(lifecycleRow(store, "schedule#failing#" + next));
            assertEquals("expires", store.describeTimeToLive(d -> d.tableName("weir_lifecycle"))
                    .timeToLiveDescription().attributeName(), "the store sweeps claims by their expires");
            System.out.println("schedule claims by instance: " + owners);

            // the audit: stop both (the sinks flush), then every call is one weir:TriggerCall record
            b.stop();
            a.stop();
            List<JsonNode> audit = auditRecords();
            for (String key : eachByKey.keySet()) {
                List<JsonNode> records = audit.stream().filter(r -> r.path("event.action").asText().equals("weir:TriggerCall")
                        && r.path("message").asText().contains("events=" + key)).toList();
                assertEquals(1, records.size(), () -> key + ": " + records);
                JsonNode r = records.getFirst();
                assertEquals("SUCCEEDED", r.path("weir.decision").asText(), r.toString());
                assertEquals("trigger:each", r.path("user.name").asText(), r.toString());
                assertEquals("reporter", r.path("user.roles").path(0).asText(), r.toString());
                assertEquals("each", r.path("rule.id").path(0).asText(), r.toString());
                assertEquals(200, r.path("http.response.status_code").asInt(), r.toString());
                assertTrue(r.path("message").asText().contains("function=" + url + "/each; attempt=1"), r.toString());
            }
            List<JsonNode> failCalls = audit.stream().filter(r -> r.path("event.action").asText().equals("weir:TriggerCall")
                    && r.path("message").asText().contains("events=" + failKey)).toList();
            assertEquals(3, failCalls.size(), failCalls.toString());
            for (JsonNode r : failCalls) {
                assertEquals("FAILED", r.path("weir.decision").asText(), r.toString());
                assertEquals("TriggerCallFailed", r.path("error.type").asText(), r.toString());
                assertEquals(500, r.path("http.response.status_code").asInt(), r.toString());
            }
            assertEquals(List.of("attempt=1", "attempt=2", "attempt=3"), failCalls.stream()
                    .map(r -> r.path("message").asText().replaceAll(".*(attempt=\\d).*", "$1")).sorted().toList());
            List<JsonNode> deadLetters = audit.stream().filter(r -> r.path("event.action").asText().equals("weir:TriggerDeadLetter")
                    && r.path("message").asText().contains("event=" + failKey)).toList();
            assertEquals(1, deadLetters.size(), deadLetters.toString());
            assertTrue(deadLetters.getFirst().path("message").asText().contains("attempts=3; error=HTTP 500"), deadLetters.toString());
            assertTrue(audit.stream().noneMatch(r -> r.toString().contains(SECRET)), "the signing secret is never audited");
        }
    }
}
