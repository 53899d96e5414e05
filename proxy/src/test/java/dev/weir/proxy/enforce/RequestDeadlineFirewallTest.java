package dev.weir.proxy.enforce;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deadline per request through the firewall, over everything it waits for from the store:
 * the key schema lookup and every page of a read weir pages itself count against the same
 * deadline (the harness's upstream timeout, 5 s), so a slow store gets a 503 at it, not after
 * one timeout per store call. The stub store takes 1.5 s per answer, and its pages of a
 * Query hold only rows the caller may not see, each with a LastEvaluatedKey: weir keeps
 * reading until the deadline.
 */
class RequestDeadlineFirewallTest {
    private static final long DEADLINE_MS = 5_000, STORE_MS = 1_500;
    private static final String POLICY = """
            role admin
            role analyst
            @id("admin-all") allow admin on table * op *
            @id("people-read") allow analyst on table people op [Query, BatchGetItem]
              rows where item.region == principal.region
              fields [id, sk, region]
            """;

    static FirewallHarness weir;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            try {
                Thread.sleep(STORE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (target.endsWith("DescribeTable")) {
                return Map.entry(200, "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[{\"AttributeName\":\"id\","
                        + "\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}}");
            }
            if (target.endsWith("Query")) {
                return Map.entry(200, "{\"Items\":[{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"us\"}}],"
                        + "\"Count\":1,\"ScannedCount\":1,\"LastEvaluatedKey\":{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}");
            }
            if (target.endsWith("BatchGetItem")) {
                return Map.entry(200, "{\"Responses\":{\"people\":[]},\"UnprocessedKeys\":{\"people\":{\"Keys\":"
                        + "[{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}]}}}");
            }
            return Map.entry(200, "{}");
        }, Map.of());
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    @Test
    void aLookupAndThePagesOfAPagedReadShareOneDeadline() {
        long t0 = System.nanoTime();
        FirewallHarness.Exchange r = weir.call("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :a\","
                + "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}}}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.status(), r.body());
        assertTrue(r.body().contains("ServiceUnavailableException"), r.body());
        // The schema (1.5 s) and two pages (3 s) fit, the third is cut (fewer on a slow machine).
        // With a timeout for the lookup and another for the pages, the answer came after 11.5 s.
        long pages = weir.forwarded.stream().filter(f -> f.target().endsWith("Query")).count();
        assertTrue(pages >= 2, pages + " pages asked for");
        assertTrue(ms >= DEADLINE_MS - 50 && ms < DEADLINE_MS + 1_000, "answered after " + ms + " ms");
    }

    /**
     * A restricted BatchGetItem is read round after round while the store leaves keys
     * unprocessed; the rounds share the request's one deadline, and the round in flight at the
     * deadline is cut by the store exchange's own deadline (weir sets no timer of its own per
     * round): a 503 at the deadline, not after it.
     */
    @Test
    void theRoundsOfARestrictedBatchGetShareOneDeadline() {
        long before = weir.forwarded.stream().filter(f -> f.target().endsWith("BatchGetItem")).count();
        long t0 = System.nanoTime();
        FirewallHarness.Exchange r = weir.call("analyst", "BatchGetItem", "{\"RequestItems\":{\"people\":{\"Keys\":"
                + "[{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}]}}}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.status(), r.body());
        assertTrue(r.body().contains("ServiceUnavailableException"), r.body());
        long rounds = weir.forwarded.stream().filter(f -> f.target().endsWith("BatchGetItem")).count() - before;
        assertTrue(rounds >= 2, rounds + " rounds sent");
        assertTrue(ms >= DEADLINE_MS - 50 && ms < DEADLINE_MS + 1_000, "answered after " + ms + " ms");
    }
}
