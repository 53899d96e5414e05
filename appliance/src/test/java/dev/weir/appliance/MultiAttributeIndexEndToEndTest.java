package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Global secondary indexes with multi-attribute keys through the real weir process and the
 * bundled store behind it: an analyst (region eu) whose view shows its region's rows, masks
 * coach and hides payout queries an index keyed by attributes it reads in clear, page by page;
 * every way a multi-attribute key could carry a hidden value to it is refused.
 */
class MultiAttributeIndexEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static DynamoDbClient admin, analyst;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("matches.weir"), """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("read") allow analyst on table matches op [GetItem, Query, Scan]
                  rows where item.zoneId == principal.region
                  fields [id, tournament, zoneId, round, seed, coach]
                  mask coach hash
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
        analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret");
        admin.createTable(b -> b.tableName("matches").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S"),
                        d -> d.attributeName("tournament").attributeType("S"), d -> d.attributeName("zoneId").attributeType("S"),
                        d -> d.attributeName("round").attributeType("N"), d -> d.attributeName("seed").attributeType("N"),
                        d -> d.attributeName("payout").attributeType("N"), d -> d.attributeName("coach").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH"))
                .globalSecondaryIndexes(
                        gsi("byRound", ProjectionType.ALL, List.of("tournament", "zoneId"), List.of("round", "seed")),
                        gsi("byPayout", ProjectionType.ALL, List.of("tournament", "zoneId"), List.of("round", "payout")),
                        gsi("byCoach", ProjectionType.ALL, List.of("tournament", "coach"), List.of("round")),
                        gsi("roundKeys", ProjectionType.KEYS_ONLY, List.of("tournament", "round"), List.of("seed"))));
        int[][] rows = {{2, 1}, {1, 2}, {1, 1}, {3, 1}, {10, 1}};
        for (int i = 0; i < rows.length; i++) {
            for (String zone : List.of("eu", "us")) {
                Map<String, AttributeValue> item = new HashMap<>(Map.of("id", s(zone + i), "tournament", s("W24"), "zoneId", s(zone),
                        "round", n(rows[i][0]), "seed", n(rows[i][1]), "payout", n(1000 + i), "coach", s("coach" + i)));
                admin.putItem(b -> b.tableName("matches").item(item));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
        if (analyst != null) analyst.close();
        if (weir != null) weir.close();
    }

    static GlobalSecondaryIndex gsi(String name, ProjectionType projection, List<String> hashes, List<String> ranges) {
        List<KeySchemaElement> keys = new ArrayList<>();
        hashes.forEach(h -> keys.add(KeySchemaElement.builder().attributeName(h).keyType(KeyType.HASH).build()));
        ranges.forEach(r -> keys.add(KeySchemaElement.builder().attributeName(r).keyType(KeyType.RANGE).build()));
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(p -> p.projectionType(projection)).build();
    }

    static QueryResponse query(DynamoDbClient as, String index, String condition, Map<String, AttributeValue> values,
                               Consumer<QueryRequest.Builder> more) {
        return as.query(b -> {
            b.tableName("matches").indexName(index).keyConditionExpression(condition).expressionAttributeValues(values);
            more.accept(b);
        });
    }

    static List<String> ids(QueryResponse r) {
        return r.items().stream().map(i -> i.get("id").s()).toList();
    }

    static String refused(Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.getMessage());
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void anIndexKeyedByAttributesTheAnalystReadsInClearIsQueriedPageByPage() {
        Map<String, AttributeValue> eu = Map.of(":t", s("W24"), ":z", s("eu"));
        assertEquals(List.of("eu2", "eu1", "eu0", "eu3", "eu4"), ids(query(analyst, "byRound", "tournament = :t AND zoneId = :z", eu, b -> {})),
                "ordered by round, then seed");
        List<String> paged = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = query(analyst, "byRound", "tournament = :t AND zoneId = :z", eu, b -> b.limit(2).exclusiveStartKey(from));
            paged.addAll(ids(page));
            page.items().forEach(i -> assertFalse(i.containsKey("payout"), "payout is hidden: " + i));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                assertEquals(Set.of("id", "tournament", "zoneId", "round", "seed"), start.keySet(),
                        "every key attribute of the table and the index, each one the analyst reads in clear");
            }
        } while (start != null && ++pages < 10);
        assertEquals(List.of("eu2", "eu1", "eu0", "eu3", "eu4"), paged);
        assertEquals(List.of("eu1", "eu2"), ids(query(analyst, "byRound", "tournament = :t AND zoneId = :z AND round = :one",
                Map.of(":t", s("W24"), ":z", s("eu"), ":one", n(1)), b -> b.scanIndexForward(false))),
                "round 1 backwards: seed 2, then seed 1");
        assertEquals(List.of(), ids(query(analyst, "byRound", "tournament = :t AND zoneId = :z", Map.of(":t", s("W24"), ":z", s("us")),
                b -> {})), "another region's partition holds no row of the analyst's");
        assertEquals(10, query(admin, "byPayout", "tournament = :t AND zoneId = :z", eu, b -> {}).count()
                + query(admin, "byPayout", "tournament = :t AND zoneId = :z", Map.of(":t", s("W24"), ":z", s("us")), b -> {}).count(),
                "the admin reads every index");
    }

    @Test
    void aHiddenSortAttributeOrdersNoReadOfTheAnalysts() {
        Map<String, AttributeValue> eu = Map.of(":t", s("W24"), ":z", s("eu"));
        String query = refused(() -> query(analyst, "byPayout", "tournament = :t AND zoneId = :z", eu, b -> {}));
        assertTrue(query.contains("'payout'"), "the second sort attribute orders the rows and is in every page's key: " + query);
        String scan = refused(() -> analyst.scan(b -> b.tableName("matches").indexName("byPayout")));
        assertTrue(scan.contains("'payout'"), scan);
        String ranged = refused(() -> query(analyst, "byPayout", "tournament = :t AND zoneId = :z AND round = :r AND payout > :p",
                Map.of(":t", s("W24"), ":z", s("eu"), ":r", n(1), ":p", n(1000)), b -> {}));
        assertTrue(ranged.contains("payout"), "a key condition that tests a hidden attribute: " + ranged);
    }

    @Test
    void aMaskedPartitionAttributeIsNeverTested() {
        String masked = refused(() -> query(analyst, "byCoach", "tournament = :t AND coach = :c",
                Map.of(":t", s("W24"), ":c", s("coach1")), b -> {}));
        assertTrue(masked.contains("coach"), "a guess at a masked value through the key condition: " + masked);
    }

    @Test
    void aStartKeyCarryingAHiddenValueIsRefused() {
        String start = refused(() -> query(analyst, "byRound", "tournament = :t AND zoneId = :z",
                Map.of(":t", s("W24"), ":z", s("eu")), b -> b.exclusiveStartKey(Map.of("id", s("eu0"), "tournament", s("W24"),
                        "zoneId", s("eu"), "round", n(1), "seed", n(1), "payout", n(1000)))));
        assertTrue(start.contains("payout"), start);
    }

    @Test
    void aKeysOnlyIndexWithoutTheRowFiltersAttributeIsNotRead() {
        String keysOnly = refused(() -> query(analyst, "roundKeys", "tournament = :t AND round = :r",
                Map.of(":t", s("W24"), ":r", n(1)), b -> {}));
        assertTrue(keysOnly.contains("roundKeys") && keysOnly.contains("'zoneId'"),
                "the row filter reads zoneId, which the index does not hold: " + keysOnly);
    }

    /**
     * The push-down decides the analyst's row filter with the partition's fixed values: another
     * region's partition holds no row of the analyst's, and however it is asked for (either
     * direction, Limit 1, Select COUNT, a start key at one of that partition's rows, capacity asked
     * for) the answer is the empty page, the one a partition of no rows gives, with no key and no
     * capacity: nothing of the rows that are there. The same numbers spelled otherwise fix the same
     * rows, and the legacy KeyConditions fix what the expression fixes.
     */
    @Test
    void anotherRegionsPartitionIsTheEmptyPageHoweverItIsAskedFor() {
        Map<String, AttributeValue> us = Map.of(":t", s("W24"), ":z", s("us"));
        assertEquals(5, query(admin, "byRound", "tournament = :t AND zoneId = :z", us, b -> {}).count(), "the partition has rows");
        Map<String, AttributeValue> usRow = Map.of("id", s("us0"), "tournament", s("W24"), "zoneId", s("us"), "round", n(2), "seed", n(1));
        for (boolean forward : new boolean[] {true, false}) {
            for (Integer limit : new Integer[] {null, 1}) {
                for (Map<String, AttributeValue> start : List.of(Map.<String, AttributeValue>of(), usRow)) {
                    for (Select select : new Select[] {null, Select.COUNT}) {
                        QueryResponse r = query(analyst, "byRound", "tournament = :t AND zoneId = :z", us, b -> {
                            b.scanIndexForward(forward).limit(limit).select(select).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES);
                            if (!start.isEmpty()) b.exclusiveStartKey(start);
                        });
                        String where = "forward " + forward + ", limit " + limit + ", start " + start + ", select " + select + ": " + r;
                        assertEquals(0, r.count(), where);
                        assertEquals(0, r.scannedCount(), where);
                        assertTrue(r.items().isEmpty(), where);
                        assertTrue(!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty(), where);
                        assertNull(r.consumedCapacity(), where);
                    }
                }
            }
        }
        for (String one : List.of("1", "1.0", "1E0", "10E-1")) {
            assertEquals(List.of("eu2", "eu1"), ids(query(analyst, "byRound", "tournament = :t AND zoneId = :z AND round = :one",
                    Map.of(":t", s("W24"), ":z", s("eu"), ":one", AttributeValue.fromN(one)), b -> b.scanIndexForward(true))),
                    "round " + one + " is round 1");
        }
        Map<String, Condition> legacy = Map.of(
                "tournament", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("W24")).build(),
                "zoneId", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("eu")).build());
        List<String> paged = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> at = from;
            QueryResponse page = analyst.query(b -> {
                b.tableName("matches").indexName("byRound").keyConditions(legacy).limit(2);
                if (at != null) b.exclusiveStartKey(at);
            });
            paged.addAll(ids(page));
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && ++pages < 10);
        assertEquals(List.of("eu2", "eu1", "eu0", "eu3", "eu4"), paged, "the legacy KeyConditions: the analyst's rows in the index's order");
        Map<String, Condition> legacyUs = Map.of(
                "tournament", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("W24")).build(),
                "zoneId", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("us")).build());
        QueryResponse none = analyst.query(b -> b.tableName("matches").indexName("byRound").keyConditions(legacyUs));
        assertEquals(0, none.count(), none.toString());
        assertTrue(none.items().isEmpty() && (!none.hasLastEvaluatedKey() || none.lastEvaluatedKey().isEmpty()), none.toString());
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }
}
