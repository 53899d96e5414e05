package dev.weir.lifecycle.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.lifecycle.Fixtures;
import dev.weir.lifecycle.FunctionServer;
import dev.weir.lifecycle.StoreFixture;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.call.Signature;
import dev.weir.lifecycle.store.LeaseTable;
import dev.weir.policy.trigger.ScheduleSpec;
import dev.weir.policy.decision.DecisionTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled triggers against a real bundled store and a real HTTP function, on a clock the test moves. */
class ScheduleRunnerTest {
    private StoreFixture store;
    private FunctionServer function;
    private final List<ScheduleRunner> runners = new ArrayList<>();

    /** A clock the test sets; shared by the instances, as one wall clock. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    }

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture();
        function = new FunctionServer(Fixtures.SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        runners.forEach(ScheduleRunner::close);
        function.close();
        store.close();
    }

    private ScheduleRunner runner(DecisionTable policy, String instance, Clock clock, ScheduleListener listener) {
        FunctionClient functions = new FunctionClient(Duration.ofSeconds(5), Clock.systemUTC(), id -> new Signature(Fixtures.SECRET));
        ScheduleRunner r = new ScheduleRunner(store.client, policy::schedules, functions, listener, instance, clock,
                Duration.ofMillis(100), new Random(7));
        runners.add(r);
        return r;
    }

    private static List<Instant> minutes(String cron, Instant from, Instant to) throws Exception {
        dev.weir.policy.trigger.Cron c = dev.weir.policy.trigger.Cron.parse(cron);
        List<Instant> out = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(1, ChronoUnit.MINUTES)) if (c.matches(t)) out.add(t);
        return out;
    }

    @Test
    void twoInstancesCallEachDueMinuteExactlyOnce() throws Exception {
        DecisionTable policy = Fixtures.policy("""
                role reporter
                @id("each") trigger every "* * * * *" call "%s" as role reporter
                @id("fives") trigger every "*/5 * * * *" call "%s" as role reporter
                """.formatted(function.url("/each"), function.url("/fives")));
        Instant start = Instant.parse("2035-06-01T23:40:20Z");
        TestClock clock = new TestClock(start);
        List<String> audited = new CopyOnWriteArrayList<>();
        ScheduleListener audit = new ScheduleListener() {
            @Override public void called(ScheduleSpec s, String eventId, CallResult r, int attempt) {
                audited.add(eventId);
            }
        };
        ScheduleRunner a = runner(policy, "A", clock, audit);
        ScheduleRunner b = runner(policy, "B", clock, audit);
        Random random = new Random(42);
        while (clock.instant().isBefore(start.plus(40, ChronoUnit.MINUTES))) {
            // both instances step at the same wall time, in either order and sometimes together
            if (random.nextBoolean()) {
                Thread ta = Thread.ofVirtual().start(a::step);
                b.step();
                ta.join();
            } else {
                b.step();
                a.step();
            }
            clock.now.updateAndGet(t -> t.plusSeconds(5 + random.nextInt(70)));
        }
        Instant end = clock.instant().minusSeconds(1);
        List<Instant> each = minutes("* * * * *", start.truncatedTo(ChronoUnit.MINUTES), end);
        assertTrue(Fixtures.await(20, () -> function.calls.size() >= each.size() - 2), "calls: " + function.calls.size());
        Thread.sleep(300);
        TreeMap<String, Integer> perKey = new TreeMap<>();
        for (FunctionServer.Call c : function.calls) perKey.merge(c.key(), 1, Integer::sum);
        perKey.forEach((k, n) -> assertEquals(1, n, "called once: " + k));
        assertEquals(0, function.badSignatures.get());
        Set<String> eachKeys = perKey.keySet().stream().filter(k -> k.startsWith("each:")).collect(Collectors.toSet());
        Set<String> fivesKeys = perKey.keySet().stream().filter(k -> k.startsWith("fives:")).collect(Collectors.toSet());
        // every minute up to the last one a step saw is there, and nothing else
        Instant last = eachKeys.stream().map(k -> Instant.parse(k.substring(5))).max(Instant::compareTo).orElseThrow();
        assertTrue(!last.isBefore(end.minus(75, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MINUTES)), "last " + last);
        assertEquals(minutes("* * * * *", start.truncatedTo(ChronoUnit.MINUTES), last).stream().map(t -> "each:" + t)
                .collect(Collectors.toSet()), eachKeys);
        assertEquals(minutes("*/5 * * * *", start.truncatedTo(ChronoUnit.MINUTES), last).stream().map(t -> "fives:" + t)
                .collect(Collectors.toSet()), fivesKeys);
        assertTrue(eachKeys.contains("each:2035-06-02T00:00:00Z"), "across midnight");
        for (FunctionServer.Call c : function.calls) {
            JsonNode body = c.body();
            assertEquals(c.key(), body.get("eventId").asText());
            assertEquals(c.key().substring(0, c.key().indexOf(':')), body.get("trigger").asText());
            assertEquals(c.key().substring(c.key().indexOf(':') + 1), body.get("scheduledFor").asText());
        }
        assertEquals(perKey.size(), audited.size(), "every call audited");
        // the claims are in weir_lifecycle, one per due minute, split between the instances
        List<JsonNode> claims = store.scan(LeaseTable.NAME).stream().filter(i -> i.path("pk").path("S").asText().startsWith("schedule#")).toList();
        assertEquals(perKey.size(), claims.size());
        Set<String> owners = claims.stream().map(i -> i.path("owner").path("S").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("A", "B"), owners, "both instances claimed some minutes");
        // claims do not pile up: each expires 3 hours after its minute, through the table's time to live
        for (JsonNode claim : claims) {
            Instant minute = Instant.parse(claim.path("pk").path("S").asText().replaceFirst("^schedule#[^#]+#", ""));
            assertEquals(minute.getEpochSecond() + 3 * 3600, claim.path(LeaseTable.EXPIRES).path("N").asLong(), claim.toString());
        }
        com.fasterxml.jackson.databind.node.ObjectNode ttl = dev.weir.lifecycle.store.StoreClient.object();
        ttl.put("TableName", LeaseTable.NAME);
        assertEquals("ENABLED", store.client.dynamo("DescribeTimeToLive", ttl).path("TimeToLiveDescription")
                .path("TimeToLiveStatus").asText());
    }

    @Test
    void aNewInstanceDoesNotReplayMissedMinutesAndAFailingFunctionIsDeadLettered() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DecisionTable policy = Fixtures.policy("""
                role reporter
                @id("each") trigger every "* * * * *" call "%s" as role reporter
                @id("down") trigger every "0 * * * *" call "http://127.0.0.1:%d/f" as role reporter retry 2 backoff 1ms to 2ms
                """.formatted(function.url("/each"), closedPort));
        TestClock clock = new TestClock(Instant.parse("2035-06-01T05:00:10Z"));
        List<String> dead = new CopyOnWriteArrayList<>();
        ScheduleRunner c = runner(policy, "C", clock, new ScheduleListener() {
            @Override public void deadLettered(ScheduleSpec s, String eventId, String error, int attempts) {
                dead.add(eventId + " " + attempts);
            }
        });
        c.step();
        assertTrue(Fixtures.await(10, () -> function.calls.size() == 1 && dead.size() == 1));
        assertEquals("each:2035-06-01T05:00:00Z", function.calls.getFirst().key(), "only the current minute, none before");
        assertEquals(List.of("down:2035-06-01T05:00:00Z 3"), dead);
        c.step();
        Thread.sleep(200);
        assertEquals(1, function.calls.size(), "a minute is called once by one instance too");
        JsonNode letter = store.scan("weir_dead_letters").getFirst();
        assertEquals("down", letter.path("trigger").path("S").asText());
        assertEquals("down:2035-06-01T05:00:00Z", letter.path("eventId").path("S").asText());
        assertEquals("3", letter.path("attempts").path("N").asText());
        assertTrue(letter.path("error").path("S").asText().startsWith("connection"), letter.toString());
    }
}
