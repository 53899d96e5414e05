package dev.weir.proxy.enforce;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read weir pages needs its table's key schema: the first request of a table waits for the
 * lookup, the next ones take the cached schema at once (no stages chained). Both ways give the
 * same answers: the page when the table is known, DynamoDB's ResourceNotFoundException when the
 * store knows no such table, and a 503 when the store cannot say (nothing forwarded).
 */
class PagedReadSchemaFirewallTest {
    private static final String POLICY = """
            role analyst
            @id("read") allow analyst on table * op [Query]
              rows where item.region == "eu"
              fields [id, sk, region]
            """;
    private static final String PEOPLE_SCHEMA = "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[{\"AttributeName\":\"id\","
            + "\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}}";
    private static final AtomicInteger describes = new AtomicInteger();

    static FirewallHarness weir;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            if (target.endsWith("DescribeTable")) {
                describes.incrementAndGet();
                if (body.contains("\"people\"")) return Map.entry(200, PEOPLE_SCHEMA);
                if (body.contains("\"broken\"")) {
                    return Map.entry(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"x\"}");
                }
                return Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                        + "\"message\":\"Requested resource not found\"}");
            }
            if (target.endsWith("Query")) {
                return Map.entry(200, "{\"Items\":[{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"eu\"}},"
                        + "{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"},\"region\":{\"S\":\"us\"}}],\"Count\":2,\"ScannedCount\":2}");
            }
            return Map.entry(200, "{}");
        }, Map.of());
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    private static FirewallHarness.Exchange query(String table) {
        return weir.call("analyst", "Query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"id = :a\","
                + "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}}}");
    }

    @Test
    void aKnownTableIsPagedTheSameWithTheSchemaLookedUpOrCached() {
        FirewallHarness.Exchange first = query("people");
        int lookups = describes.get();
        FirewallHarness.Exchange second = query("people");
        assertEquals(200, first.status(), first.body());
        assertEquals(first.body(), second.body(), "the cached schema pages alike");
        assertTrue(first.body().contains("\"Count\":1"), first.body());
        assertTrue(!first.body().contains("\"us\""), "the hidden row is not shown: " + first.body());
        assertEquals(lookups, describes.get(), "the second read took the cached schema");
    }

    @Test
    void aTableTheStoreDoesNotKnowIsResourceNotFoundBothWays() {
        long queries = weir.forwarded.stream().filter(f -> f.target().endsWith("Query")).count();
        for (int i = 0; i < 2; i++) {
            FirewallHarness.Exchange r = query("nosuch");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("ResourceNotFoundException"), r.body());
        }
        assertEquals(queries, weir.forwarded.stream().filter(f -> f.target().endsWith("Query")).count(), "nothing read");
    }

    @Test
    void aSchemaTheStoreCannotGiveIsA503AndNothingIsRead() {
        long queries = weir.forwarded.stream().filter(f -> f.target().endsWith("Query")).count();
        for (int i = 0; i < 2; i++) {
            FirewallHarness.Exchange r = query("broken");
            assertEquals(503, r.status(), r.body());
            assertTrue(r.body().contains("key schema"), r.body());
        }
        assertEquals(queries, weir.forwarded.stream().filter(f -> f.target().endsWith("Query")).count(), "nothing read");
    }
}
