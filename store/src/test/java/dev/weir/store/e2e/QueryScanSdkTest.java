package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query and Scan on tables, global and local secondary indexes, through the SDK. */
class QueryScanSdkTest extends SdkTestBase {

    @BeforeAll
    static void setUp() {
        start();
        table("events", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N, b -> b
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("status").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("owner").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("prio").attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexes(
                        gsi("byStatus", "status", "sk", Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()),
                        gsi("byOwner", "owner", null, Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("title").build()),
                        gsi("allByOwner", "owner", "sk", Projection.builder().projectionType(ProjectionType.ALL).build()))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byPrio")
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("prio").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
        for (int i = 0; i < 20; i++) {
            int k = i;
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(i < 10 ? "a" : "b"), "sk", n(k - 5),
                    "title", s("t" + i), "body", s("body" + i), "prio", n(100 - k)));
            if (i % 2 == 0) item.put("status", s(i % 4 == 0 ? "open" : "closed"));
            if (i % 3 == 0) item.put("owner", s("ann"));
            ddb.putItem(b -> b.tableName("events").item(item));
        }
    }

    static GlobalSecondaryIndex gsi(String name, String hash, String range, Projection projection) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
        if (range != null) keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(projection).build();
    }

    static QueryResponse query(Consumer<QueryRequest.Builder> more) {
        return ddb.query(b -> {
            b.tableName("events");
            more.accept(b);
        });
    }

    static List<String> sks(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").n()).toList();
    }

    @Test
    void rangeConditionsSelectNumericRanges() {
        Map<String, AttributeValue> a = Map.of(":a", s("a"));
        assertEquals(List.of("-5", "-4", "-3", "-2", "-1", "0", "1", "2", "3", "4"),
                sks(query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(a)).items()));
        assertEquals(List.of("-5", "-4", "-3"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk < :v")
                .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(-2)))).items()));
        assertEquals(List.of("-5", "-4", "-3", "-2"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk <= :v")
                .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(-2)))).items()));
        assertEquals(List.of("3", "4"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk > :v")
                .expressionAttributeValues(Map.of(":a", s("a"), ":v", n("2.5")))).items()));
        assertEquals(List.of("2", "3", "4"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk >= :v")
                .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(2)))).items()));
        assertEquals(List.of("-1", "0", "1"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk BETWEEN :l AND :h")
                .expressionAttributeValues(Map.of(":a", s("a"), ":l", n(-1), ":h", n(1)))).items()));
        assertEquals(List.of("0"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk = :v")
                .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(0)))).items()));
        assertEquals(List.of("4", "3", "2"), sks(query(b -> b.keyConditionExpression("pk = :a AND sk >= :v")
                .scanIndexForward(false).expressionAttributeValues(Map.of(":a", s("a"), ":v", n(2)))).items()));
    }

    @Test
    void beginsWithOnStringRangeKeys() {
        table("words", "pk", ScalarAttributeType.S, "w", ScalarAttributeType.S);
        for (String w : List.of("app", "apple", "apply", "apt", "banana", "ap")) {
            ddb.putItem(b -> b.tableName("words").item(Map.of("pk", s("x"), "w", s(w))));
        }
        QueryResponse r = ddb.query(b -> b.tableName("words").keyConditionExpression("pk = :x AND begins_with(w, :p)")
                .expressionAttributeValues(Map.of(":x", s("x"), ":p", s("app"))));
        assertEquals(List.of("app", "apple", "apply"), r.items().stream().map(i -> i.get("w").s()).toList());
    }

    @Test
    void limitCountsEvaluatedItemsAndPaginates() {
        QueryResponse first = query(b -> b.keyConditionExpression("pk = :a").filterExpression("begins_with(title, :t)")
                .expressionAttributeValues(Map.of(":a", s("a"), ":t", s("t1"))).limit(3));
        assertEquals(3, first.scannedCount());
        assertEquals(1, first.count());
        assertEquals(Map.of("pk", s("a"), "sk", n(-3)), first.lastEvaluatedKey());
        List<String> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s("a")))
                    .limit(4).exclusiveStartKey(from));
            all.addAll(sks(page.items()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertEquals(10, all.size());
        assertEquals(3, pages);
    }

    @Test
    void selectCountAndProjection() {
        QueryResponse count = query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s("a")))
                .select(Select.COUNT));
        assertEquals(10, count.count());
        assertFalse(count.hasItems());
        QueryResponse projected = query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s("a")))
                .projectionExpression("title").limit(1));
        assertEquals(List.of(Map.of("title", s("t0"))), projected.items());
        assertValidation("1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                () -> query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s("a")))
                        .select(Select.SPECIFIC_ATTRIBUTES)));
        assertValidation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                () -> ddb.scan(b -> b.tableName("events").select(Select.ALL_PROJECTED_ATTRIBUTES)));
    }

    @Test
    void globalIndexesWithEveryProjection() {
        QueryResponse open = query(b -> b.indexName("byStatus").keyConditionExpression("#s = :o")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":o", s("open"))));
        assertEquals(List.of("-5", "-1", "3", "7", "11"), sks(open.items()));
        assertEquals(Set.of("pk", "sk", "status"), open.items().getFirst().keySet());
        QueryResponse owner = query(b -> b.indexName("byOwner").keyConditionExpression("#o = :ann")
                .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":ann", s("ann"))));
        assertEquals(7, owner.count());
        assertEquals(Set.of("pk", "sk", "owner", "title"), owner.items().getFirst().keySet());
        QueryResponse all = query(b -> b.indexName("allByOwner").keyConditionExpression("#o = :ann AND sk > :z")
                .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":ann", s("ann"), ":z", n(0)))
                .scanIndexForward(false));
        assertEquals(List.of("13", "10", "7", "4", "1"), sks(all.items()));
        assertTrue(all.items().getFirst().containsKey("body"));
        assertValidation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                        + "secondary index byStatus because its projection type is not ALL",
                () -> query(b -> b.indexName("byStatus").keyConditionExpression("#s = :o").select(Select.ALL_ATTRIBUTES)
                        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":o", s("open")))));
        assertValidation("Consistent reads are not supported on global secondary indexes",
                () -> ddb.scan(b -> b.tableName("events").indexName("byStatus").consistentRead(true)));
        assertValidation("The table does not have the specified index: nope",
                () -> ddb.scan(b -> b.tableName("events").indexName("nope")));
    }

    @Test
    void indexQueriesPaginateWithIndexKeys() {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = query(b -> b.indexName("byOwner").keyConditionExpression("#o = :ann")
                    .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":ann", s("ann")))
                    .limit(2).exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(i.get("pk").s() + i.get("sk").n()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) assertEquals(Set.of("pk", "sk", "owner"), start.keySet());
        } while (start != null);
        assertEquals(7, seen.size());
        assertEquals(7, new HashSet<>(seen).size());
        assertValidation("The provided starting key is invalid: The provided key element does not match the schema",
                () -> query(b -> b.indexName("byOwner").keyConditionExpression("#o = :ann")
                        .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":ann", s("ann")))
                        .exclusiveStartKey(Map.of("pk", s("a"), "sk", n(1)))));
    }

    @Test
    void writesReportIndexCapacity() {
        var r = ddb.putItem(b -> b.tableName("events").item(Map.of("pk", s("c"), "sk", n(1), "status", s("open"),
                "owner", s("bo"), "prio", n(1))).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(5.0, r.consumedCapacity().capacityUnits());
        assertEquals(1.0, r.consumedCapacity().table().capacityUnits());
        assertEquals(Set.of("byStatus", "byOwner", "allByOwner"), r.consumedCapacity().globalSecondaryIndexes().keySet());
        assertEquals(Set.of("byPrio"), r.consumedCapacity().localSecondaryIndexes().keySet());
        ddb.deleteItem(b -> b.tableName("events").key(Map.of("pk", s("c"), "sk", n(1))));
    }

    @Test
    void filtersUseEveryFunctionAndOperator() {
        Map<String, AttributeValue> v = Map.of(":a", s("a"), ":s", s("S"), ":one", s("1"), ":two", n(2),
                ":lo", n(92), ":hi", n(95), ":t3", s("t3"), ":t4", s("t4"));
        QueryResponse r = query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(v)
                .filterExpression("attribute_type(title, :s) AND contains(title, :one) AND size(title) = :two "
                        + "OR (prio BETWEEN :lo AND :hi AND NOT title IN (:t3, :t4)) AND attribute_exists(body) "
                        + "AND attribute_not_exists(nothing) AND NOT begins_with(body, :a) OR title = :t3"));
        assertEquals(List.of("-4", "-2", "0", "1", "2", "3"), sks(r.items()));
    }

    @Test
    void legacyAndExpressionParametersDoNotMix() {
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}",
                () -> query(b -> b.keyConditions(Map.of()).keyConditionExpression("pk = :a")
                        .expressionAttributeValues(Map.of(":a", s("a")))));
        assertValidation("Conditions can be of length 1 or 2 only", () -> query(b -> b.keyConditions(Map.of())));
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}",
                () -> ddb.scan(b -> b.tableName("events").scanFilter(Map.of()).filterExpression("attribute_exists(x)")));
    }

    @Test
    void indexesFollowUpdatesAndDeletes() {
        table("moves", "id", ScalarAttributeType.S, null, null, b -> b
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(gsi("byG", "g", null, Projection.builder().projectionType(ProjectionType.ALL).build())));
        ddb.putItem(b -> b.tableName("moves").item(Map.of("id", s("1"), "g", s("red"))));
        ddb.updateItem(b -> b.tableName("moves").key(Map.of("id", s("1"))).updateExpression("SET g = :b")
                .expressionAttributeValues(Map.of(":b", s("blue"))));
        assertEquals(0, ddb.query(b -> b.tableName("moves").indexName("byG").keyConditionExpression("g = :r")
                .expressionAttributeValues(Map.of(":r", s("red")))).count());
        assertEquals(1, ddb.query(b -> b.tableName("moves").indexName("byG").keyConditionExpression("g = :b")
                .expressionAttributeValues(Map.of(":b", s("blue")))).count());
        ddb.updateItem(b -> b.tableName("moves").key(Map.of("id", s("1"))).updateExpression("REMOVE g"));
        assertEquals(0, ddb.scan(b -> b.tableName("moves").indexName("byG")).count());
        assertValidation("One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG",
                () -> ddb.putItem(b -> b.tableName("moves").item(Map.of("id", s("2"), "g", n(1)))));
        ddb.putItem(b -> b.tableName("moves").item(Map.of("id", s("3"), "g", s("green"))));
        ddb.deleteItem(b -> b.tableName("moves").key(Map.of("id", s("3"))));
        assertEquals(0, ddb.scan(b -> b.tableName("moves").indexName("byG")).count());
    }

    @Test
    void localIndexFetchesFromTheTableWhenAsked() {
        QueryResponse keys = query(b -> b.indexName("byPrio").keyConditionExpression("pk = :a AND prio < :p")
                .expressionAttributeValues(Map.of(":a", s("a"), ":p", n(93))));
        assertEquals(List.of("4", "3"), sks(keys.items()));
        assertEquals(Set.of("pk", "sk", "prio"), keys.items().getFirst().keySet());
        QueryResponse full = query(b -> b.indexName("byPrio").keyConditionExpression("pk = :a AND prio < :p")
                .select(Select.ALL_ATTRIBUTES).expressionAttributeValues(Map.of(":a", s("a"), ":p", n(93))));
        assertEquals(s("t9"), full.items().getFirst().get("title"));
        QueryResponse filtered = query(b -> b.indexName("byPrio").keyConditionExpression("pk = :a")
                .filterExpression("title = :t").expressionAttributeValues(Map.of(":a", s("a"), ":t", s("t2"))));
        assertEquals(1, filtered.count());
    }

    @Test
    void scanAndParallelSegmentsCoverEverything() {
        ScanResponse all = ddb.scan(b -> b.tableName("events"));
        assertEquals(20, all.count());
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int seg = 0; seg < 4; seg++) {
            int segment = seg;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = ddb.scan(b -> b.tableName("events").segment(segment).totalSegments(4).limit(3).exclusiveStartKey(from));
                page.items().forEach(i -> seen.add(i.get("pk").s() + i.get("sk").n()));
                total += page.count();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        assertEquals(20, total);
        assertEquals(20, seen.size());
        ScanResponse filtered = ddb.scan(b -> b.tableName("events").filterExpression("prio > :p")
                .expressionAttributeValues(Map.of(":p", n(95))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(5, filtered.count());
        assertEquals(20, filtered.scannedCount());
        assertEquals(0.5, filtered.consumedCapacity().capacityUnits());
        assertValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not "
                + "less than TotalSegments: 4", () -> ddb.scan(b -> b.tableName("events").segment(4).totalSegments(4)));
        assertValidation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
                () -> ddb.scan(b -> b.tableName("events").segment(1)));
    }

    @Test
    void pagesStopAtOneMegabyte() {
        table("bulk", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String blob = "x".repeat(100_000);
        for (int batch = 0; batch < 2; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int k = batch * 12 + i;
                writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("p"), "sk", n(k), "blob", s(blob)))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of("bulk", writes)));
        }
        QueryResponse first = ddb.query(b -> b.tableName("bulk").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))));
        assertEquals(11, first.count());
        assertEquals(Map.of("pk", s("p"), "sk", n(10)), first.lastEvaluatedKey());
        QueryResponse rest = ddb.query(b -> b.tableName("bulk").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).exclusiveStartKey(first.lastEvaluatedKey()));
        assertEquals(11, rest.count());
        QueryResponse last = ddb.query(b -> b.tableName("bulk").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).exclusiveStartKey(rest.lastEvaluatedKey()));
        assertEquals(2, last.count());
        assertTrue(!last.hasLastEvaluatedKey() || last.lastEvaluatedKey().isEmpty());
    }

    @Test
    void keyConditionErrorsAreDynamoDbs() {
        assertValidation("Query condition missed key schema element: pk",
                () -> query(b -> b.keyConditionExpression("sk = :v").expressionAttributeValues(Map.of(":v", n(1)))));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> query(b -> b.keyConditionExpression("pk = :v").expressionAttributeValues(Map.of(":v", n(1)))));
        assertValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                () -> query(b -> b.keyConditionExpression("pk = :a").filterExpression("sk > :v")
                        .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(1)))));
        assertValidation("The provided starting key is outside query boundaries based on provided conditions",
                () -> query(b -> b.keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s("a")))
                        .exclusiveStartKey(Map.of("pk", s("b"), "sk", n(1)))));
        assertValidation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
                () -> query(b -> b.limit(1)));
        assertValidation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                        + "function: begins_with, operand type: N",
                () -> query(b -> b.keyConditionExpression("pk = :a AND begins_with(sk, :v)")
                        .expressionAttributeValues(Map.of(":a", s("a"), ":v", n(1)))));
    }
}
