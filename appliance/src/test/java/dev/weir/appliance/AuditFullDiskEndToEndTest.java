package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.chain.ChainFiles;
import dev.weir.audit.fault.Tmpfs;
import dev.weir.audit.chain.ChainVerifier;
import dev.weir.audit.spool.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's fault, through the real appliance: weir with its whole audit (spool, plain file,
 * chained sink) on a 16 MiB tmpfs that is filled until ENOSPC while four clients send GetItems,
 * then given its space back, then weir restarted: in {@code sync}/{@code block}, then
 * {@code sync}/{@code drop}, then {@code async}/{@code block}, then once more to ship the rest.
 * Every answered request is looked up in both sinks by the {@code x-amzn-RequestId} its client
 * got: in {@code block} mode each has its records and the last one states the status the client
 * saw (a 500 after {@code block_timeout_ms}, never sooner); in {@code drop} mode requests go on
 * and every 200 without a record is within the numbers the gap events name; in {@code async}
 * mode each has its one record. The spool holds no torn record and {@code weir audit verify}
 * says ok (with gaps), never TAMPERED.
 */
class AuditFullDiskEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK_TIMEOUT_MS = 500;

    /** What the clients saw. */
    private static final class Seen {
        /** The x-amzn-RequestId of every request answered 200, and of every one answered 500. */
        final Set<String> ok = ConcurrentHashMap.newKeySet(), failed = ConcurrentHashMap.newKeySet();
        final AtomicLong earlyErrors = new AtomicLong(), other = new AtomicLong();
        final AtomicLong minErrorMs = new AtomicLong(Long.MAX_VALUE), maxErrorMs = new AtomicLong();
    }

    private static Path config(Path home, Path disk, int proxyPort, int storePort, String mode, String whenFull) throws Exception {
        Files.createDirectories(home);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit:
                  mode: %s
                  when_full: %s
                  block_timeout_ms: %d
                  spool: %s
                  spool_max_bytes: 2097152
                  file: %s
                  sinks:
                    - {name: chain, type: file, dir: %s, format: ecs}
                """.formatted(storePort, proxyPort, ApplianceProcess.CONF.resolve("policies"),
                ApplianceProcess.CONF.resolve("principals.yaml"), mode, whenFull, BLOCK_TIMEOUT_MS, disk.resolve("spool"),
                disk.resolve("audit.jsonl"), disk.resolve("chain")));
        return config;
    }

    private static void client(ApplianceProcess weir, String prefix, AtomicBoolean stop, Seen seen) {
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            for (int i = 0; !stop.get(); i++) {
                String key = prefix + i;
                long t0 = System.nanoTime();
                try {
                    seen.ok.add(admin.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS(key))))
                            .responseMetadata().requestId());
                } catch (DynamoDbException e) {
                    if (e.statusCode() != 500) throw e;
                    seen.failed.add(e.requestId());
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    seen.minErrorMs.accumulateAndGet(ms, Math::min);
                    seen.maxErrorMs.accumulateAndGet(ms, Math::max);
                    if (ms < BLOCK_TIMEOUT_MS - 20) seen.earlyErrors.incrementAndGet();
                } catch (RuntimeException e) {
                    seen.other.incrementAndGet();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);  // a steady load, not a flood
            }
        }
    }

    /** The keys of the GetItem events in ECS lines. */
    private static Set<String> keys(List<String> lines) throws Exception {
        Set<String> out = new HashSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            if (!"GetItem".equals(n.path("event.action").asText())) continue;
            for (JsonNode k : n.path("weir.keys")) out.add(k.asText().substring("id=".length()));
        }
        return out;
    }

    /** The records of each request in ECS lines, by request id, in sequence order. */
    private static Map<String, List<JsonNode>> byRequest(List<String> lines) throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            String id = n.path("http.request.id").asText(null);
            if (id != null) out.computeIfAbsent(id, k -> new ArrayList<>()).add(n);
        }
        for (Map.Entry<String, List<JsonNode>> e : out.entrySet()) {
            // a sink may repeat records after a restart (at least once; receivers deduplicate by instance and sequence)
            java.util.TreeMap<String, JsonNode> unique = new java.util.TreeMap<>();
            for (JsonNode n : e.getValue()) unique.putIfAbsent(n.path("observer.name").asText() + ":" + n.path("event.sequence").asLong(), n);
            List<JsonNode> records = new ArrayList<>(unique.values());
            records.sort(Comparator.comparing((JsonNode n) -> n.path("observer.name").asText())
                    .thenComparingLong(n -> n.path("event.sequence").asLong()));
            e.setValue(records);
        }
        return out;
    }

    /**
     * The requests among {@code answered} whose records in a sink do not say what the client got:
     * none at all, or a last record whose status is not {@code status}, or (sync mode, answered 200)
     * no decision record before the outcome record.
     */
    private static Set<String> misrecorded(Set<String> answered, int status, boolean sync, Map<String, List<JsonNode>> sink) {
        Set<String> out = new TreeSet<>();
        for (String id : answered) {
            List<JsonNode> records = sink.get(id);
            if (records == null || records.getLast().path("http.response.status_code").asInt() != status) {
                out.add(id);
                continue;
            }
            List<String> phases = records.stream().map(n -> n.path("weir.phase").asText()).toList();
            boolean shape = !sync ? phases.equals(List.of("complete"))
                    : status == 200 ? phases.equals(List.of("decision", "outcome"))
                    : phases.getFirst().equals("decision") && phases.stream().skip(1).allMatch("outcome"::equals);
            if (!shape) out.add(id);
        }
        return out;
    }

    private static List<String> chainLines(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (long n : ChainFiles.logNumbers(dir)) out.addAll(Files.readAllLines(dir.resolve(ChainFiles.logName(n))));
        return out;
    }

    /**
     * One weir run on the audit disk: clients for a while, the disk filled for a while, then
     * freed (no restart), then a clean stop. Returns what weir printed.
     */
    private static List<String> faultyRun(Path home, Path config, int proxyPort, int storePort, Tmpfs disk, String prefix,
                                          Seen seen, boolean createTable) throws Exception {
        try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort)) {
            if (createTable) {
                try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                    admin.createTable(b -> b.tableName("people").keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                            .billingMode(BillingMode.PAY_PER_REQUEST));
                }
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String p = prefix + t + "-";
                clients.add(Thread.ofPlatform().start(() -> client(weir, p, stop, seen)));
            }
            Thread.sleep(700);
            Path filler = disk.fill();
            // The disk stays full until weir has met it (the spool's preallocated room ahead takes some
            // records first: on a busy machine the clients need longer than a fixed wait to use it up),
            // then for 1.5 s more, longer than block_timeout_ms, so that blocked requests time out.
            long fullSince = System.nanoTime();
            while (System.nanoTime() - fullSince < 30_000_000_000L
                    && weir.output().stream().noneMatch(l -> l.contains("the spool cannot be written"))) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            Files.delete(filler);  // space returns: weir carries on without a restart
            Thread.sleep(1000);
            stop.set(true);
            for (Thread c : clients) c.join(30_000);
            int exit = weir.stop();
            List<String> output = weir.output();
            assertTrue((exit == 0 || exit == 143) && output.contains("weir: stopped"), "weir did not stop cleanly: " + exit);
            return output;
        }
    }

    private static Set<String> missing(Set<String> answered, Map<String, List<JsonNode>> audited) {
        Set<String> out = new TreeSet<>(answered);
        out.removeAll(audited.keySet());
        return out;
    }

    /**
     * Four weir runs on one home and one audit disk: {@code sync}/{@code block} with the fault, a
     * restart in {@code sync}/{@code drop} with the fault again, one in {@code async}/{@code block}
     * with the fault again, and a last restart that only ships what was left. Every answered
     * request is looked up in both sinks by the {@code x-amzn-RequestId} its client got.
     */
    @Test
    void everyAnsweredRequestIsAuditedAsAnsweredOrItsLossRecorded(@TempDir Path tmp) throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "16m")) {
            Path home = tmp.resolve("home");
            int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
            Seen block = new Seen(), drop = new Seen(), async = new Seen();
            long t0 = System.nanoTime();
            List<String> blockOutput = faultyRun(home, config(home, disk.dir, proxyPort, storePort, "sync", "block"), proxyPort,
                    storePort, disk, "b", block, true);
            long t1 = System.nanoTime();
            List<String> dropOutput = faultyRun(home, config(home, disk.dir, proxyPort, storePort, "sync", "drop"), proxyPort,
                    storePort, disk, "d", drop, false);
            long t2 = System.nanoTime();
            List<String> asyncOutput = faultyRun(home, config(home, disk.dir, proxyPort, storePort, "async", "block"), proxyPort,
                    storePort, disk, "a", async, false);
            long t3 = System.nanoTime();
            // a last restart ships whatever a sink had not committed; a marker request shows when it has
            try (ApplianceProcess again = ApplianceProcess.start(home, config(home, disk.dir, proxyPort, storePort, "sync", "block"),
                    proxyPort, storePort)) {
                try (DynamoDbClient admin = DynamoClients.as(again.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                    admin.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS("marker"))));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!(keys(Files.readAllLines(disk.dir.resolve("audit.jsonl"))).contains("marker")
                        && keys(chainLines(disk.dir.resolve("chain"))).contains("marker"))) {
                    assertTrue(System.nanoTime() < deadline, "the sinks did not catch up after the restart");
                    Thread.sleep(50);
                }
                int exit = again.stop();
                assertTrue(exit == 0 || exit == 143, "weir did not stop cleanly after the restart: " + exit);
            }
            long t4 = System.nanoTime();

            for (List<String> output : List.of(blockOutput, dropOutput, asyncOutput)) {
                assertTrue(output.stream().anyMatch(l -> l.contains("the spool cannot be written")), "the disk never filled");
                assertTrue(output.stream().anyMatch(l -> l.contains("the spool is written again")), "the spool never recovered");
            }
            Map<String, List<JsonNode>> plain = byRequest(Files.readAllLines(disk.dir.resolve("audit.jsonl")));
            Map<String, List<JsonNode>> chained = byRequest(chainLines(disk.dir.resolve("chain")));
            ChainVerifier.Report r = ChainVerifier.verify(disk.dir.resolve("chain"), null);
            assertTrue(r.ok(), "TAMPERED: " + r.problems());
            assertTrue(r.complete(), "events lost without a gap event: " + r.unrecorded());
            try (Spool spool = new Spool(disk.dir.resolve("spool"), 1 << 19, 2L << 20)) {
                assertEquals(List.of(), spool.recovered(), "the spool holds a torn or damaged record");
            }
            assertEquals(0, block.other.get() + drop.other.get() + async.other.get(), "requests failed otherwise than with a 500");

            // sync/block: every answered request's records are there and their last one says what the client got:
            // a 200 is a decision record then its outcome; a 500 came after block_timeout_ms, and its records end with it
            for (Map<String, List<JsonNode>> sink : List.of(plain, chained)) {
                assertEquals(Set.of(), misrecorded(block.ok, 200, true, sink), "block: requests answered 200 not recorded so");
                assertEquals(Set.of(), misrecorded(block.failed, 500, true, sink), "block: requests answered 500 not recorded so");
            }
            assertFalse(block.failed.isEmpty(), "block: no request waited out the full disk");
            assertEquals(0, block.earlyErrors.get(), "block: a request got its 500 before block_timeout_ms");

            // sync/drop: no 500; a 200 without a record is one of the numbers the gap events name; the others are 200s
            assertEquals(Set.of(), drop.failed, "drop mode answered 500");
            Set<String> dropMissing = missing(drop.ok, chained);
            assertTrue(r.lostInGaps() > 0, "drop: nothing was dropped");
            assertTrue(dropMissing.size() <= r.lostInGaps(), dropMissing.size() + " requests answered 200 have no record, "
                    + "more than the " + r.lostInGaps() + " the gap events name");
            assertEquals(missing(drop.ok, plain), dropMissing, "both sinks got the same events");
            int outcomesLost = 0;   // a decision record kept, its outcome record dropped (a counted gap too)
            for (Map<String, List<JsonNode>> sink : List.of(plain, chained)) {
                int lost = 0;
                for (String id : drop.ok) {
                    List<JsonNode> records = sink.get(id);
                    if (records == null) continue;
                    JsonNode last = records.getLast();
                    if (last.path("weir.phase").asText().equals("decision")) {
                        lost++;
                        continue;
                    }
                    assertEquals(200, last.path("http.response.status_code").asInt(), id + ": " + records);
                }
                outcomesLost = lost;
            }
            assertTrue(dropMissing.size() + outcomesLost <= r.lostInGaps(), dropMissing.size() + " requests answered 200 "
                    + "without a record and " + outcomesLost + " without their outcome record, more than the "
                    + r.lostInGaps() + " numbers the gap events name");

            // async/block: the caller never waited on the disk; every answered request has its one record
            for (Map<String, List<JsonNode>> sink : List.of(plain, chained)) {
                assertEquals(Set.of(), misrecorded(async.ok, 200, false, sink), "async: requests answered 200 not recorded so");
                assertEquals(Set.of(), misrecorded(async.failed, 500, false, sink), "async: requests answered 500 not recorded so");
            }
            assertTrue(async.ok.size() > 0, "async: nothing answered");

            System.out.printf("full audit disk: sync/block: %d answered 200, %d answered 500 (after %d..%d ms), all recorded as "
                            + "answered; sync/drop: %d answered 200, %d of them without a record, %d sequence numbers named lost "
                            + "by gap events, no 500; async/block: %d answered 200, %d answered 500, all recorded; "
                            + "runs %d, %d, %d, %d ms%n",
                    block.ok.size(), block.failed.size(), block.minErrorMs.get(), block.maxErrorMs.get(), drop.ok.size(),
                    dropMissing.size(), r.lostInGaps(), async.ok.size(), async.failed.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
        }
    }
}
