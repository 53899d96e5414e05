package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class KeyConditionsTest {
    private static final Map<String, AttributeValue> VALUES = map(":h", s("h"), ":a", n("1"), ":b", n("2"), ":p", s("pre"), ":t", s("S"));

    private static KeyCondition analyze(String text, String hash, String range) {
        Condition c = new ExpressionContext(names("#h", "id"), VALUES).condition("KeyConditionExpression", text);
        return KeyConditions.analyze(c, hash, range);
    }

    private static String fails(String text) {
        return error(() -> analyze(text, "id", "sk"));
    }

    @Test void hashOnly() {
        assertEquals(new KeyCondition(s("h"), null), analyze("id = :h", "id", null));
        assertEquals(new KeyCondition(s("h"), null), analyze(":h = #h", "id", "sk"));
    }

    @Test void everyRangeCondition() {
        assertEquals(new RangeCondition.Eq(n("1")), analyze("id = :h AND sk = :a", "id", "sk").range());
        assertEquals(new RangeCondition.Lt(n("1")), analyze("id = :h AND sk < :a", "id", "sk").range());
        assertEquals(new RangeCondition.Le(n("1")), analyze("id = :h AND sk <= :a", "id", "sk").range());
        assertEquals(new RangeCondition.Gt(n("1")), analyze("id = :h AND sk > :a", "id", "sk").range());
        assertEquals(new RangeCondition.Ge(n("1")), analyze("sk >= :a AND id = :h", "id", "sk").range());
        assertEquals(new RangeCondition.Between(n("1"), n("2")), analyze("id = :h AND sk BETWEEN :a AND :b", "id", "sk").range());
        assertEquals(new RangeCondition.BeginsWith(s("pre")), analyze("id = :h AND begins_with(sk, :p)", "id", "sk").range());
        assertEquals(new RangeCondition.Gt(n("1")), analyze("(id = :h) AND (:a < sk)", "id", "sk").range(), "a value on the left flips the operator");
        assertEquals(new RangeCondition.Le(n("1")), analyze("id = :h AND :a >= sk", "id", "sk").range());
    }

    @Test void operatorsNotAllowed() {
        assertEquals("Invalid operator used in KeyConditionExpression: OR", fails("id = :h OR sk = :a"));
        assertEquals("Invalid operator used in KeyConditionExpression: NOT", fails("id = :h AND NOT sk = :a"));
        assertEquals("Invalid operator used in KeyConditionExpression: IN", fails("id IN (:h)"));
        assertEquals("Invalid operator used in KeyConditionExpression: <>", fails("id <> :h"));
        assertEquals("Invalid operator used in KeyConditionExpression: attribute_exists", fails("id = :h AND attribute_exists(sk)"));
        assertEquals("Invalid operator used in KeyConditionExpression: attribute_not_exists", fails("attribute_not_exists(sk)"));
        assertEquals("Invalid operator used in KeyConditionExpression: attribute_type", fails("attribute_type(sk, :t)"));
        assertEquals("Invalid operator used in KeyConditionExpression: contains", fails("contains(sk, :p)"));
        assertEquals("KeyConditionExpressions cannot contain nested operations", fails("id = :h AND size(sk) > :a"));
    }

    @Test void malformedConditions() {
        assertEquals("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition", fails("id = sk"));
        assertEquals("Invalid condition in KeyConditionExpression: No key attribute specified", fails(":h = :h"));
        assertEquals("KeyConditionExpressions cannot have conditions on nested attributes", fails("id.x = :h"));
        assertEquals("KeyConditionExpressions cannot have conditions on nested attributes", fails("id[0] = :h"));
        assertEquals("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
                fails("id = :h AND :a BETWEEN sk AND :b"));
        assertEquals("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
                fails("id = :h AND begins_with(:p, sk)"));
        assertEquals("KeyConditionExpressions must only contain one condition per key", fails("id = :h AND id = :h"));
        assertEquals("KeyConditionExpressions must only contain one condition per key", fails("id = :h AND sk > :a AND sk < :b"));
    }

    @Test void keySchemaMismatches() {
        assertEquals("Query condition missed key schema element: id", fails("sk = :a"));
        assertEquals("Query condition missed key schema element: id", fails("oth = :a"));
        assertEquals("Query condition missed key schema element: sk", fails("id = :h AND oth = :a"));
        assertEquals("Query key condition not supported", fails("id > :h"));
        assertEquals("Query key condition not supported", fails("begins_with(id, :p)"));
        assertEquals("Query key condition not supported", fails("id = :h AND sk = :a AND oth = :b"));
        assertEquals("Query key condition not supported", error(() -> analyze("id = :h AND sk = :a", "id", null)));
    }

    private static KeyCondition multi(String text) {
        Condition c = new ExpressionContext(names("#h", "id"), VALUES).condition("KeyConditionExpression", text);
        return KeyConditions.analyze(c, List.of("p1", "p2"), List.of("s1", "s2", "s3"));
    }

    @Test void multiAttributeKeysTakeEveryPartitionAttributeAndASortPrefix() {
        assertEquals(new KeyCondition(List.of(s("h"), n("1")), List.of()), multi("p2 = :a AND p1 = :h"),
                "the partition values come in the key schema's order, whatever the expression's");
        assertEquals(new KeyCondition(List.of(s("h"), n("1")), List.of(new RangeCondition.Eq(n("2")), new RangeCondition.BeginsWith(s("pre")))),
                multi("p1 = :h AND p2 = :a AND s1 = :b AND begins_with(s2, :p)"));
        assertEquals(new RangeCondition.Between(n("1"), n("2")),
                multi("p1 = :h AND p2 = :a AND s1 = :b AND s2 = :a AND s3 BETWEEN :a AND :b").range());
    }

    @Test void multiAttributeKeysRefuseWhatDynamoDbRefuses() {
        assertEquals("Query condition missed key schema element: p2", error(() -> multi("p1 = :h")));
        assertEquals("Query condition missed key schema element: p2", error(() -> multi("p1 = :h AND s1 = :a")));
        assertEquals("Query condition missed key schema element: s1", error(() -> multi("p1 = :h AND p2 = :a AND s2 = :b")),
                "sort attributes are given left to right, without a gap");
        assertEquals("Query condition missed key schema element: s2", error(() -> multi("p1 = :h AND p2 = :a AND s1 = :b AND s3 = :b")));
        assertEquals("Query key condition not supported", error(() -> multi("p1 = :h AND p2 = :a AND s1 < :b AND s2 = :b")),
                "only the last sort attribute given may have a range condition");
        assertEquals("Query key condition not supported", error(() -> multi("p1 = :h AND p2 > :a")),
                "every partition attribute needs an equality");
        assertEquals("Query condition missed key schema element: s1", error(() -> multi("p1 = :h AND p2 = :a AND extra = :b")));
        assertEquals("Query key condition not supported", error(() -> multi("p1 = :h AND p2 = :a AND s1 = :b AND s2 = :b AND s3 = :b AND x = :a")));
    }
}
