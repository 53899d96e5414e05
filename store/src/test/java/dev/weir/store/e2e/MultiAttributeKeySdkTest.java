package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Global secondary indexes with multi-attribute keys (up to four partition and four sort
 * attributes), through the SDK: creation, description, maintenance, Query by every partition
 * attribute and a left-to-right prefix of the sort attributes, order, pages, Scan.
 */
class MultiAttributeKeySdkTest extends SdkTestBase {
    static final Projection ALL = Projection.builder().projectionType(ProjectionType.ALL).build();

    @BeforeAll
    static void setUp() {
        start();
        table("matches", "id", ScalarAttributeType.S, null, null, b -> b
                .attributeDefinitions(def("id", ScalarAttributeType.S), def("tournament", ScalarAttributeType.S),
                        def("zoneId", ScalarAttributeType.S), def("round", ScalarAttributeType.N),
                        def("bracket", ScalarAttributeType.S))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byTournament")
                        .keySchema(key("tournament", KeyType.HASH), key("zoneId", KeyType.HASH),
                                key("round", KeyType.RANGE), key("bracket", KeyType.RANGE))
                        .projection(ALL).build()));
        put("m1", "W24", "eu", 2, "upper");
        put("m2", "W24", "eu", 1, "lower");
        put("m3", "W24", "eu", 1, "upper");
        put("m4", "W24", "eu", 10, "final");
        put("m5", "W24", "us", 1, "upper");
        put("m6", "S25", "eu", 1, "upper");
        put("m7", "W24", "eu", 3, null);
        ddb.putItem(b -> b.tableName("matches").item(Map.of("id", s("m8"), "tournament", s("W24"), "round", n(1),
                "bracket", s("upper"))));
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static void put(String id, String tournament, String region, int round, String bracket) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("id", s(id), "tournament", s(tournament),
                "zoneId", s(region), "round", n(round)));
        if (bracket != null) item.put("bracket", s(bracket));
        ddb.putItem(b -> b.tableName("matches").item(item));
    }

    static QueryResponse query(String keyCondition, Map<String, AttributeValue> values, Consumer<QueryRequest.Builder> more) {
        return ddb.query(b -> {
            b.tableName("matches").indexName("byTournament").keyConditionExpression(keyCondition)
                    .expressionAttributeValues(values);
            more.accept(b);
        });
    }

    static List<String> ids(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("id").s()).toList();
    }

    @Test
    void describesTheKeySchemaInOrder() {
        GlobalSecondaryIndexDescription index = ddb.describeTable(b -> b.tableName("matches")).table().globalSecondaryIndexes().get(0);
        assertEquals(List.of(key("tournament", KeyType.HASH), key("zoneId", KeyType.HASH), key("round", KeyType.RANGE),
                key("bracket", KeyType.RANGE)), index.keySchema());
        assertEquals(6, index.itemCount(), "m7 lacks bracket and m8 zoneId: neither is indexed");
    }

    @Test
    void queriesEveryPartitionAttributeInSortOrder() {
        Map<String, AttributeValue> v = Map.of(":t", s("W24"), ":r", s("eu"));
        QueryResponse all = query("tournament = :t AND zoneId = :r", v, b -> {});
        assertEquals(List.of("m2", "m3", "m1", "m4"), ids(all.items()),
                "by round as a number (1, 1, 2, 10), then by bracket");
        assertEquals(List.of("m4", "m1", "m3", "m2"),
                ids(query("zoneId = :r AND tournament = :t", v, b -> b.scanIndexForward(false)).items()));
        assertEquals(List.of("m5"), ids(query("tournament = :t AND zoneId = :r", Map.of(":t", s("W24"), ":r", s("us")), b -> {}).items()));
    }

    @Test
    void narrowsBySortAttributesLeftToRight() {
        assertEquals(List.of("m2", "m3"), ids(query("tournament = :t AND zoneId = :r AND round = :one",
                Map.of(":t", s("W24"), ":r", s("eu"), ":one", n(1)), b -> {}).items()));
        assertEquals(List.of("m3"), ids(query("tournament = :t AND zoneId = :r AND round = :one AND begins_with(bracket, :u)",
                Map.of(":t", s("W24"), ":r", s("eu"), ":one", n(1), ":u", s("up")), b -> {}).items()));
        assertEquals(List.of("m3", "m2"), ids(query("tournament = :t AND zoneId = :r AND round = :one AND bracket <= :u",
                Map.of(":t", s("W24"), ":r", s("eu"), ":one", n(1), ":u", s("upper")), b -> b.scanIndexForward(false)).items()));
        assertEquals(List.of("m1", "m4"), ids(query("tournament = :t AND zoneId = :r AND round BETWEEN :a AND :b",
                Map.of(":t", s("W24"), ":r", s("eu"), ":a", n(2), ":b", n(10)), b -> {}).items()));
        assertEquals(List.of("m4"), ids(query("tournament = :t AND zoneId = :r AND round > :a",
                Map.of(":t", s("W24"), ":r", s("eu"), ":a", n(2)), b -> {}).items()));
        QueryResponse legacy = ddb.query(b -> b.tableName("matches").indexName("byTournament").keyConditions(Map.of(
                "tournament", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("W24")).build(),
                "zoneId", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("eu")).build())));
        assertEquals(List.of("m2", "m3", "m1", "m4"), ids(legacy.items()), "the legacy KeyConditions follow the same rules");
        assertValidation("Conditions can be of length 1 or 2 only", () -> ddb.query(b -> b.tableName("matches").indexName("byTournament")
                .keyConditions(Map.of(
                        "tournament", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("W24")).build(),
                        "zoneId", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("eu")).build(),
                        "round", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(n(1)).build()))));
    }

    @Test
    void refusesWhatAMultiAttributeKeyDoesNotAllow() {
        assertValidation("Query condition missed key schema element: zoneId",
                () -> query("tournament = :t", Map.of(":t", s("W24")), b -> {}));
        assertValidation("Query condition missed key schema element: round",
                () -> query("tournament = :t AND zoneId = :r AND bracket = :u", Map.of(":t", s("W24"), ":r", s("eu"),
                        ":u", s("upper")), b -> {}));
        assertValidation("Query key condition not supported",
                () -> query("tournament = :t AND zoneId = :r AND round > :one AND bracket = :u", Map.of(":t", s("W24"),
                        ":r", s("eu"), ":one", n(1), ":u", s("upper")), b -> {}));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> query("tournament = :t AND zoneId = :r", Map.of(":t", s("W24"), ":r", n(1)), b -> {}));
        assertValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: bracket",
                () -> query("tournament = :t AND zoneId = :r", Map.of(":t", s("W24"), ":r", s("eu"), ":u", s("x")),
                        b -> b.filterExpression("bracket = :u")));
    }

    @Test
    void pagesCarryEveryKeyAttributeOfTableAndIndex() {
        Map<String, AttributeValue> v = Map.of(":t", s("W24"), ":r", s("eu"));
        QueryResponse first = query("tournament = :t AND zoneId = :r", v, b -> b.limit(2));
        assertEquals(List.of("m2", "m3"), ids(first.items()));
        assertEquals(Map.of("id", s("m3"), "tournament", s("W24"), "zoneId", s("eu"), "round", n(1), "bracket", s("upper")),
                first.lastEvaluatedKey());
        QueryResponse rest = query("tournament = :t AND zoneId = :r", v, b -> b.exclusiveStartKey(first.lastEvaluatedKey()));
        assertEquals(List.of("m1", "m4"), ids(rest.items()));
        assertEquals(Map.of(), rest.lastEvaluatedKey());
        assertValidation("The provided starting key is invalid: The provided key element does not match the schema",
                () -> query("tournament = :t AND zoneId = :r", v, b -> b.exclusiveStartKey(Map.of("id", s("m3"),
                        "tournament", s("W24"), "zoneId", s("eu"), "round", n(1)))));
    }

    @Test
    void scansTheIndexAndFollowsUpdates() {
        List<String> scanned = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = ddb.scan(b -> b.tableName("matches").indexName("byTournament").limit(2).exclusiveStartKey(from));
            scanned.addAll(ids(page.items()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) assertEquals(java.util.Set.of("id", "tournament", "zoneId", "round", "bracket"), start.keySet());
        } while (start != null);
        assertEquals(java.util.Set.of("m1", "m2", "m3", "m4", "m5", "m6"), new java.util.HashSet<>(scanned));
        assertEquals(6, scanned.size(), "pages of a Scan neither repeat nor skip an entry");
        List<String> segmented = new ArrayList<>();
        java.util.Map<String, Integer> segmentOfPartition = new java.util.HashMap<>();
        for (int seg = 0; seg < 3; seg++) {
            int segment = seg;
            for (Map<String, AttributeValue> item : ddb.scan(b -> b.tableName("matches").indexName("byTournament")
                    .segment(segment).totalSegments(3)).items()) {
                segmented.add(item.get("id").s());
                Integer before = segmentOfPartition.putIfAbsent(item.get("tournament").s() + "/" + item.get("zoneId").s(), segment);
                assertEquals(before == null ? segment : before, segment, "a partition (both attributes) stays in one segment");
            }
        }
        assertEquals(java.util.Set.copyOf(scanned), new java.util.HashSet<>(segmented));
        assertEquals(6, segmented.size(), "the segments share no entry");
        ddb.putItem(b -> b.tableName("matches").item(Map.of("id", s("m9"), "tournament", s("S25"), "zoneId", s("eu"),
                "round", n(5), "bracket", s("lower"))));
        ddb.updateItem(b -> b.tableName("matches").key(Map.of("id", s("m6"))).updateExpression("REMOVE zoneId"));
        Map<String, AttributeValue> v = Map.of(":t", s("S25"), ":r", s("eu"));
        assertEquals(List.of("m9"), ids(query("tournament = :t AND zoneId = :r", v, b -> {}).items()),
                "m6 left the index when it lost a key attribute");
        ddb.deleteItem(b -> b.tableName("matches").key(Map.of("id", s("m9"))));
        assertEquals(List.of(), ids(query("tournament = :t AND zoneId = :r", v, b -> {}).items()));
    }

    @Test
    void createsAMultiAttributeIndexOnATableWithItems() throws InterruptedException {
        table("players", "id", ScalarAttributeType.S, null, null);
        for (int i = 0; i < 5; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName("players").item(Map.of("id", s("p" + k), "team", s(k % 2 == 0 ? "red" : "blue"),
                    "league", s("A"), "score", n(10 - k))));
        }
        ddb.updateTable(b -> b.tableName("players")
                .attributeDefinitions(def("team", ScalarAttributeType.S), def("league", ScalarAttributeType.S),
                        def("score", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byTeam")
                        .keySchema(key("league", KeyType.HASH), key("team", KeyType.HASH), key("score", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        for (int i = 0; i < 200; i++) {
            if (ddb.describeTable(b -> b.tableName("players")).table().globalSecondaryIndexes().get(0).indexStatus()
                    == IndexStatus.ACTIVE) break;
            Thread.sleep(25);
        }
        QueryResponse red = ddb.query(b -> b.tableName("players").indexName("byTeam")
                .keyConditionExpression("league = :l AND team = :t AND score >= :s")
                .expressionAttributeValues(Map.of(":l", s("A"), ":t", s("red"), ":s", n(7))));
        assertEquals(List.of("p2", "p0"), ids(red.items()));
        assertEquals(Map.of("id", s("p2"), "league", s("A"), "team", s("red"), "score", n(8)), red.items().get(0),
                "KEYS_ONLY holds every key attribute of the table and the index");
        assertNull(red.lastEvaluatedKey().isEmpty() ? null : red.lastEvaluatedKey());
    }

    @Test
    void refusesKeySchemasBeyondTheLimits() {
        List<AttributeDefinition> defs = new ArrayList<>(List.of(def("id", ScalarAttributeType.S)));
        for (int i = 1; i <= 5; i++) defs.add(def("a" + i, ScalarAttributeType.S));
        assertValidation("One or more parameter values were invalid: A global secondary index KeySchema may have at most 4 HASH "
                        + "and at most 4 RANGE KeySchemaElements; index: wide, HASH elements: 5, RANGE elements: 0",
                () -> table("wide", "id", ScalarAttributeType.S, null, null, b -> b.attributeDefinitions(defs)
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("wide").projection(ALL)
                                .keySchema(key("a1", KeyType.HASH), key("a2", KeyType.HASH), key("a3", KeyType.HASH),
                                        key("a4", KeyType.HASH), key("a5", KeyType.HASH)).build())));
        assertValidation("Invalid KeySchema: every HASH KeySchemaElement must come before the RANGE KeySchemaElements; index: mixed",
                () -> table("mixed", "id", ScalarAttributeType.S, null, null, b -> b.attributeDefinitions(defs.subList(0, 4))
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("mixed").projection(ALL)
                                .keySchema(key("a1", KeyType.HASH), key("a2", KeyType.RANGE), key("a3", KeyType.HASH)).build())));
        assertValidation("1 validation error detected: Value '3 elements' at 'localSecondaryIndexes.1.member.keySchema' failed "
                        + "to satisfy constraint: Member must have length less than or equal to 2",
                () -> table("local", "id", ScalarAttributeType.S, "a1", ScalarAttributeType.S, b -> b
                        .attributeDefinitions(defs.subList(0, 4))
                        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("local").projection(ALL)
                                .keySchema(key("id", KeyType.HASH), key("a2", KeyType.RANGE), key("a3", KeyType.RANGE)).build())));
    }
}
