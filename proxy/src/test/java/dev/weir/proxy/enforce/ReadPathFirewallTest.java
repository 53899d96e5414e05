package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read path through the firewall, against a stub store that records what weir sends: a
 * restricted Query paged by weir from the table's schema (read once, kept, forgotten when a
 * table change goes through weir, fail closed when it cannot be read), the store's errors
 * passed on, metadata neither asked for nor passed on for restricted views.
 */
class ReadPathFirewallTest {
    private static final String POLICY = """
            role admin
            role analyst
            role ingest
            @id("admin-all") allow admin on table * op *
            @id("people-read") allow analyst on table [people, nowhere] op [GetItem, Query, Scan, DescribeTable]
              rows where item.region == principal.region
              fields [id, sk, name, region, ssn]
              mask ssn show_last(4)
            @id("people-write") allow ingest on table people op [PutItem]
            @id("ids-only") allow ingest on table * op [Scan] fields [id]
            """;
    private static final String EU1 = "{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"eu\"},\"ssn\":{\"S\":\"123-45-6789\"},\"salary\":{\"N\":\"1\"}}";
    private static final String US2 = "{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"},\"region\":{\"S\":\"us\"},\"ssn\":{\"S\":\"000-00-0000\"}}";
    private static final String EU3 = "{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"3\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"Ada\"}}";

    static FirewallHarness weir;
    static final AtomicBoolean describeFails = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            if (target.endsWith("DescribeTable")) {
                if (body.contains("nowhere")) {
                    return Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"x\"}");
                }
                if (describeFails.get()) return Map.entry(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\"}");
                return Map.entry(200, "{\"Table\":{\"TableName\":\"people\",\"ItemCount\":3,\"TableSizeBytes\":20000,"
                        + "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
                        + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"bySsn\",\"KeySchema\":[{\"AttributeName\":\"ssn\",\"KeyType\":\"HASH\"}],"
                        + "\"Projection\":{\"ProjectionType\":\"ALL\"},\"ItemCount\":3,\"IndexSizeBytes\":900}]}}");
            }
            if (target.endsWith("Query") && body.contains("\"bad\"")) {
                return Map.entry(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"from the store\"}");
            }
            if (target.endsWith("Query") && !body.contains("ExclusiveStartKey")) {
                return Map.entry(200, "{\"Items\":[" + EU1 + "," + US2 + "],\"Count\":2,\"ScannedCount\":2,"
                        + "\"LastEvaluatedKey\":{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"}},\"ConsumedCapacity\":{\"CapacityUnits\":9}}");
            }
            if (target.endsWith("Query")) return Map.entry(200, "{\"Items\":[" + EU3 + "],\"Count\":1,\"ScannedCount\":1}");
            if (target.endsWith("PutItem")) return Map.entry(200, "{\"ConsumedCapacity\":{\"TableName\":\"people\",\"CapacityUnits\":20}}");
            return Map.entry(200, "{}");
        }, Map.of());
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    @BeforeEach
    void reset() {
        describeFails.set(false);
    }

    private static long describes() {
        return weir.forwarded.stream().filter(f -> f.target().endsWith("DescribeTable")).count();
    }

    private static final String QUERY = "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :i\",\"ProjectionExpression\":\"sk, ssn\","
            + "\"ExpressionAttributeValues\":{\":i\":{\"S\":\"a\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}";

    @Test
    void aRestrictedQueryIsPagedByWeirFromTheTablesSchema() throws Exception {
        int sent = weir.forwarded.size();
        var q = weir.call("analyst", "Query", QUERY);
        assertEquals(200, q.status(), q.body());
        assertEquals(Requests.json("{\"Items\":[{\"sk\":{\"N\":\"1\"},\"ssn\":{\"S\":\"****6789\"}},{\"sk\":{\"N\":\"3\"}}],"
                + "\"Count\":2,\"ScannedCount\":2}"), Requests.json(q.body()), "the us row skipped, no capacity, no key: the store ran out");
        assertEquals("ALLOWED", q.event().decision());
        assertEquals(1, q.event().rowsDropped());
        assertEquals(2, q.event().itemsReturned());
        List<FirewallHarness.Forwarded> reads = weir.forwarded.subList(sent, weir.forwarded.size()).stream()
                .filter(f -> f.target().endsWith("Query")).toList();
        assertEquals(2, reads.size(), "two store pages for one page of the caller's");
        JsonNode first = Requests.JSON.readTree(reads.get(0).body());
        assertEquals("#n0 = :v0", first.get("KeyConditionExpression").asText(), first.toString());
        assertTrue(first.get("FilterExpression").asText().contains("#n1"), "the row filter pushed down: " + first);
        for (String member : List.of("ProjectionExpression", "ReturnConsumedCapacity", "Limit", "ExclusiveStartKey")) {
            assertFalse(first.has(member), member + " in " + first);
        }
        assertEquals(Requests.json("{\"id\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"}}"),
                Requests.JSON.readTree(reads.get(1).body()).get("ExclusiveStartKey"), "the store's own key, never shown");

        long described = describes();
        weir.call("analyst", "Query", QUERY);
        assertEquals(described, describes(), "the schema is kept");
        weir.call("admin", "UpdateTable", "{\"TableName\":\"people\",\"BillingMode\":\"PAY_PER_REQUEST\"}");
        weir.call("analyst", "Query", QUERY);
        assertEquals(described + 1, describes(), "a table change through weir forgets it");
        var admin = weir.call("admin", "Query", QUERY);
        assertTrue(admin.body().contains("\"CapacityUnits\":9"), "an unrestricted view: forwarded and answered as the store answers");
        assertEquals(described + 1, describes(), "an unrestricted view needs no schema");
    }

    @Test
    void withoutASchemaNothingIsRead() {
        describeFails.set(true);
        weir.call("admin", "DeleteTable", "{\"TableName\":\"people\"}");
        int sent = weir.forwarded.size();
        var q = weir.call("analyst", "Query", QUERY);
        assertEquals(503, q.status(), q.body());
        assertEquals("UNENFORCEABLE", q.event().decision());
        assertTrue(weir.forwarded.subList(sent, weir.forwarded.size()).stream().allMatch(f -> f.target().endsWith("DescribeTable")),
                "nothing but the schema was asked for");
        var missing = weir.call("analyst", "Scan", "{\"TableName\":\"nowhere\"}");
        assertTrue(missing.body().contains("ResourceNotFoundException"), missing.body());
        var probe = weir.call("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :i\","
                + "\"FilterExpression\":\"begins_with(salary, :i)\",\"ExpressionAttributeValues\":{\":i\":{\"S\":\"a\"}}}");
        assertEquals("FORBIDDEN", probe.event().decision(), "a side channel is refused before any schema is read: " + probe.body());
    }

    @Test
    void orderAndTheStoresErrors() {
        var bySsn = weir.call("analyst", "Query", "{\"TableName\":\"people\",\"IndexName\":\"bySsn\",\"KeyConditionExpression\":\"ssn = :s\","
                + "\"ExpressionAttributeValues\":{\":s\":{\"S\":\"x\"}}}");
        assertEquals("FORBIDDEN", bySsn.event().decision(), bySsn.body());
        var scan = weir.call("analyst", "Scan", "{\"TableName\":\"people\",\"IndexName\":\"bySsn\"}");
        assertTrue(scan.body().contains("ordered and paged by the key attribute 'ssn'"), scan.body());
        var bad = weir.call("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :i\","
                + "\"ExpressionAttributeValues\":{\":i\":{\"S\":\"bad\"}}}");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("from the store"), "the store's answer as it gave it: " + bad.body());
        var limit = weir.call("analyst", "Scan", "{\"TableName\":\"people\",\"Limit\":0}");
        assertEquals("INVALID", limit.event().decision(), limit.body());
        var noTable = weir.call("admin", "Scan", "{}");
        assertEquals(200, noTable.status(), "an unrestricted view: the store answers as it will");
        var noTableRestricted = weir.call("ingest", "Scan", "{\"Limit\":1}");
        assertTrue(noTableRestricted.body().contains("Value null at 'tableName'"), noTableRestricted.body());
    }

    @Test
    void metadataIsNeitherAskedForNorPassedOn() throws Exception {
        int sent = weir.forwarded.size();
        var put = weir.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"n\"},\"sk\":{\"N\":\"1\"}},"
                + "\"ReturnConsumedCapacity\":\"TOTAL\",\"ReturnItemCollectionMetrics\":\"SIZE\"}");
        assertEquals(200, put.status(), put.body());
        assertEquals("{}", put.body(), "ingest reads nothing: the store's capacity is withheld although weir did not ask for it");
        JsonNode forwarded = Requests.JSON.readTree(weir.forwarded.get(sent).body());
        assertFalse(forwarded.has("ReturnConsumedCapacity") || forwarded.has("ReturnItemCollectionMetrics"), forwarded.toString());
        var adminPut = weir.call("admin", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"n\"},\"sk\":{\"N\":\"1\"}},"
                + "\"ReturnConsumedCapacity\":\"TOTAL\"}");
        assertTrue(adminPut.body().contains("ConsumedCapacity"), adminPut.body());
        var described = weir.call("analyst", "DescribeTable", "{\"TableName\":\"people\"}");
        JsonNode table = Requests.JSON.readTree(described.body()).get("Table");
        assertFalse(table.has("ItemCount") || table.has("TableSizeBytes"), table.toString());
        assertFalse(table.get("GlobalSecondaryIndexes").get(0).has("IndexSizeBytes"), table.toString());
        assertEquals("bySsn", table.get("GlobalSecondaryIndexes").get(0).get("IndexName").asText());
        assertTrue(weir.call("admin", "DescribeTable", "{\"TableName\":\"people\"}").body().contains("\"TableSizeBytes\":20000"));
    }
}
