package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many clients on the same items at once: atomic counters and conditional claims are exact,
 * and the run-once scenario processes each of 1,000 tasks exactly once.
 */
class ConcurrencySdkTest extends SdkTestBase {
    private static final int THREADS = 12;

    @BeforeAll
    static void setUp() {
        start();
        table("counters", "id", ScalarAttributeType.S, null, null);
        table("claims", "id", ScalarAttributeType.S, null, null);
        table("tasks", "id", ScalarAttributeType.S, null, null);
    }

    static void runAll(int threads, ThrowingTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                futures.add(pool.submit(() -> {
                    task.run(worker);
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    interface ThrowingTask {
        void run(int worker) throws Exception;
    }

    @Test
    void atomicCountersAreExact() throws Exception {
        int perThread = 150;
        runAll(THREADS, worker -> {
            for (int i = 0; i < perThread; i++) {
                String id = "c" + (i % 3);
                ddb.updateItem(b -> b.tableName("counters").key(Map.of("id", s(id))).updateExpression("ADD n :one")
                        .expressionAttributeValues(Map.of(":one", n(1))));
            }
        });
        long total = 0;
        for (int c = 0; c < 3; c++) {
            String id = "c" + c;
            total += Long.parseLong(ddb.getItem(b -> b.tableName("counters").key(Map.of("id", s(id))).consistentRead(true))
                    .item().get("n").n());
        }
        assertEquals((long) THREADS * perThread, total);
    }

    @Test
    void conditionalClaimsHaveOneWinner() throws Exception {
        int items = 60;
        Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
        runAll(THREADS, worker -> {
            for (int i = 0; i < items; i++) {
                String id = "claim" + i;
                try {
                    ddb.updateItem(b -> b.tableName("claims").key(Map.of("id", s(id))).updateExpression("SET #o = :me")
                            .conditionExpression("attribute_not_exists(#o)").expressionAttributeNames(Map.of("#o", "owner"))
                            .expressionAttributeValues(Map.of(":me", s("w" + worker))));
                    wins.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                } catch (ConditionalCheckFailedException lost) {
                    // another worker owns it
                }
            }
        });
        assertEquals(items, wins.size());
        wins.values().forEach(w -> assertEquals(1, w.get()));
    }

    @Test
    void runOnceEveryTaskIsProcessedExactlyOnce() throws Exception {
        int tasks = 1000;
        for (int batch = 0; batch < tasks / 25; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String id = "task-" + (batch * 25 + i);
                writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("id", s(id), "payload", s("work")))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of("tasks", writes)));
        }
        Map<String, String> processedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        int workers = 8;
        runAll(workers, worker -> {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < tasks; i++) order.add(i);
            Collections.shuffle(order, new java.util.Random(worker));
            String me = "worker-" + worker;
            for (int i : order) {
                String id = "task-" + i;
                try {
                    ddb.updateItem(b -> b.tableName("tasks").key(Map.of("id", s(id))).updateExpression("SET done_by = :me")
                            .conditionExpression("attribute_exists(id) AND attribute_not_exists(done_by)")
                            .expressionAttributeValues(Map.of(":me", s(me))));
                    if (processedBy.putIfAbsent(id, me) != null) duplicates.incrementAndGet();
                } catch (ConditionalCheckFailedException taken) {
                    // claimed by someone else: not ours to process
                }
            }
        });
        assertEquals(0, duplicates.get());
        assertEquals(tasks, processedBy.size());
        for (int i = 0; i < tasks; i++) {
            String id = "task-" + i;
            Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("tasks").key(Map.of("id", s(id)))).item();
            assertEquals(processedBy.get(id), item.get("done_by").s());
        }
    }
}
