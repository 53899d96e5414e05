package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.audit.sink.KafkaBroker;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out on one machine (issue 18; docs/scale-out.md): one store ({@code weir store}), two
 * weir replicas (separate JVMs, their own homes and spools, instance ids weir-a and weir-b)
 * with that store upstream, HAProxy round robin in front of both, and one Kafka topic (a real
 * KRaft broker) that both replicas' audit goes to, sync mode. In one run:
 * <ol>
 * <li>a rule changed in the policy folder both replicas read is in force on both within the
 *     reload window: through HAProxy, answers are told apart by replica through their audit
 *     records (by request id), and each replica is asked directly too;</li>
 * <li>weir-b is killed (SIGKILL) while four client threads write through HAProxy (AWS SDK v2,
 *     no retries): the failures are bounded by the connections HAProxy had open to weir-b at
 *     the kill, none happens before it, HAProxy takes weir-b out and writes go on through
 *     weir-a; every acknowledged write is in the store;</li>
 * <li>weir-b restarts on its home: its spooled records that Kafka did not have at the kill are
 *     shipped, and HAProxy takes it back;</li>
 * <li>the topic holds, per instance and run, the sequence numbers 1..n (no gap; a duplicate
 *     only as a byte-identical redelivery), and a record of every request a client got an
 *     answer for.</li>
 * </ol>
 */
class ScaleOutEndToEndTest {
    static {
        // the Kafka clients of this JVM (admin, consumer) log every reconnect at INFO
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    private static final String TOPIC = "weir-audit";
    private static final int CLIENTS = 4;
    /** The longest a policy change may take to be in force on a replica: 300 ms debounce (3 s at most while files keep changing), the load, margin. */
    private static final long RELOAD_WINDOW_MS = 5_000;
    private static final String ADMIN = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";
    private static final String SUPPORT = "AKIAWEIRSUPPORT00001", SUPPORT_SECRET = "weir-support-secret";
    /**
     * What every replica shares through its environment: the hash key (replicas must pseudonymise
     * alike) and the stream iterator key (an iterator one replica handed out works on the other).
     * JAVA_TOOL_OPTIONS only makes the replicas' JVMs start faster on a small test machine (C1 only, serial GC).
     */
    private static final Map<String, String> SHARED_ENV = Map.of("WEIR_HASH_KEY_K1", "scale-out-shared-hash-key-0123456789",
            "WEIR_STREAM_ITERATOR_KEY", "scale-out-shared-iterator-key-0123",
            "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    private static final String POLICY_OPEN = """
            role admin
            role support
            @id("admin-all")
            allow admin on table * op *
            @id("support-orders-read")
            allow support on table orders op [GetItem]
            """;
    private static final String POLICY_CLOSED = """
            role admin
            role support
            @id("admin-all")
            allow admin on table * op *
            @id("support-orders-closed")
            deny support on table orders op [GetItem]
              reason "orders are closed to support"
            """;

    /** A request a client sent and what it got: when (ms since the phase began), weir's request id, allowed or not. */
    private record Answer(long atMillis, String requestId, boolean allowed) {}

    /** A replica's fixed parts: its port, home and configuration, and the environment it starts with. */
    private record Replica(int port, Path home, Path config, Map<String, String> env) {
        ApplianceProcess start() throws Exception {
            return ApplianceProcess.start(home, config, port, -1, env);
        }

        String endpoint() {
            return "http://127.0.0.1:" + port;
        }
    }

    @Test
    void twoReplicasBehindHaproxyShareOnePolicyAndOneAuditTopicAndLoseOnlyWhatWasInFlightOnTheOneKilled(@TempDir Path dir)
            throws Exception {
        long started = System.nanoTime();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("orders.weir"), POLICY_OPEN);
        List<AutoCloseable> running = new ArrayList<>();
        // The broker starts (the slowest part) while the store and the replicas do: they know its address.
        int kafkaPort = ApplianceProcess.freePort();
        CompletableFuture<KafkaBroker> startingKafka = CompletableFuture.supplyAsync(() -> {
            try {
                KafkaBroker k = new KafkaBroker(dir.resolve("kafka"), kafkaPort);
                k.createTopic(TOPIC, 2);
                return k;
            } catch (Exception e) {
                throw new IllegalStateException("the Kafka broker did not start", e);
            }
        });
        running.add(() -> {
            KafkaBroker k = startingKafka.exceptionally(e -> null).join();
            if (k != null) k.close();
        });
        try {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            ApplianceProcess store = ApplianceProcess.startStoreAlone(dir.resolve("store"));
            running.add(store);
            String upstream = "http://127.0.0.1:" + store.storePort;
            // weir-a names itself in its configuration, weir-b through the environment (one shared file would need it)
            Set<Integer> ports = new HashSet<>(Set.of(kafkaPort, store.storePort));
            Replica a = replica(dir, "a", ports, upstream, policies, bootstrap, "  instance_id: weir-a\n", Map.of(), "");
            Map<String, String> bEnv = new HashMap<>(Map.of("WEIR_INSTANCE_ID", "weir-b"));
            // weir-b's producer lingers 500 ms per batch, so the records of its last half second are
            // certainly not in Kafka when it is killed: the restart must ship them from its spool.
            Replica b = replica(dir, "b", ports, upstream, policies, bootstrap, "", bEnv, "      producer: {linger.ms: 500}\n");
            CompletableFuture<ApplianceProcess> startingB = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            running.add(() -> {
                ApplianceProcess p = startingB.exceptionally(e -> null).join();
                if (p != null) p.close();
            });
            ApplianceProcess weirA = a.start();
            running.add(weirA);
            ApplianceProcess weirB = startingB.join();
            KafkaBroker kafka = startingKafka.join();
            phase("Kafka broker, store, replicas", started);
            HaproxyProcess haproxy = HaproxyProcess.start(dir.resolve("haproxy"),
                    List.of(new HaproxyProcess.Backend("a", a.port()), new HaproxyProcess.Backend("b", b.port())));
            running.add(haproxy);
            long setupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            phase("HAProxy", started);

            Set<String> answered = ConcurrentHashMap.newKeySet();  // request ids of every answer weir gave
            try (DynamoDbClient admin = DynamoClients.as(haproxy.endpoint(), ADMIN, ADMIN_SECRET)) {
                answered.add(admin.createTable(t -> t.tableName("orders").keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                        .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST)).responseMetadata().requestId());
                answered.add(admin.putItem(p -> p.tableName("orders").item(Map.of("id", AttributeValue.fromS("o-1"),
                        "total", AttributeValue.fromN("12")))).responseMetadata().requestId());
            }

            // 1. A policy change, picked up by both.
            PolicyPhase policy = changePolicy(policies, haproxy, a, b, answered);
            phase("policy change", started);

            // 2. weir-b killed under load.
            LoadPhase load = killUnderLoad(haproxy, weirB, b, answered);
            phase("kill under load", started);
            try (DynamoDbClient direct = DynamoClients.as(upstream, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET)) {
                Set<String> stored = new HashSet<>();
                direct.scanPaginator(s -> s.tableName("orders").consistentRead(true))
                        .items().forEach(i -> stored.add(i.get("id").s()));
                Set<String> lost = new TreeSet<>(load.written.values());
                lost.removeAll(stored);
                assertTrue(lost.isEmpty(), lost.size() + " acknowledged writes are not in the store, e.g. " + lost.stream().limit(5).toList());
            }

            // 3. weir-b restarts on its home and ships what its spool held; HAProxy takes it back.
            Thread.sleep(1_000);  // what the broker was still taking from weir-b's producer has landed
            Set<String> beforeRestart = new HashSet<>();
            for (AuditTopic.Entry e : AuditTopic.readAll(kafka.bootstrap(), TOPIC)) {
                if (e.instance().equals("weir-b")) beforeRestart.add(e.event().path("event.id").asText());
            }
            Instant restartedAt = Instant.now();
            weirB = b.start();
            running.add(weirB);
            long backInMillis = awaitMillis(System.nanoTime(), () -> server(haproxy, "b").up(), 20_000, "HAProxy did not take weir-b back");
            try (DynamoDbClient admin = DynamoClients.as(haproxy.endpoint(), ADMIN, ADMIN_SECRET)) {
                for (int i = 0; i < 6; i++) {
                    answered.add(admin.getItem(g -> g.tableName("orders").key(Map.of("id", AttributeValue.fromS("o-1"))))
                            .responseMetadata().requestId());
                }
            }

            phase("restart", started);
            // 4. The topic: every answer recorded, per instance and run 1..n.
            List<AuditTopic.Entry> topic = awaitRecords(kafka, answered);
            phase("topic read", started);
            Map<String, List<AuditTopic.Entry>> byRequest = new HashMap<>();
            for (AuditTopic.Entry e : topic) if (e.requestId() != null) byRequest.computeIfAbsent(e.requestId(), k -> new ArrayList<>()).add(e);

            // the policy: each replica answered with the new decision, within the window, and published the same policy
            Map<String, Long> inForce = policyInForce(policy, byRequest);
            assertEquals(Set.of("weir-a", "weir-b"), inForce.keySet(), "the denials after the change came from " + inForce);
            for (String instance : List.of("weir-a", "weir-b")) {
                List<String> reloads = topic.stream().filter(e -> e.instance().equals(instance)
                        && e.event().path("event.action").asText().equals("weir:PolicyReload")
                        && e.event().path("weir.decision").asText().equals("RELOADED"))
                        .map(e -> e.event().path("weir.policy_hash").asText()).distinct().toList();
                assertEquals(1, reloads.size(), instance + " recorded reloads " + reloads);
            }
            assertEquals(1, topic.stream().filter(e -> e.event().path("event.action").asText().equals("weir:PolicyReload"))
                    .map(e -> e.event().path("weir.policy_hash").asText()).distinct().count(), "both replicas published one policy");

            // writes: each acknowledged one has its outcome record (status 200) from the replica that answered it
            Map<String, Integer> writesBy = new TreeMap<>();
            for (String id : load.written.keySet()) {
                List<AuditTopic.Entry> r = byRequest.get(id);
                assertTrue(r.stream().anyMatch(e -> e.event().path("weir.phase").asText().equals("outcome")
                        && e.event().path("http.response.status_code").asInt() == 200
                        && e.event().path("weir.keys").toString().contains("id=" + load.written.get(id))), "write " + id + ": " + r);
                writesBy.merge(r.getFirst().instance(), 1, Integer::sum);
            }
            assertTrue(writesBy.getOrDefault("weir-a", 0) > 0 && writesBy.getOrDefault("weir-b", 0) > 0,
                    "HAProxy balanced the writes over both: " + writesBy);

            // sequences: per instance and run, 1..n; a duplicate only as the same record again
            Map<String, List<AuditTopic.Entry>> runs = new TreeMap<>();
            for (AuditTopic.Entry e : topic) {
                assertEquals(e.instance(), e.key(), "the record key is the instance id");
                String run = e.instance().equals("weir-b")
                        ? Instant.parse(e.event().path("@timestamp").asText()).isBefore(restartedAt) ? "weir-b#1" : "weir-b#2"
                        : e.instance();
                runs.computeIfAbsent(run, k -> new ArrayList<>()).add(e);
            }
            assertEquals(Set.of("weir-a", "weir-b#1", "weir-b#2"), runs.keySet());
            Sequences sequences = checkSequences(runs);
            Set<String> shippedOnRestart = new HashSet<>();
            for (AuditTopic.Entry e : runs.get("weir-b#1")) shippedOnRestart.add(e.event().path("event.id").asText());
            shippedOnRestart.removeAll(beforeRestart);
            assertFalse(shippedOnRestart.isEmpty(), "weir-b's restart shipped nothing from its spool (the test means it to)");
            long killedAnswered = load.written.keySet().stream().filter(id -> byRequest.get(id).getFirst().instance().equals("weir-b")
                    && Instant.parse(byRequest.get(id).getFirst().event().path("@timestamp").asText()).isBefore(restartedAt)).count();

            long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("scale-out: setup %d ms; policy in force through HAProxy on %s ms after the change (direct: %s); "
                            + "%d writes acknowledged (%s), %d failed, %d connections weir-b held at the kill; HAProxy took weir-b out "
                            + "%d ms after SIGKILL (HAProxy retries %d, redispatches %d), back %d ms after it was ready again; weir-b answered "
                            + "%d writes before the kill, %d of its records shipped only after its restart; topic: %d records, %s"
                            + "%d redelivered; total %d ms; failures: %s%n",
                    setupMillis, inForce, policy.directMillis, load.written.size(), writesBy, load.failures.size(), load.heldAtKill,
                    load.outMillis, load.haproxyB.retries(), load.haproxyB.redispatches(), backInMillis, killedAnswered,
                    shippedOnRestart.size(), topic.size(), sequences.summary(), sequences.redelivered(), totalMillis, load.failures);
        } finally {
            for (AutoCloseable c : running.reversed()) c.close();
        }
    }

    /** What the runs' sequence numbers came to: each run's range (and what it lacks), and how many records came twice. */
    private record Sequences(String summary, int redelivered) {}

    /**
     * Each run holds 1..n, a number twice only as the same record again (the Kafka sink is at
     * least once); the killed run may lack numbers at its very end only.
     */
    private static Sequences checkSequences(Map<String, List<AuditTopic.Entry>> runs) {
        int redelivered = 0;
        StringBuilder summary = new StringBuilder();
        for (var run : runs.entrySet()) {
            Map<Long, String> bySeq = new HashMap<>();
            for (AuditTopic.Entry e : run.getValue()) {
                String first = bySeq.putIfAbsent(e.sequence(), e.text());
                if (first != null) {
                    assertEquals(first, e.text(), run.getKey() + " sequence " + e.sequence() + " twice, different records");
                    redelivered++;
                }
            }
            long max = bySeq.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            List<Long> missing = new ArrayList<>();
            for (long s = 1; s <= max; s++) if (!bySeq.containsKey(s)) missing.add(s);
            if (run.getKey().equals("weir-b#1")) {
                // Killed: numbers given to events still in its queue at the kill are lost. Queue order may
                // differ from number order by a few places, so a lost one may lie just below the last written.
                // Sync mode: none of them belongs to an answered request (every answer's record is checked).
                assertTrue(missing.stream().allMatch(s -> s > max - 4L * CLIENTS), run.getKey() + " misses " + missing);
            } else {
                assertEquals(List.of(), missing, run.getKey() + " has gaps");
            }
            summary.append(run.getKey()).append(" 1..").append(max).append(missing.isEmpty() ? "" : " less " + missing).append("; ");
        }
        return new Sequences(summary.toString(), redelivered);
    }

    private static void phase(String name, long started) {
        System.out.printf("scale-out: %s done at %d ms%n", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The policy phase's results: answers through HAProxy after the change, and when each replica, asked directly, first denied. */
    private record PolicyPhase(List<Answer> afterChange, Map<String, Long> directMillis) {}

    /**
     * Support may read orders; the rule is changed into a deny in the shared folder. Through
     * HAProxy, support asks every 20 ms until both replicas, asked directly, deny and the last
     * ten answers through HAProxy were denials.
     */
    private static PolicyPhase changePolicy(Path policies, HaproxyProcess haproxy, Replica a, Replica b, Set<String> answered)
            throws Exception {
        try (DynamoDbClient support = DynamoClients.as(haproxy.endpoint(), SUPPORT, SUPPORT_SECRET);
             DynamoDbClient supportA = DynamoClients.as(a.endpoint(), SUPPORT, SUPPORT_SECRET);
             DynamoDbClient supportB = DynamoClients.as(b.endpoint(), SUPPORT, SUPPORT_SECRET)) {
            for (DynamoDbClient c : List.of(support, support, supportA, supportB)) {
                Answer before = read(c, 0);
                assertTrue(before.allowed(), "support reads orders before the change");
                answered.add(before.requestId());
            }
            Files.writeString(policies.resolve("orders.weir"), POLICY_CLOSED);
            long changed = System.nanoTime();
            List<Answer> afterChange = new ArrayList<>();
            Map<String, Long> direct = new TreeMap<>();
            int deniedInARow = 0;
            while (direct.size() < 2 || deniedInARow < 10) {
                long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
                assertTrue(at < 3 * RELOAD_WINDOW_MS, "the change is not in force after " + at + " ms: direct " + direct);
                Answer x = read(support, at);
                afterChange.add(x);
                answered.add(x.requestId());
                deniedInARow = x.allowed() ? 0 : deniedInARow + 1;
                for (var r : Map.of("weir-a", supportA, "weir-b", supportB).entrySet()) {
                    if (direct.containsKey(r.getKey())) continue;
                    Answer d = read(r.getValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed));
                    answered.add(d.requestId());
                    if (!d.allowed()) direct.put(r.getKey(), d.atMillis());
                }
                Thread.sleep(20);
            }
            direct.values().forEach(ms -> assertTrue(ms < RELOAD_WINDOW_MS, "a replica took " + ms + " ms: " + direct));
            return new PolicyPhase(afterChange, direct);
        }
    }

    /** Support's GetItem of order o-1: allowed, or refused with the new rule's AccessDeniedException. */
    private static Answer read(DynamoDbClient c, long at) {
        try {
            String id = c.getItem(g -> g.tableName("orders").key(Map.of("id", AttributeValue.fromS("o-1")))).responseMetadata().requestId();
            return new Answer(at, id, true);
        } catch (DynamoDbException e) {
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.getMessage());
            return new Answer(at, e.requestId(), false);
        }
    }

    /**
     * Per replica, the time (ms after the change) of its first denial through HAProxy; asserts
     * that each one's answers switch once (never allowed after its first denial), within the window,
     * and that the denials name the new rule.
     */
    private static Map<String, Long> policyInForce(PolicyPhase p, Map<String, List<AuditTopic.Entry>> byRequest) {
        Map<String, Long> firstDenied = new TreeMap<>(), lastAllowed = new HashMap<>();
        for (Answer x : p.afterChange()) {
            JsonNode e = byRequest.get(x.requestId()).getLast().event();
            String instance = e.path("observer.name").asText();
            if (x.allowed()) {
                lastAllowed.merge(instance, x.atMillis(), Math::max);
            } else {
                assertEquals("FORBIDDEN", e.path("weir.decision").asText(), e.toString());
                assertEquals("[\"support-orders-closed\"]", e.path("rule.id").toString(), e.toString());
                firstDenied.merge(instance, x.atMillis(), Math::min);
            }
        }
        for (var f : firstDenied.entrySet()) {
            assertTrue(f.getValue() < RELOAD_WINDOW_MS, f.getKey() + " denied first " + f.getValue() + " ms after the change");
            assertTrue(lastAllowed.getOrDefault(f.getKey(), -1L) <= f.getValue(),
                    f.getKey() + " allowed again after it had denied: " + lastAllowed + " " + firstDenied);
        }
        return firstDenied;
    }

    /** The load phase's results. */
    private record LoadPhase(Map<String, String> written, List<String> failures, int heldAtKill, long outMillis,
                             HaproxyProcess.ServerStat haproxyB) {}

    /**
     * Four threads write unique keys through HAProxy; once they are going, weir-b is killed
     * with SIGKILL and they go on until 1 s after HAProxy has taken it out.
     */
    private static LoadPhase killUnderLoad(HaproxyProcess haproxy, ApplianceProcess weirB, Replica b, Set<String> answered)
            throws Exception {
        Map<String, String> written = new ConcurrentHashMap<>();          // request id -> key, acknowledged
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            clients.add(Thread.ofPlatform().name("scale-out-client-" + t).start(() -> {
                try (DynamoDbClient admin = DynamoClients.as(haproxy.endpoint(), ADMIN, ADMIN_SECRET)) {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "w-" + thread + "-" + i;
                        boolean wasKilled = killed.get();
                        try {
                            String id = admin.putItem(p -> p.tableName("orders").item(Map.of("id", AttributeValue.fromS(key))))
                                    .responseMetadata().requestId();
                            written.put(id, key);
                            answered.add(id);
                            if (wasKilled) afterKill.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add((killed.get() ? "" : "BEFORE THE KILL: ") + key + " " + e.getClass().getSimpleName() + ": "
                                    + e.getMessage());
                        }
                    }
                }
            }));
        }
        awaitMillis(System.nanoTime(), () -> written.size() >= 60, 30_000, "the clients did not get going");
        // the connections HAProxy holds to weir-b: the most seen over the last 100 ms before the kill
        int held = 0;
        for (int i = 0; i < 10; i++) {
            held = Math.max(held, establishedTo(b.port()));
            Thread.sleep(10);
        }
        held = Math.max(held, establishedTo(b.port()));
        long kill = System.nanoTime();
        killed.set(true);
        weirB.kill();
        long outMillis = awaitMillis(kill, () -> server(haproxy, "b").down(), 10_000, "HAProxy did not take weir-b out");
        int ackedAtOut = afterKill.get();
        Thread.sleep(1_000);
        stop.set(true);
        for (Thread c : clients) c.join(30_000);
        List<String> failed = List.copyOf(failures);
        assertTrue(failed.stream().noneMatch(f -> f.startsWith("BEFORE THE KILL")), "failures before the kill: " + failed);
        // Each failure is one of weir-b's connections failing once: a request in flight at the kill, or one HAProxy
        // sent on an idle keep-alive connection to weir-b before it read that connection's close (a request already
        // sent is never sent again). So a client can fail twice, and the bound is the connections, not the clients.
        assertTrue(failed.size() <= held, failed.size() + " failures, but HAProxy held " + held + " connections to weir-b: " + failed);
        assertTrue(afterKill.get() > ackedAtOut, "no write was acknowledged after HAProxy took weir-b out");
        return new LoadPhase(Map.copyOf(written), failed, held, outMillis, server(haproxy, "b"));
    }

    /** Established TCP connections whose local end is {@code port} on this machine (a server's accepted connections). */
    private static int establishedTo(int port) throws Exception {
        int n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) continue;
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                if (localPort == port && f[3].equals("01")) n++;
            }
        }
        return n;
    }

    private static HaproxyProcess.ServerStat server(HaproxyProcess haproxy, String name) {
        try {
            return haproxy.servers().get(name);
        } catch (Exception e) {
            throw new IllegalStateException("haproxy statistics: " + e, e);
        }
    }

    /** Waits for the condition, checking every 5 ms; returns the milliseconds from {@code since} until it held. */
    private static long awaitMillis(long since, BooleanSupplier condition, long timeoutMillis, String failure) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) throw new AssertionError(failure);
            Thread.sleep(5);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** The whole topic once it holds a record of every request id given (60 s at most). */
    private static List<AuditTopic.Entry> awaitRecords(KafkaBroker kafka, Set<String> requestIds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<AuditTopic.Entry> topic = AuditTopic.readAll(kafka.bootstrap(), TOPIC);
            Set<String> missing = new TreeSet<>(requestIds);
            for (AuditTopic.Entry e : topic) if (e.requestId() != null) missing.remove(e.requestId());
            if (missing.isEmpty()) return topic;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(missing.size() + " answered requests have no record in the topic, e.g. "
                        + missing.stream().limit(5).toList());
            }
            Thread.sleep(250);
        }
    }

    /** Writes a replica's home and configuration: the shared store upstream, the shared policy folder, sync audit to Kafka. */
    private static Replica replica(Path dir, String name, Set<Integer> taken, String upstream, Path policies, String bootstrap,
                                   String instanceLine, Map<String, String> env, String producerLine) throws Exception {
        Path home = Files.createDirectories(dir.resolve("weir-" + name));
        int port;
        do port = ApplianceProcess.freePort(); while (!taken.add(port));  // the broker's is not bound yet
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: %d, max_connections_per_source: 0}
                upstream: {endpoint: '%s', region: us-east-1, access_key_id: %s, secret_access_key: %s}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit:
                  mode: sync
                %s  file: audit/audit.jsonl
                  sinks:
                    - name: bus
                      type: kafka
                      bootstrap_servers: '%s'
                      topic: %s
                %s""".formatted(port, upstream, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET, policies,
                ApplianceProcess.CONF.resolve("principals.yaml"), instanceLine, bootstrap, TOPIC, producerLine));
        Map<String, String> all = new HashMap<>(SHARED_ENV);
        all.putAll(env);
        return new Replica(port, home, config, Map.copyOf(all));
    }
}
