package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.chain.ChainFiles;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's fault, through the real appliance: weir in {@code sync} mode with its whole audit
 * (spool, plain file, chained sink) on a 16 MiB tmpfs that is filled until ENOSPC while four
 * clients send GetItems with unique keys, then given its space back, then weir restarted.
 * Every request answered 200 must have its event in both sinks (by its key); in {@code block}
 * mode a request that could not be audited gets a 500 after {@code block_timeout_ms}, not at
 * once, and nothing is lost; in {@code drop} mode requests go on and every event lost is named
 * by a gap event; the spool holds no torn record and {@code weir audit verify} says ok (with
 * gaps), never TAMPERED.
 */
class AuditFullDiskEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK_TIMEOUT_MS = 500;

    /** What the clients saw. */
    private static final class Seen {
        final Set<String> ok = ConcurrentHashMap.newKeySet();
        final AtomicLong errors = new AtomicLong(), earlyErrors = new AtomicLong(), other = new AtomicLong();
        final AtomicLong minErrorMs = new AtomicLong(Long.MAX_VALUE), maxErrorMs = new AtomicLong();
    }

    private static Path config(Path home, Path disk, int proxyPort, int storePort, String whenFull) throws Exception {
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
                  mode: sync
                  when_full: %s
                  block_timeout_ms: %d
                  spool: %s
                  spool_max_bytes: 2097152
                  file: %s
                  sinks:
                    - {name: chain, type: file, dir: %s, format: ecs}
                """.formatted(storePort, proxyPort, ApplianceProcess.CONF.resolve("policies"),
                ApplianceProcess.CONF.resolve("principals.yaml"), whenFull, BLOCK_TIMEOUT_MS, disk.resolve("spool"),
                disk.resolve("audit.jsonl"), disk.resolve("chain")));
        return config;
    }

    private static void client(ApplianceProcess weir, int id, AtomicBoolean stop, Seen seen) {
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            for (int i = 0; !stop.get(); i++) {
                String key = "k-" + id + "-" + i;
                long t0 = System.nanoTime();
                try {
                    admin.getItem(b -> b.tableName("people").key(Map.of("id", AttributeValue.fromS(key))));
                    seen.ok.add(key);
                } catch (DynamoDbException e) {
                    if (e.statusCode() != 500) throw e;
                    seen.errors.incrementAndGet();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    seen.minErrorMs.accumulateAndGet(ms, Math::min);
                    seen.maxErrorMs.accumulateAndGet(ms, Math::max);
                    if (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(BLOCK_TIMEOUT_MS - 20)) seen.earlyErrors.incrementAndGet();
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

    private static List<String> chainLines(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (long n : ChainFiles.logNumbers(dir)) out.addAll(Files.readAllLines(dir.resolve(ChainFiles.logName(n))));
        return out;
    }

    private void run(Path tmp, String whenFull) throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "16m")) {
            Path home = tmp.resolve("home");
            int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
            Path config = config(home, disk.dir, proxyPort, storePort, whenFull);
            Seen seen = new Seen();
            List<String> output;
            long t0 = System.nanoTime();
            try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort)) {
                try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                    admin.createTable(b -> b.tableName("people").keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                            .billingMode(BillingMode.PAY_PER_REQUEST));
                }
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    clients.add(Thread.ofPlatform().start(() -> client(weir, id, stop, seen)));
                }
                Thread.sleep(1000);
                Path filler = disk.fill();
                Thread.sleep(2000);
                Files.delete(filler);  // space returns: weir carries on without a restart
                Thread.sleep(1500);
                stop.set(true);
                for (Thread c : clients) c.join(30_000);
                int exit = weir.stop();
                output = weir.output();
                assertTrue((exit == 0 || exit == 143) && output.contains("weir: stopped"), "weir did not stop cleanly: " + exit);
            }
            long t1 = System.nanoTime();
            // a restart on the same audit disk ships whatever a sink had not yet committed
            try (ApplianceProcess again = ApplianceProcess.start(home, config, proxyPort, storePort)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline
                        && !(keys(Files.readAllLines(disk.dir.resolve("audit.jsonl"))).containsAll(seen.ok)
                        && keys(chainLines(disk.dir.resolve("chain"))).containsAll(seen.ok))) {
                    Thread.sleep(100);
                }
                int exit = again.stop();
                assertTrue(exit == 0 || exit == 143, "weir did not stop cleanly after the restart: " + exit);
            }

            long t2 = System.nanoTime();
            String what = "sync/" + whenFull + ": ";
            assertTrue(output.stream().anyMatch(l -> l.contains("the spool cannot be written")), what + "the disk never filled");
            assertTrue(output.stream().anyMatch(l -> l.contains("the spool is written again")), what + "the spool never recovered");
            assertEquals(0, seen.other.get(), what + "requests failed otherwise than with a 500");
            Set<String> plain = keys(Files.readAllLines(disk.dir.resolve("audit.jsonl")));
            Set<String> chained = keys(chainLines(disk.dir.resolve("chain")));
            Set<String> missingPlain = new HashSet<>(seen.ok), missingChain = new HashSet<>(seen.ok);
            missingPlain.removeAll(plain);
            missingChain.removeAll(chained);
            ChainVerifier.Report r = ChainVerifier.verify(disk.dir.resolve("chain"), null);
            assertTrue(r.ok(), what + "TAMPERED: " + r.problems());
            assertTrue(r.complete(), what + "events lost without a gap event: " + r.unrecorded());
            try (Spool spool = new Spool(disk.dir.resolve("spool"), 1 << 19, 2L << 20)) {
                assertEquals(List.of(), spool.recovered(), what + "the spool holds a torn or damaged record");
            }
            if (whenFull.equals("block")) {
                assertTrue(missingPlain.isEmpty() && missingChain.isEmpty(), what + "requests answered 200 without an event: "
                        + missingPlain.size() + " in the file, " + missingChain.size() + " in the chain, e.g. "
                        + missingPlain.stream().limit(5).toList());
                assertTrue(seen.errors.get() > 0, what + "no request waited out the full disk");
                assertEquals(0, seen.earlyErrors.get(), what + "a request got its 500 before block_timeout_ms");
                assertEquals(0, r.lostInGaps(), what + "block mode lost events: " + r.gaps());
            } else {
                assertEquals(0, seen.errors.get(), what + "drop mode answered 500");
                assertTrue(r.lostInGaps() > 0, what + "nothing was dropped");
                assertTrue(missingChain.size() <= r.lostInGaps(), what + missingChain.size()
                        + " requests answered 200 have no event, more than the " + r.lostInGaps() + " the gap events name");
            }
            System.out.printf("full audit disk, %s%d answered 200 (%d of them without an event, %d named lost by gap events), "
                    + "%d answered 500 (after %d..%d ms); first run %d ms, restart %d ms%n", what, seen.ok.size(),
                    missingChain.size(), r.lostInGaps(), seen.errors.get(), seen.errors.get() == 0 ? 0 : seen.minErrorMs.get(),
                    seen.maxErrorMs.get(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
    }

    @Test
    void syncBlock(@TempDir Path tmp) throws Exception {
        run(tmp, "block");
    }

    @Test
    void syncDrop(@TempDir Path tmp) throws Exception {
        run(tmp, "drop");
    }
}
