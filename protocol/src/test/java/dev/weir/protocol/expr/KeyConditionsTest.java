package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

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
}
