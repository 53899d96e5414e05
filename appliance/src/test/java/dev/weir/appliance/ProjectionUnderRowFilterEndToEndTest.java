package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An analyst (region eu) reads with a projection on a table whose rows it sees only for its
 * region: weir reads whole items (the row filter reads region), pages Query and Scan itself
 * counting visible rows only, and returns exactly the projection the client asked for.
 */
class ProjectionUnderRowFilterEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static DynamoDbClient admin, analyst;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("proj.weir"), """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("read") allow analyst on table tab op [GetItem, Query, Scan, BatchGetItem, TransactGetItems]
                  rows where item.region == principal.region
                  mask ssn show_last(4)
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
        analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret");
        admin.createTable(b -> b.tableName("tab").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"), d -> d.attributeName("sk").attributeType("N"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        for (int i = 1; i <= 6; i++) {
            int n = i;
            admin.putItem(b -> b.tableName("tab").item(Map.of("pk", s("p"), "sk", AttributeValue.fromN(Integer.toString(n)),
                    "region", s(n % 2 == 1 ? "eu" : "us"), "name", s("name-" + n), "ssn", s("123-45-000" + n))));
        }
    }

    @Test
    void batchAndTransactionReadsWithAProjectionReturnExactlyItForTheVisibleRows() {
        var batch = analyst.batchGetItem(b -> b.requestItems(Map.of("tab",
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                        .keys(key(1), key(2), key(3)).projectionExpression("sk, #n")
                        .expressionAttributeNames(Map.of("#n", "name")).build())));
        List<Map<String, AttributeValue>> items = new ArrayList<>(batch.responses().get("tab"));
        items.sort(java.util.Comparator.comparing(i -> i.get("sk").n()));
        assertEquals(2, items.size(), "only the eu rows: " + items);
        assertEquals(Set.of("sk", "name"), items.get(0).keySet(), "the projection, without the region the filter read");
        assertEquals("name-1", items.get(0).get("name").s());
        assertEquals("3", items.get(1).get("sk").n());
        assertTrue(batch.unprocessedKeys().isEmpty());

        var tx = analyst.transactGetItems(b -> b.transactItems(
                t -> t.get(g -> g.tableName("tab").key(key(1)).projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name"))),
                t -> t.get(g -> g.tableName("tab").key(key(2)).projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name"))),
                t -> t.get(g -> g.tableName("tab").key(key(5)))));
        assertEquals(Map.of("name", s("name-1")), tx.responses().get(0).item());
        assertTrue(tx.responses().get(1).item() == null || tx.responses().get(1).item().isEmpty(), "a us row stays hidden");
        assertEquals(Set.of("pk", "sk", "region", "name", "ssn"), tx.responses().get(2).item().keySet());
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
        if (analyst != null) analyst.close();
        if (weir != null) weir.close();
    }

    @Test
    void queryReturnsExactlyTheProjectionOfTheVisibleRows() {
        QueryResponse r = analyst.query(b -> b.tableName("tab").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).projectionExpression("sk, #n")
                .expressionAttributeNames(Map.of("#n", "name")));
        assertEquals(3, r.count());
        assertEquals(List.of("1", "3", "5"), r.items().stream().map(i -> i.get("sk").n()).toList());
        for (Map<String, AttributeValue> item : r.items()) {
            assertEquals(Set.of("sk", "name"), item.keySet(), "region was read for the filter, not returned");
        }
    }

    @Test
    void getItemAndLegacyAttributesToGetToo() {
        var eu = analyst.getItem(b -> b.tableName("tab").key(key(1)).projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name")));
        assertEquals(Map.of("name", s("name-1")), eu.item());
        assertFalse(analyst.getItem(b -> b.tableName("tab").key(key(2)).projectionExpression("sk")).hasItem(), "another region");
        var scan = analyst.scan(b -> b.tableName("tab").attributesToGet("name"));
        assertEquals(3, scan.count());
        scan.items().forEach(i -> assertEquals(Set.of("name"), i.keySet()));
    }

    @Test
    void limitCountsVisibleRowsAndHiddenRowsNeverEndAPage() {
        // weir pages the read itself: Limit 2 is two visible rows (1 and 3, the us row 2 between them not counted).
        List<List<String>> pages = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = analyst.query(b -> b.tableName("tab").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))).projectionExpression("#n")
                    .expressionAttributeNames(Map.of("#n", "name")).limit(2).exclusiveStartKey(from));
            pages.add(page.items().stream().map(i -> i.get("name").s()).toList());
            assertEquals(page.count(), page.scannedCount(), "no client filter: every visible row evaluated is returned");
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) assertEquals(Set.of("pk", "sk"), start.keySet());
        } while (start != null && pages.size() < 10);
        assertEquals(List.of(List.of("name-1", "name-3"), List.of("name-5")), pages);
    }

    @Test
    void theRowFilterIsPushedDownToTheStoreWhereThatIsExact() throws Exception {
        var scan = analyst.scan(b -> b.tableName("tab"));
        assertEquals(3, scan.count());
        assertEquals(3, scan.scannedCount(), "ScannedCount counts visible rows only");
        var q = analyst.query(b -> b.tableName("tab").keyConditionExpression("pk = :p AND sk > :z")
                .expressionAttributeValues(Map.of(":p", s("p"), ":z", AttributeValue.fromN("1"))));
        assertEquals(List.of("3", "5"), q.items().stream().map(i -> i.get("sk").n()).toList());
        var limited = analyst.query(b -> b.tableName("tab").keyConditionExpression("pk = :p AND sk > :z")
                .expressionAttributeValues(Map.of(":p", s("p"), ":z", AttributeValue.fromN("2"))).limit(2));
        assertEquals(List.of("3", "5"), limited.items().stream().map(i -> i.get("sk").n()).toList());
        assertEquals(Map.of("pk", s("p"), "sk", AttributeValue.fromN("5")), limited.lastEvaluatedKey(),
                "Limit reached: the key of the last visible row, as DynamoDB gives one");
        var count = analyst.query(b -> b.tableName("tab").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).select("COUNT"));
        assertEquals(3, count.count(), "Select COUNT counts visible rows");
        assertFalse(count.hasItems() && !count.items().isEmpty());
        String pushed = auditLine(l -> l.contains("\"event.action\":\"Query\"") && l.contains("\"weir.fields.read\":[\"pk\",\"sk\"]")
                && l.contains("\"weir.items.returned\":2"));
        assertFalse(pushed.contains("weir.rows.dropped"), "the store dropped the hidden rows: " + pushed);
    }

    private static String auditLine(java.util.function.Predicate<String> match) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String l : Files.readAllLines(weir.auditFile())) if (match.test(l)) return l;
            Thread.sleep(50);
        }
        throw new AssertionError("no matching audit event");
    }

    private static Map<String, AttributeValue> key(int sk) {
        return Map.of("pk", s("p"), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
