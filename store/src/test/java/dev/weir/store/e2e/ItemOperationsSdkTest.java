package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PutItem, GetItem, UpdateItem and DeleteItem with expressions, return values and limits, through the SDK. */
class ItemOperationsSdkTest extends SdkTestBase {
    private static final String INVALID = "One or more parameter values were invalid: ";

    @BeforeAll
    static void setUp() {
        start();
        table("items", "id", ScalarAttributeType.S, null, null);
        table("ranged", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> get(String id) {
        return ddb.getItem(b -> b.tableName("items").key(key(id))).item();
    }

    @Test
    void updateExpressionsSetArithmeticIfNotExistsListAppendRemoveAddDelete() {
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("u1"), "n", n(10), "gone", s("x"),
                "tags", AttributeValue.fromSs(List.of("a", "b")), "xs", AttributeValue.fromSs(List.of("a", "b")), "lst", AttributeValue.fromL(List.of(n(1))))));
        ddb.updateItem(b -> b.tableName("items").key(key("u1"))
                .updateExpression("SET n = n + :two, m = if_not_exists(m, :zero) - :two, lst = list_append(lst, :more) "
                        + "REMOVE gone ADD cnt :two, tags :c DELETE xs :a")
                .expressionAttributeValues(Map.of(":two", n(2), ":zero", n(0), ":more", AttributeValue.fromL(List.of(n(2))),
                        ":c", AttributeValue.fromSs(List.of("c")), ":a", AttributeValue.fromSs(List.of("a")))));
        Map<String, AttributeValue> item = get("u1");
        assertEquals(n(12), item.get("n"));
        assertEquals(n(-2), item.get("m"));
        assertEquals(AttributeValue.fromL(List.of(n(1), n(2))), item.get("lst"));
        assertFalse(item.containsKey("gone"));
        assertEquals(n(2), item.get("cnt"));
        assertEquals(List.of("a", "b", "c"), item.get("tags").ss().stream().sorted().toList());
        assertEquals(List.of("b"), item.get("xs").ss());
    }

    @Test
    void updateCreatesAMissingItemFromItsKey() {
        ddb.updateItem(b -> b.tableName("items").key(key("fresh")).updateExpression("ADD hits :one")
                .expressionAttributeValues(Map.of(":one", n(1))));
        assertEquals(Map.of("id", s("fresh"), "hits", n(1)), get("fresh"));
        ddb.updateItem(b -> b.tableName("items").key(key("bare")));
        assertEquals(Map.of("id", s("bare")), get("bare"));
    }

    @Test
    void nestedPathsAndProjection() {
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("doc"),
                "a", AttributeValue.fromM(Map.of("b", AttributeValue.fromL(List.of(s("x"), s("y"))), "c", n(1))),
                "other", s("o"))));
        ddb.updateItem(b -> b.tableName("items").key(key("doc")).updateExpression("SET a.#b[1] = :z, a.d = :z")
                .expressionAttributeNames(Map.of("#b", "b")).expressionAttributeValues(Map.of(":z", s("z"))));
        Map<String, AttributeValue> projected = ddb.getItem(b -> b.tableName("items").key(key("doc"))
                .projectionExpression("a.b[1], a.d")).item();
        assertEquals(Map.of("a", AttributeValue.fromM(Map.of("b", AttributeValue.fromL(List.of(s("z"))), "d", s("z")))), projected);
    }

    @Test
    void returnValuesOfUpdate() {
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("rv"), "a", n(1), "b", n(2))));
        UpdateItemResponse oldAll = ddb.updateItem(b -> b.tableName("items").key(key("rv")).updateExpression("SET a = :v")
                .expressionAttributeValues(Map.of(":v", n(5))).returnValues(ReturnValue.ALL_OLD));
        assertEquals(Map.of("id", s("rv"), "a", n(1), "b", n(2)), oldAll.attributes());
        UpdateItemResponse updatedOld = ddb.updateItem(b -> b.tableName("items").key(key("rv")).updateExpression("SET a = :v")
                .expressionAttributeValues(Map.of(":v", n(6))).returnValues(ReturnValue.UPDATED_OLD));
        assertEquals(Map.of("a", n(5)), updatedOld.attributes());
        UpdateItemResponse updatedNew = ddb.updateItem(b -> b.tableName("items").key(key("rv")).updateExpression("SET a = :v")
                .expressionAttributeValues(Map.of(":v", n(7))).returnValues(ReturnValue.UPDATED_NEW));
        assertEquals(Map.of("a", n(7)), updatedNew.attributes());
        UpdateItemResponse allNew = ddb.updateItem(b -> b.tableName("items").key(key("rv")).updateExpression("REMOVE b")
                .returnValues(ReturnValue.ALL_NEW));
        assertEquals(Map.of("id", s("rv"), "a", n(7)), allNew.attributes());
        UpdateItemResponse none = ddb.updateItem(b -> b.tableName("items").key(key("rv")).updateExpression("SET a = :v")
                .expressionAttributeValues(Map.of(":v", n(8))));
        assertFalse(none.hasAttributes());
    }

    @Test
    void conditionsOnPutUpdateAndDelete() {
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("c1"), "state", s("new")))
                .conditionExpression("attribute_not_exists(id)"));
        ConditionalCheckFailedException again = assertError(ConditionalCheckFailedException.class,
                "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("c1"))).conditionExpression("attribute_not_exists(id)")));
        assertFalse(again.hasItem());
        ddb.updateItem(b -> b.tableName("items").key(key("c1")).updateExpression("SET #s = :next")
                .conditionExpression("#s = :expected").expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":next", s("claimed"), ":expected", s("new"))));
        ConditionalCheckFailedException lost = assertError(ConditionalCheckFailedException.class,
                "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.updateItem(b -> b.tableName("items").key(key("c1")).updateExpression("SET #s = :next")
                        .conditionExpression("#s = :expected").expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":next", s("claimed"), ":expected", s("new")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(Map.of("id", s("c1"), "state", s("claimed")), lost.item());
        assertError(ConditionalCheckFailedException.class, "ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.deleteItem(b -> b.tableName("items").key(key("c1")).conditionExpression("#s = :v")
                        .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":v", s("new")))));
        DeleteItemResponse deleted = ddb.deleteItem(b -> b.tableName("items").key(key("c1")).conditionExpression("#s = :v")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":v", s("claimed")))
                .returnValues(ReturnValue.ALL_OLD));
        assertEquals(Map.of("id", s("c1"), "state", s("claimed")), deleted.attributes());
        assertTrue(get("c1") == null || get("c1").isEmpty());
    }

    @Test
    void deleteOfAMissingItemSucceeds() {
        DeleteItemResponse r = ddb.deleteItem(b -> b.tableName("items").key(key("never")).returnValues(ReturnValue.ALL_OLD));
        assertFalse(r.hasAttributes());
    }

    @Test
    void consumedCapacityIsReported() {
        PutItemResponse put = ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("cap"), "big", s("x".repeat(3000))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals("items", put.consumedCapacity().tableName());
        assertEquals(3.0, put.consumedCapacity().capacityUnits());
        var got = ddb.getItem(b -> b.tableName("items").key(key("cap")).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(1.0, got.consumedCapacity().capacityUnits());
        assertEquals(1.0, got.consumedCapacity().table().capacityUnits());
        var eventually = ddb.getItem(b -> b.tableName("items").key(key("cap")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(0.5, eventually.consumedCapacity().capacityUnits());
    }

    @Test
    void expressionErrorsAreDynamoDbs() {
        assertValidation(INVALID + "Cannot update attribute id. This attribute is part of the key",
                () -> ddb.updateItem(b -> b.tableName("items").key(key("k")).updateExpression("SET id = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))));
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> ddb.putItem(b -> b.tableName("items").item(key("k")).conditionExpression("attribute_exists(id)")
                        .expressionAttributeValues(Map.of(":unused", s("x")))));
        assertValidation("ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
                () -> ddb.putItem(b -> b.tableName("items").item(key("k")).expressionAttributeValues(Map.of(":v", s("x")))));
        assertValidation("ReturnValues can only be ALL_OLD or NONE",
                () -> ddb.deleteItem(b -> b.tableName("items").key(key("k")).returnValues(ReturnValue.ALL_NEW)));
        assertValidation("Invalid ConditionExpression: The expression can not be empty;",
                () -> ddb.putItem(b -> b.tableName("items").item(key("k")).conditionExpression("")));
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                () -> ddb.putItem(b -> b.tableName("items").item(key("k")).expected(Map.of())
                        .conditionExpression("attribute_not_exists(id)")));
    }

    @Test
    void limitsAreDynamoDbs() {
        assertValidation("Item size has exceeded the maximum allowed size",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("big"), "v", s("x".repeat(400 * 1024))))));
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("almost"), "v", s("x".repeat(400 * 1024 - 20)))));
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("grow"), "v", s("x".repeat(300 * 1024)))));
        assertValidation("Item size to update has exceeded the maximum allowed size",
                () -> ddb.updateItem(b -> b.tableName("items").key(key("grow")).updateExpression("SET w = :w")
                        .expressionAttributeValues(Map.of(":w", s("y".repeat(200 * 1024))))));
        assertValidation(INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("k".repeat(2049))))));
        assertValidation(INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                () -> ddb.putItem(b -> b.tableName("ranged").item(Map.of("pk", s("p"), "sk", s("k".repeat(1025))))));
        AttributeValue deep = s("leaf");
        for (int i = 0; i < 31; i++) deep = AttributeValue.fromM(Map.of("n", deep));
        AttributeValue ok = deep;
        ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("deep"), "d", ok)));
        AttributeValue tooDeep = AttributeValue.fromM(Map.of("n", deep));
        assertValidation("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("deeper"), "d", tooDeep))));
        assertValidation(INVALID + "An string set  may not be empty",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("e"), "ss", AttributeValue.fromSs(List.of())))));
        assertValidation(INVALID + "Input collection [a, a] contains duplicates.",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("e"), "ss", AttributeValue.fromSs(List.of("a", "a"))))));
        assertValidation("Attempting to store more than 38 significant digits in a Number",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("e"), "n", n("1" + "0".repeat(37) + "1")))));
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("e"), "n", n("1E126")))));
        assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                        + "an empty string value. Key: id",
                () -> ddb.putItem(b -> b.tableName("items").item(Map.of("id", s("")))));
        Map<String, AttributeValue> many = new HashMap<>();
        many.put("id", s("emptyvalue"));
        many.put("s", s(""));
        ddb.putItem(b -> b.tableName("items").item(many));
        assertEquals(s(""), get("emptyvalue").get("s"));
    }
}
