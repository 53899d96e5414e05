package dev.weir.lifecycle.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.call.Signature;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API-call triggers in lifecycle: matching, the key cut through the role's view, the payload, retries, dead letters, drops. */
class RequestTriggerQueueTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            role auditor
            role blind
            role narrow
            allow auditor on table images op read
            allow blind on table images op read
              remove id
            allow narrow on table images op read fields [id]
            @id("deletes") trigger on request op [DeleteItem] on table images call "URL" as role auditor retry 1 backoff 1ms to 2ms
            @id("blind") trigger on request op [UpdateItem] on table images call "URL" as role blind
            @id("writes") trigger on request op [PutItem, BatchWriteItem] on table images call "URL" as role auditor
            @id("narrow") trigger on request op [TransactWriteItems] on table images call "URL" as role narrow
            """;

    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final List<String> notSent = new CopyOnWriteArrayList<>();
    private HttpServer function;
    private RequestTriggerQueue queue;

    private DecisionTable policy() throws IOException {
        function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        function.createContext("/", ex -> {
            calls.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        function.start();
        String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/f";
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY.replace("URL", url))));
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.table().orElseThrow();
    }

    private RequestTriggerQueue queue(DecisionTable table, int capacity, int workers) {
        FunctionClient client = new FunctionClient(Duration.ofSeconds(2), Clock.systemUTC(), id -> new Signature("secret-secret-secret"));
        return new RequestTriggerQueue(() -> table, client, new RequestTriggerListener() {
            @Override public void notSent(dev.weir.policy.trigger.RequestTriggerSpec t, String eventId, String reason) {
                notSent.add(t.id() + ":" + eventId);
            }
        }, (trigger, eventId, payload, error, attempts) -> deadLetters.add(trigger + ":" + eventId + ":" + attempts),
                new Random(7), capacity, workers);
    }

    @AfterEach
    void close() {
        if (queue != null) queue.close();
        if (function != null) function.stop(0);
    }

    private static ObjectNode key(String id) {
        ObjectNode k = JSON.createObjectNode();
        k.putObject("id").put("S", id);
        return k;
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }

    @Test
    void aMatchingRequestCallsOnceWithItsKeyAndOthersCallNothing() throws Exception {
        queue = queue(policy(), 16, 2);
        queue.offer(new RequestEvent("req-1", Operation.DeleteItem, "images", "alice", List.of(key("p-1"))));
        queue.offer(new RequestEvent("req-2", Operation.GetItem, "images", "alice", List.of(key("p-2"))));
        queue.offer(new RequestEvent("req-3", Operation.DeleteItem, "videos", "alice", List.of(key("p-3"))));
        await(() -> calls.size() >= 1);
        Thread.sleep(200);
        assertEquals(1, calls.size(), calls.toString());
        assertEquals(JSON.readTree("""
                {"trigger":"deletes","eventId":"req-1","table":"images","operation":"DeleteItem","principal":"alice",
                 "keys":[{"id":{"S":"p-1"}}]}"""), calls.getFirst());
    }

    /** Idle workers sleep until a job or the close (they polled five times a second before), and the close still ends them. */
    @Test
    void idleWorkersDoNotWakeAndTheCloseEndsThem() throws Exception {
        Set<String> others = triggerWorkerWakeups().keySet(); // another test's queue, should one still run
        queue = queue(policy(), 16, 2);
        queue.offer(new RequestEvent("req-1", Operation.DeleteItem, "images", "alice", List.of(key("p-1"))));
        await(() -> calls.size() >= 1);
        Thread.sleep(200);
        Map<String, Long> before = triggerWorkerWakeups();
        Thread.sleep(1_000);
        Map<String, Long> after = triggerWorkerWakeups();
        after.keySet().removeAll(others);
        assertEquals(2, after.size(), "two workers: " + after.keySet());
        for (var e : after.entrySet()) {
            long woke = e.getValue() - before.getOrDefault(e.getKey(), e.getValue());
            assertTrue(woke < 3, "worker " + e.getKey() + " woke " + woke + " times in an idle second");
        }
        long t0 = System.nanoTime();
        queue.close();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1_000, "the close waited for the workers");
        // join returns once the JVM marks a thread ended; the kernel drops its /proc entry a moment later
        long gone = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Map<String, Long> left = triggerWorkerWakeups();
        left.keySet().removeAll(others);
        while (!left.isEmpty() && System.nanoTime() < gone) {
            Thread.sleep(10);
            left = triggerWorkerWakeups();
            left.keySet().removeAll(others);
        }
        assertTrue(left.isEmpty(), "the workers ended: " + left.keySet());
        queue.offer(new RequestEvent("req-2", Operation.DeleteItem, "images", "alice", List.of(key("p-2"))));
        Thread.sleep(100);
        assertEquals(1, calls.size(), "a closed queue calls nothing");
    }

    /** Voluntary context switches of this process's trigger workers, by task id and name (Linux /proc). */
    private static Map<String, Long> triggerWorkerWakeups() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    if (!name.startsWith("weir-request-tr")) continue; // the kernel keeps 15 characters of a name
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            out.put(t.getFileName() + " " + name, Long.parseLong(line.substring(line.indexOf(':') + 1).trim()));
                        }
                    }
                } catch (IOException ended) { // gone from /proc (no such file), or exiting as it was read (ESRCH)
                    // the thread ended while it was read
                }
            }
        }
        return out;
    }

    @Test
    void firesOnlyOnATableAndOperationOfATriggerInForce() throws Exception {
        queue = queue(policy(), 16, 1);
        assertTrue(queue.fires("images", Operation.DeleteItem));
        assertFalse(queue.fires("images", Operation.GetItem));
        assertFalse(queue.fires("videos", Operation.DeleteItem));
        RequestTriggerQueue none = new RequestTriggerQueue(() -> null, new FunctionClient(Duration.ofSeconds(2), Clock.systemUTC(),
                id -> new Signature("secret-secret-secret")), new RequestTriggerListener() { }, (t, e, p, err, a) -> { },
                new Random(7), 1, 0);
        assertFalse(none.fires("images", Operation.DeleteItem), "no policy in force, no trigger");
        none.close();
    }

    @Test
    void aKeyTheRoleCannotReadInClearIsNotSent() throws Exception {
        queue = queue(policy(), 16, 1);
        queue.offer(new RequestEvent("req-1", Operation.UpdateItem, "images", "alice", List.of(key("p-1"))));
        Thread.sleep(200);
        assertTrue(calls.isEmpty(), calls.toString());
        assertEquals(List.of("blind:req-1"), notSent);
    }

    @Test
    void failedCallsAreRetriedThenDeadLettered() throws Exception {
        status.set(500);
        queue = queue(policy(), 16, 1);
        queue.offer(new RequestEvent("req-9", Operation.DeleteItem, "images", "alice", List.of(key("p-9"))));
        await(() -> !deadLetters.isEmpty());
        assertEquals(2, calls.size(), "one call and one retry");
        assertEquals(List.of("deletes:req-9:2"), deadLetters);
    }

    @Test
    void aFullQueueDropsAndCounts() throws Exception {
        queue = queue(policy(), 1, 0);
        queue.offer(new RequestEvent("req-1", Operation.DeleteItem, "images", "alice", List.of(key("p-1"))));
        queue.offer(new RequestEvent("req-2", Operation.DeleteItem, "images", "alice", List.of(key("p-2"))));
        assertEquals(1, queue.dropped());
        assertEquals(List.of("deletes:req-2"), notSent);
    }

    private static ObjectNode key(String id, long shot) {
        ObjectNode k = key(id);
        k.putObject("shot").put("N", Long.toString(shot));
        return k;
    }

    @Test
    void aBatchCallsOnceWithEveryKeyOfTheTriggersTable() throws Exception {
        queue = queue(policy(), 16, 1);
        queue.offer(new RequestEvent("req-1", Operation.BatchWriteItem, "images", "alice",
                List.of(key("p-1"), key("p-2", 3), key("p-3"))));
        queue.offer(new RequestEvent("req-1", Operation.BatchWriteItem, "videos", "alice", List.of(key("v-1"))));
        await(() -> calls.size() >= 1);
        Thread.sleep(200);
        assertEquals(1, calls.size(), calls.toString());
        assertEquals(JSON.readTree("""
                {"trigger":"writes","eventId":"req-1","table":"images","operation":"BatchWriteItem","principal":"alice",
                 "keys":[{"id":{"S":"p-1"}},{"id":{"S":"p-2"},"shot":{"N":"3"}},{"id":{"S":"p-3"}}]}"""), calls.getFirst());
    }

    @Test
    void oneKeyTheRoleCannotReadWithholdsTheWholeEvent() throws Exception {
        queue = queue(policy(), 16, 1);
        queue.offer(new RequestEvent("req-1", Operation.TransactWriteItems, "images", "alice", List.of(key("p-1"), key("p-2", 3))));
        queue.offer(new RequestEvent("req-2", Operation.TransactWriteItems, "images", "alice", List.of(key("p-4"), key("p-5"))));
        await(() -> calls.size() >= 1);
        Thread.sleep(200);
        assertEquals(List.of("narrow:req-1"), notSent, "'shot' is outside the role's fields: no key of that request is sent");
        assertEquals(1, calls.size(), calls.toString());
        assertEquals("[{\"id\":{\"S\":\"p-4\"}},{\"id\":{\"S\":\"p-5\"}}]", calls.getFirst().path("keys").toString());
    }

    @Test
    void aPutWhoseKeyWeirCouldNotNameIsNotSent() throws Exception {
        queue = queue(policy(), 16, 1);
        queue.offer(new RequestEvent("req-1", Operation.PutItem, "images", "alice", List.of(), 1));
        queue.offer(new RequestEvent("req-2", Operation.BatchWriteItem, "images", "alice", List.of(key("p-1")), 1));
        Thread.sleep(200);
        assertTrue(calls.isEmpty(), calls.toString());
        assertEquals(List.of("writes:req-1", "writes:req-2"), notSent);
    }
}
