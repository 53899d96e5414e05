package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalOperator;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The legacy (pre-expression) parameters through the AWS SDK for Java v2, which still sends
 * them: AttributesToGet, KeyConditions, QueryFilter, ScanFilter, ConditionalOperator, Expected
 * and AttributeUpdates.
 */
class LegacyParametersSdkTest extends SdkTestBase {

    @BeforeAll
    static void setUp() {
        start();
        table("docs", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        table("things", "id", ScalarAttributeType.S, null, null);
        for (int i = 0; i < 10; i++) {
            int k = i;
            Map<String, AttributeValue> item = new LinkedHashMap<>(Map.of("pk", s("p"), "sk", n(k), "title", s("t" + k),
                    "size", n(k * 10)));
            if (k % 2 == 0) item.put("tags", AttributeValue.fromSs(List.of("even", "n" + k)));
            ddb.putItem(b -> b.tableName("docs").item(item));
        }
    }

    static Condition cond(ComparisonOperator op, AttributeValue... values) {
        return Condition.builder().comparisonOperator(op).attributeValueList(values).build();
    }

    static List<String> sks(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").n()).toList();
    }

    static List<Map<String, AttributeValue>> query(Consumer<QueryRequest.Builder> more) {
        return ddb.query(b -> {
            b.tableName("docs");
            more.accept(b);
        }).items();
    }

    static Map<String, Condition> keys(Condition range) {
        Map<String, Condition> m = new LinkedHashMap<>();
        m.put("pk", cond(ComparisonOperator.EQ, s("p")));
        if (range != null) m.put("sk", range);
        return m;
    }

    @Test
    void attributesToGetProjectsGetItemBatchGetItemQueryAndScan() {
        Map<String, AttributeValue> key = Map.of("pk", s("p"), "sk", n(2));
        assertEquals(Map.of("title", s("t2"), "sk", n(2)),
                ddb.getItem(b -> b.tableName("docs").key(key).attributesToGet("title", "sk", "missing")).item());
        assertEquals(List.of(Map.of("title", s("t2"))), ddb.batchGetItem(b -> b.requestItems(Map.of("docs",
                KeysAndAttributes.builder().keys(key).attributesToGet("title").build()))).responses().get("docs"));
        assertEquals(Map.of("size", n(30)), query(b -> b.keyConditions(keys(cond(ComparisonOperator.EQ, n(3))))
                .attributesToGet("size")).getFirst());
        assertEquals(10, ddb.scan(b -> b.tableName("docs").attributesToGet("title")).items().stream()
                .filter(i -> i.keySet().equals(java.util.Set.of("title"))).count());
        assertValidation("One or more parameter values were invalid: Duplicate value in attribute name: title",
                () -> ddb.getItem(b -> b.tableName("docs").key(key).attributesToGet("title", "title")));
        assertValidation("1 validation error detected: Cannot specify the AttributesToGet when choosing to get only the Count",
                () -> query(b -> b.keyConditions(keys(null)).attributesToGet("title").select(Select.COUNT)));
        assertEquals(2, ddb.query(b -> b.tableName("docs").keyConditions(keys(cond(ComparisonOperator.LT, n(2))))
                .select(Select.SPECIFIC_ATTRIBUTES).attributesToGet("sk")).count());
    }

    @Test
    void keyConditionsSelectRanges() {
        assertEquals(10, query(b -> b.keyConditions(keys(null))).size());
        assertEquals(List.of("0", "1", "2"), sks(query(b -> b.keyConditions(keys(cond(ComparisonOperator.LE, n(2)))))));
        assertEquals(List.of("7", "8", "9"), sks(query(b -> b.keyConditions(keys(cond(ComparisonOperator.GT, n(6)))))));
        assertEquals(List.of("3", "4", "5"),
                sks(query(b -> b.keyConditions(keys(cond(ComparisonOperator.BETWEEN, n(3), n(5)))))));
        assertEquals(List.of("5", "4", "3"), sks(query(b -> b.keyConditions(keys(cond(ComparisonOperator.BETWEEN, n(3), n(5))))
                .scanIndexForward(false))));
        assertValidation("Attempted conditional constraint is not an indexable operation",
                () -> query(b -> b.keyConditions(keys(cond(ComparisonOperator.NE, n(3))))));
        assertValidation("Query condition missed key schema element: pk",
                () -> query(b -> b.keyConditions(Map.of("sk", cond(ComparisonOperator.EQ, n(3))))));
        assertValidation("Query key condition not supported",
                () -> query(b -> b.keyConditions(Map.of("pk", cond(ComparisonOperator.BEGINS_WITH, s("p"))))));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> query(b -> b.keyConditions(keys(cond(ComparisonOperator.EQ, s("3"))))));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator",
                () -> query(b -> b.keyConditions(keys(cond(ComparisonOperator.BETWEEN, n(3))))));
        // KeyConditions may come with a FilterExpression
        assertEquals(List.of("8", "9"), sks(query(b -> b.keyConditions(keys(cond(ComparisonOperator.GE, n(5))))
                .filterExpression("#s > :v").expressionAttributeNames(Map.of("#s", "size"))
                .expressionAttributeValues(Map.of(":v", n(70))))));
    }

    @Test
    void queryFilterAndConditionalOperator() {
        Map<String, Condition> filter = new LinkedHashMap<>();
        filter.put("size", cond(ComparisonOperator.GE, n(70)));
        filter.put("tags", cond(ComparisonOperator.CONTAINS, s("n2")));
        assertEquals(List.of("2", "7", "8", "9"), sks(query(b -> b.keyConditions(keys(null)).queryFilter(filter)
                .conditionalOperator(ConditionalOperator.OR))));
        assertEquals(List.of("8"), sks(query(b -> b.keyConditions(keys(null)).queryFilter(Map.of(
                "size", cond(ComparisonOperator.GE, n(70)), "tags", cond(ComparisonOperator.NOT_NULL))))));
        var counted = ddb.query(b -> b.tableName("docs").keyConditions(keys(null)).queryFilter(Map.of(
                "tags", cond(ComparisonOperator.NULL))).select(Select.COUNT));
        assertEquals(5, counted.count());
        assertEquals(10, counted.scannedCount());
        assertValidation("QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
                () -> query(b -> b.keyConditions(keys(null)).queryFilter(Map.of("sk", cond(ComparisonOperator.NOT_NULL)))));
    }

    @Test
    void scanFilterWithEveryComparisonOperator() {
        assertEquals(List.of("3"), scan(Map.of("title", cond(ComparisonOperator.EQ, s("t3")))));
        assertEquals(9, scan(Map.of("title", cond(ComparisonOperator.NE, s("t3")))).size());
        assertEquals(List.of("0", "1"), scan(Map.of("size", cond(ComparisonOperator.LE, n(10)))));
        assertEquals(List.of("0"), scan(Map.of("size", cond(ComparisonOperator.LT, n(10)))));
        assertEquals(List.of("8", "9"), scan(Map.of("size", cond(ComparisonOperator.GE, n(80)))));
        assertEquals(List.of("9"), scan(Map.of("size", cond(ComparisonOperator.GT, n(80)))));
        assertEquals(List.of("0", "2", "4", "6", "8"), scan(Map.of("tags", cond(ComparisonOperator.NOT_NULL))));
        assertEquals(List.of("1", "3", "5", "7", "9"), scan(Map.of("tags", cond(ComparisonOperator.NULL))));
        assertEquals(List.of("4"), scan(Map.of("tags", cond(ComparisonOperator.CONTAINS, s("n4")))));
        assertEquals(9, scan(Map.of("tags", cond(ComparisonOperator.NOT_CONTAINS, s("n4")))).size());
        assertEquals(List.of("1"), scan(Map.of("title", cond(ComparisonOperator.BEGINS_WITH, s("t1")))));
        assertEquals(List.of("1", "5"), scan(Map.of("title", cond(ComparisonOperator.IN, s("t1"), s("t5"), s("zz")))));
        assertEquals(List.of("2", "3", "4"), scan(Map.of("size", cond(ComparisonOperator.BETWEEN, n(20), n(40)))));
        assertEquals(List.of("0", "9"), sks(ddb.scan(b -> b.tableName("docs").scanFilter(Map.of(
                "size", cond(ComparisonOperator.GT, n(80)), "title", cond(ComparisonOperator.EQ, s("t0"))))
                .conditionalOperator(ConditionalOperator.OR)).items().stream()
                .sorted(java.util.Comparator.comparing(i -> Integer.parseInt(i.get("sk").n()))).toList()));
        assertValidation("One or more parameter values were invalid: ComparisonOperator GT is not valid for SS AttributeValue type",
                () -> scan(Map.of("tags", cond(ComparisonOperator.GT, AttributeValue.fromSs(List.of("x"))))));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator",
                () -> scan(Map.of("tags", cond(ComparisonOperator.NULL, s("x")))));
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                () -> scan(Map.of("size", cond(ComparisonOperator.BETWEEN, n(40), n(20)))));
        assertValidation("ExpressionAttributeNames can only be specified when using expressions",
                () -> ddb.scan(b -> b.tableName("docs").scanFilter(Map.of("tags", cond(ComparisonOperator.NULL)))
                        .expressionAttributeNames(Map.of("#t", "tags"))));
    }

    static List<String> scan(Map<String, Condition> filter) {
        return sks(ddb.scan(b -> b.tableName("docs").scanFilter(filter)).items().stream()
                .sorted(java.util.Comparator.comparing(i -> Integer.parseInt(i.get("sk").n()))).toList());
    }

    @Test
    void expectedMakesPutAndDeleteConditional() {
        Map<String, AttributeValue> item = Map.of("id", s("e1"), "v", n(1));
        Map<String, ExpectedAttributeValue> absent = Map.of("id", ExpectedAttributeValue.builder().exists(false).build());
        ddb.putItem(b -> b.tableName("things").item(item).expected(absent));
        assertError(ConditionalCheckFailedException.class, "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.putItem(b -> b.tableName("things").item(item).expected(absent)));
        Map<String, ExpectedAttributeValue> wrongVersion = Map.of("v", ExpectedAttributeValue.builder().value(n(2)).build());
        assertError(ConditionalCheckFailedException.class, "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.deleteItem(b -> b.tableName("things").key(Map.of("id", s("e1"))).expected(wrongVersion)));
        Map<String, ExpectedAttributeValue> either = new LinkedHashMap<>(wrongVersion);
        either.put("id", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.BEGINS_WITH)
                .attributeValueList(s("e")).build());
        ddb.deleteItem(b -> b.tableName("things").key(Map.of("id", s("e1"))).expected(either)
                .conditionalOperator(ConditionalOperator.OR));
        assertNull(ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("e1")))).item().get("id"));
        assertValidation("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: v",
                () -> ddb.putItem(b -> b.tableName("things").item(item).expected(Map.of("v",
                        ExpectedAttributeValue.builder().exists(true).build()))));
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                () -> ddb.putItem(b -> b.tableName("things").item(item).expected(absent).conditionExpression("attribute_exists(v)")));
    }

    @Test
    void attributeUpdatesPutAddAndDelete() {
        Map<String, AttributeValue> key = Map.of("id", s("u1"));
        ddb.putItem(b -> b.tableName("things").item(Map.of("id", s("u1"), "count", n(1), "gone", s("x"),
                "tags", AttributeValue.fromSs(List.of("a", "b")), "list", AttributeValue.fromL(List.of(s("first"))))));
        Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>();
        updates.put("title", AttributeValueUpdate.builder().value(s("hello")).build());
        updates.put("count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n(41)).build());
        updates.put("gone", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build());
        updates.put("tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE).value(AttributeValue.fromSs(List.of("a"))).build());
        updates.put("more", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromNs(List.of("7"))).build());
        updates.put("list", AttributeValueUpdate.builder().action(AttributeAction.ADD)
                .value(AttributeValue.fromL(List.of(s("second")))).build());
        Map<String, AttributeValue> updated = ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(updates)
                .expected(Map.of("count", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.LT)
                        .attributeValueList(n(10)).build()))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        assertEquals(Map.of("title", s("hello"), "count", n(42), "tags", AttributeValue.fromSs(List.of("b")),
                "more", AttributeValue.fromNs(List.of("7")), "list", AttributeValue.fromL(List.of(s("first"), s("second")))),
                updated);
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("things").key(key)).item();
        assertFalse(item.containsKey("gone"));
        assertEquals(n(42), item.get("count"));

        assertError(ConditionalCheckFailedException.class, "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(updates)
                        .expected(Map.of("count", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.LT)
                                .attributeValueList(n(10)).build()))));
        assertValidation("One or more parameter values were invalid: Type mismatch for attribute to update",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(Map.of("title",
                        AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n(1)).build()))));
        assertValidation("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(Map.of("id",
                        AttributeValueUpdate.builder().value(s("other")).build()))));
        assertValidation("One or more parameter values were invalid: ADD action is not supported for the type S",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(Map.of("title",
                        AttributeValueUpdate.builder().action(AttributeAction.ADD).value(s("x")).build()))));
        assertValidation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(Map.of("title",
                        AttributeValueUpdate.builder().action(AttributeAction.PUT).build()))));
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
                () -> ddb.updateItem(b -> b.tableName("things").key(key).attributeUpdates(updates).updateExpression("REMOVE x")));

        // a new item: ADD creates the counter
        ddb.updateItem(b -> b.tableName("things").key(Map.of("id", s("u2"))).attributeUpdates(Map.of("hits",
                AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n(1)).build())));
        assertEquals(Map.of("id", s("u2"), "hits", n(1)), ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("u2")))).item());
    }
}
