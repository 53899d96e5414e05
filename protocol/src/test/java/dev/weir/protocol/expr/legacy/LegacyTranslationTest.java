package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.KeyCondition;
import dev.weir.protocol.expr.KeyConditions;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.RangeCondition;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy parameters become the engine's objects and behave, and report paths, exactly like their expression twins. */
class LegacyTranslationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AttributeValue s(String v) { return new AttributeValue.S(v); }

    static AttributeValue n(String v) { return new AttributeValue.N(v); }

    static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return out;
    }

    static String error(Executable action) {
        DynamoException e = assertThrows(DynamoException.class, action);
        assertEquals("ValidationException", e.error().shortType(), e.error().message());
        return e.error().message();
    }

    private static Condition scanFilter(String filter) {
        return Legacy.translate(Operation.Scan, json("{'ScanFilter':" + filter + "}")).filter();
    }

    private static Condition expression(String text, Map<String, AttributeValue> values) {
        return new ExpressionContext(Map.of(), values).condition("FilterExpression", text);
    }

    /** Items with every kind of value the operators look at, and some without the attribute. */
    private static final List<Map<String, AttributeValue>> ITEMS = List.of(
            item(), item("a", n("3")), item("a", n("5")), item("a", n("7")), item("a", s("abc")), item("a", s("b")),
            item("a", new AttributeValue.SS(List.of("x", "y"))), item("a", new AttributeValue.NS(List.of("5", "6"))),
            item("a", new AttributeValue.L(List.of(n("5"), s("x")))), item("a", new AttributeValue.Bool(true)),
            item("a", new AttributeValue.Null()), item("b", n("5")));

    private static void assertTwins(String filter, String expressionText, Map<String, AttributeValue> values) {
        Condition legacy = scanFilter(filter);
        Condition twin = expression(expressionText, values);
        assertEquals(twin.paths(), legacy.paths(), filter);
        for (Map<String, AttributeValue> item : ITEMS) {
            assertEquals(twin.test(item), legacy.test(item), filter + " on " + item);
        }
    }

    @Test
    void everyComparisonOperatorBehavesLikeItsExpressionTwin() {
        Map<String, AttributeValue> five = Map.of(":v", n("5"));
        assertTwins("{'a':{'ComparisonOperator':'EQ','AttributeValueList':[{'N':'5'}]}}", "a = :v", five);
        assertTwins("{'a':{'ComparisonOperator':'NE','AttributeValueList':[{'N':'5'}]}}", "a <> :v", five);
        assertTwins("{'a':{'ComparisonOperator':'LE','AttributeValueList':[{'N':'5'}]}}", "a <= :v", five);
        assertTwins("{'a':{'ComparisonOperator':'LT','AttributeValueList':[{'N':'5'}]}}", "a < :v", five);
        assertTwins("{'a':{'ComparisonOperator':'GE','AttributeValueList':[{'N':'5'}]}}", "a >= :v", five);
        assertTwins("{'a':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'5'}]}}", "a > :v", five);
        assertTwins("{'a':{'ComparisonOperator':'NOT_NULL'}}", "attribute_exists(a)", Map.of());
        assertTwins("{'a':{'ComparisonOperator':'NULL'}}", "attribute_not_exists(a)", Map.of());
        assertTwins("{'a':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'N':'5'}]}}", "contains(a, :v)", five);
        assertTwins("{'a':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'S':'x'}]}}", "contains(a, :v)",
                Map.of(":v", s("x")));
        assertTwins("{'a':{'ComparisonOperator':'NOT_CONTAINS','AttributeValueList':[{'S':'x'}]}}", "NOT contains(a, :v)",
                Map.of(":v", s("x")));
        assertTwins("{'a':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'S':'a'}]}}", "begins_with(a, :v)",
                Map.of(":v", s("a")));
        assertTwins("{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'3'},{'N':'7'}]}}", "a IN (:x, :y)",
                Map.of(":x", n("3"), ":y", n("7")));
        assertTwins("{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'4'},{'N':'7'}]}}", "a BETWEEN :x AND :y",
                Map.of(":x", n("4"), ":y", n("7")));
    }

    @Test
    void conditionalOperatorJoinsWithAndOrOr() {
        Map<String, AttributeValue> values = Map.of(":v", n("5"));
        Condition and = scanFilter("{'a':{'ComparisonOperator':'EQ','AttributeValueList':[{'N':'5'}]},"
                + "'b':{'ComparisonOperator':'NOT_NULL'}}");
        assertEquals(expression("a = :v AND attribute_exists(b)", values).paths(), and.paths());
        JsonNode orRequest = json("{'ConditionalOperator':'OR','ScanFilter':{'a':{'ComparisonOperator':'EQ',"
                + "'AttributeValueList':[{'N':'5'}]},'b':{'ComparisonOperator':'NOT_NULL'}}}");
        Condition or = Legacy.translate(Operation.Scan, orRequest).filter();
        Condition orTwin = expression("a = :v OR attribute_exists(b)", values);
        for (Map<String, AttributeValue> item : ITEMS) {
            assertEquals(orTwin.test(item), or.test(item), item.toString());
            assertEquals(expression("a = :v AND attribute_exists(b)", values).test(item), and.test(item));
        }
        assertTrue(or.test(item("b", s("z"))));
        assertEquals("1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [AND, OR]",
                error(() -> Legacy.translate(Operation.Scan, json("{'ConditionalOperator':'XOR','ScanFilter':{}}"))));
    }

    @Test
    void legacyNamesAreLiteralTopLevelAttributes() {
        Condition c = scanFilter("{'a.b':{'ComparisonOperator':'NOT_NULL'},'size':{'ComparisonOperator':'NULL'}}");
        assertEquals(Set.of(Path.of("a.b"), Path.of("size")), c.paths());
        assertTrue(c.test(item("a.b", n("1"))));
        Projection p = Legacy.translate(Operation.GetItem, json("{'AttributesToGet':['a.b','c']}")).projection();
        assertEquals(List.of(Path.of("a.b"), Path.of("c")), p.paths());
        assertEquals(item("a.b", n("1")), p.apply(item("a.b", n("1"), "a", n("2"))));
    }

    @Test
    void attributesToGetIsAProjectionOfItsNames() {
        Projection p = Legacy.translate(Operation.Query, json("{'AttributesToGet':['x','y']}")).projection();
        Projection twin = new ExpressionContext(Map.of(), Map.of()).projection("x, y");
        assertEquals(twin.paths(), p.paths());
        Map<String, AttributeValue> it = item("x", n("1"), "z", n("2"));
        assertEquals(twin.apply(it), p.apply(it));
        assertEquals("One or more parameter values were invalid: Duplicate value in attribute name: x",
                error(() -> Legacy.of(json("{'AttributesToGet':['x','x']}")).attributesToGet()));
        assertEquals("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1",
                error(() -> Legacy.of(json("{'AttributesToGet':[]}")).attributesToGet()));
    }

    @Test
    void keyConditionsAreAnalysedLikeAKeyConditionExpression() {
        Condition key = Legacy.translate(Operation.Query, json("{'KeyConditions':{"
                + "'h':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'p'}]},"
                + "'r':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'1'},{'N':'9'}]}}}")).keyCondition();
        Condition twin = new ExpressionContext(Map.of(), Map.of(":h", s("p"), ":lo", n("1"), ":hi", n("9")))
                .condition("KeyConditionExpression", "h = :h AND r BETWEEN :lo AND :hi");
        assertEquals(twin.paths(), key.paths());
        KeyCondition split = KeyConditions.analyze(key, "h", "r");
        assertEquals(KeyConditions.analyze(twin, "h", "r"), split);
        assertEquals(new RangeCondition.Between(n("1"), n("9")), split.range());

        Condition beginsOnly = Legacy.of(json("{'KeyConditions':{'h':{'ComparisonOperator':'EQ',"
                + "'AttributeValueList':[{'S':'p'}]},'r':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'S':'a'}]}}}"))
                .keyConditions();
        assertEquals(new RangeCondition.BeginsWith(s("a")), KeyConditions.analyze(beginsOnly, "h", "r").range());

        Condition hashNotEq = Legacy.of(json("{'KeyConditions':{'h':{'ComparisonOperator':'GT',"
                + "'AttributeValueList':[{'S':'p'}]}}}")).keyConditions();
        assertEquals("Query key condition not supported", error(() -> KeyConditions.analyze(hashNotEq, "h", "r")));
        Condition rangeOnly = Legacy.of(json("{'KeyConditions':{'r':{'ComparisonOperator':'GT',"
                + "'AttributeValueList':[{'S':'p'}]}}}")).keyConditions();
        assertEquals("Query condition missed key schema element: h", error(() -> KeyConditions.analyze(rangeOnly, "h", "r")));

        assertEquals("Attempted conditional constraint is not an indexable operation", error(() -> Legacy.of(json(
                "{'KeyConditions':{'h':{'ComparisonOperator':'NE','AttributeValueList':[{'S':'p'}]}}}")).keyConditions()));
        assertEquals("Conditions can be of length 1 or 2 only", error(() -> Legacy.of(json("{'KeyConditions':{"
                + "'h':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'p'}]},"
                + "'r':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'p'}]},"
                + "'x':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'p'}]}}}")).keyConditions()));
    }

    @Test
    void expectedValueExistsAndComparisonOperator() {
        Condition c = Legacy.translate(Operation.PutItem, json("{'Expected':{"
                + "'a':{'Value':{'N':'5'}},'b':{'Exists':false},'c':{'Exists':true,'Value':{'S':'x'}},"
                + "'d':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'1'}]},"
                + "'e':{'ComparisonOperator':'LT','Value':{'N':'9'}}}}")).condition();
        Condition twin = new ExpressionContext(Map.of(), Map.of(":a", n("5"), ":c", s("x"), ":d", n("1"), ":e", n("9")))
                .condition("ConditionExpression", "a = :a AND attribute_not_exists(b) AND c = :c AND d > :d AND e < :e");
        assertEquals(twin.paths(), c.paths());
        Map<String, AttributeValue> ok = item("a", n("5"), "c", s("x"), "d", n("2"), "e", n("3"));
        assertTrue(c.test(ok));
        assertEquals(twin.test(ok), c.test(ok));
        Map<String, AttributeValue> bad = item("a", n("5"), "b", n("0"), "c", s("x"), "d", n("2"), "e", n("3"));
        assertEquals(twin.test(bad), c.test(bad));

        Condition or = Legacy.translate(Operation.DeleteItem, json("{'ConditionalOperator':'OR','Expected':{"
                + "'a':{'Value':{'N':'5'}},'b':{'Exists':false}}}")).condition();
        assertTrue(or.test(item("b", n("1"), "a", n("5"))));
        assertTrue(or.test(item()));
    }

    @Test
    void expectedRefusesWhatDynamoDbRefuses() {
        String p = "One or more parameter values were invalid: ";
        assertEquals(p + "Value must be provided when Exists is true for Attribute: a",
                error(() -> expected("{'a':{'Exists':true}}")));
        assertEquals(p + "Value must be provided when Exists is null for Attribute: a", error(() -> expected("{'a':{}}")));
        assertEquals(p + "Value cannot be used when Exists is false for Attribute: a",
                error(() -> expected("{'a':{'Exists':false,'Value':{'S':'x'}}}")));
        assertEquals(p + "Exists and ComparisonOperator cannot be used together for Attribute: a",
                error(() -> expected("{'a':{'Exists':true,'ComparisonOperator':'NOT_NULL'}}")));
        assertEquals(p + "Value and AttributeValueList cannot be used together for Attribute: a",
                error(() -> expected("{'a':{'Value':{'S':'x'},'AttributeValueList':[{'S':'x'}],'ComparisonOperator':'EQ'}}")));
        assertEquals(p + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
                error(() -> expected("{'a':{'AttributeValueList':[{'S':'x'}]}}")));
        assertEquals(p + "Invalid number of argument(s) for the NULL ComparisonOperator",
                error(() -> expected("{'a':{'ComparisonOperator':'NULL','Value':{'S':'x'}}}")));
    }

    private static Condition expected(String expected) {
        return Legacy.of(json("{'Expected':" + expected + "}")).expected();
    }

    @Test
    void argumentCountsAndTypesAreCheckedPerOperator() {
        String p = "One or more parameter values were invalid: ";
        for (String op : List.of("EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH")) {
            assertEquals(p + "Invalid number of argument(s) for the " + op + " ComparisonOperator",
                    error(() -> scanFilter("{'a':{'ComparisonOperator':'" + op + "'}}")), op);
            assertEquals(p + "Invalid number of argument(s) for the " + op + " ComparisonOperator",
                    error(() -> scanFilter("{'a':{'ComparisonOperator':'" + op + "','AttributeValueList':[{'S':'x'},{'S':'y'}]}}")));
        }
        for (String op : List.of("NULL", "NOT_NULL")) {
            assertEquals(p + "Invalid number of argument(s) for the " + op + " ComparisonOperator",
                    error(() -> scanFilter("{'a':{'ComparisonOperator':'" + op + "','AttributeValueList':[{'S':'x'}]}}")));
        }
        assertEquals(p + "Invalid number of argument(s) for the IN ComparisonOperator",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'IN','AttributeValueList':[]}}")));
        assertEquals(p + "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'1'}]}}")));
        for (String op : List.of("LE", "LT", "GE", "GT", "IN")) {
            assertEquals(p + "ComparisonOperator " + op + " is not valid for SS AttributeValue type",
                    error(() -> scanFilter("{'a':{'ComparisonOperator':'" + op + "','AttributeValueList':[{'SS':['x']}]}}")));
        }
        assertEquals(p + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'N':'1'}]}}")));
        assertEquals(p + "ComparisonOperator CONTAINS is not valid for NS AttributeValue type",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'NS':['1']}]}}")));
        assertEquals(p + "AttributeValues inside AttributeValueList must be of same type",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'1'},{'S':'x'}]}}")));
        assertEquals("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'9'},{'N':'1'}]}}")));
        assertEquals("1 validation error detected: Value 'LIKE' at 'scanFilter.a.member.comparisonOperator' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, "
                + "NE, LE, BEGINS_WITH, GE, CONTAINS]",
                error(() -> scanFilter("{'a':{'ComparisonOperator':'LIKE'}}")));
        assertEquals("1 validation error detected: Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy "
                + "constraint: Member must not be null",
                error(() -> Legacy.of(json("{'QueryFilter':{'a':{'AttributeValueList':[{'S':'x'}]}}}")).queryFilter()));
        // EQ and NE take any type, lists and maps included
        scanFilter("{'a':{'ComparisonOperator':'EQ','AttributeValueList':[{'M':{'x':{'L':[]}}}]}}");
        scanFilter("{'a':{'ComparisonOperator':'NE','AttributeValueList':[{'NS':['1']}]}}");
    }

    @Test
    void mixingExpressionAndLegacyParametersIsRefused() {
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                error(() -> Legacy.checkNotMixed(Operation.GetItem, json("{'AttributesToGet':['a'],'ProjectionExpression':'a'}"))));
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression}",
                error(() -> Legacy.translate(Operation.UpdateItem, json("{'UpdateExpression':'SET a = :v',"
                        + "'Expected':{'a':{'Exists':false}},'AttributeUpdates':{}}"))));
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {ScanFilter, ConditionalOperator} Expression parameters: {FilterExpression}",
                error(() -> Legacy.checkNotMixed(Operation.Scan, json("{'FilterExpression':'a = :v',"
                        + "'ScanFilter':{},'ConditionalOperator':'OR'}"))));
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}",
                error(() -> Legacy.checkNotMixed(Operation.Query, json("{'KeyConditionExpression':'h = :v','KeyConditions':{}}"))));
        // DynamoDB's one exception: KeyConditions with a FilterExpression
        Legacy.checkNotMixed(Operation.Query, json("{'FilterExpression':'a = :v','KeyConditions':{}}"));
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}",
                error(() -> Legacy.checkNotMixed(Operation.Query, json("{'KeyConditionExpression':'h = :v','QueryFilter':{}}"))));
        assertEquals(List.of("Expected", "ConditionalOperator"), Legacy.parameters(Operation.PutItem));
        assertEquals(List.of(), Legacy.parameters(Operation.TransactWriteItems));
    }

    @Test
    void emptyRequestTranslatesToNothing() {
        LegacyRequest r = Legacy.translate(Operation.UpdateItem, json("{'TableName':'t'}"));
        assertTrue(r.isEmpty());
        assertEquals(Set.of(), r.writePaths());
        assertNull(Legacy.of(json("{}")).scanFilter());
    }

    @Test
    void requestPathsCollectEveryPart() {
        LegacyRequest r = Legacy.translate(Operation.Query, json("{'AttributesToGet':['p'],"
                + "'KeyConditions':{'h':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'x'}]}},"
                + "'QueryFilter':{'f':{'ComparisonOperator':'NULL'}}}"));
        assertEquals(List.of(Path.of("p")), r.projection().paths());
        assertEquals(Set.of(Path.of("h")), Set.copyOf(r.keyCondition().paths()));
        assertEquals(Set.of(Path.of("f")), Set.copyOf(r.filter().paths()));
        LegacyRequest u = Legacy.translate(Operation.UpdateItem, json("{'Expected':{'c':{'Exists':false}},"
                + "'AttributeUpdates':{'w':{'Value':{'S':'x'}},'l':{'Action':'ADD','Value':{'L':[{'S':'x'}]}}}}"));
        assertEquals(Set.of(Path.of("c")), Set.copyOf(u.condition().paths()));
        assertEquals(Set.of(Path.of("l")), u.update().readPaths());
        assertEquals(Set.of(Path.of("w"), Path.of("l")), u.writePaths());
    }

    @Test
    void wrongJsonTypesAreSerializationErrors() {
        DynamoException e = assertThrows(DynamoException.class, () -> Legacy.of(json("{'ScanFilter':[]}")).scanFilter());
        assertEquals("SerializationException", e.error().shortType());
        e = assertThrows(DynamoException.class, () -> Legacy.of(json("{'AttributesToGet':[1]}")).attributesToGet());
        assertEquals("SerializationException", e.error().shortType());
    }

    static Update attributeUpdates(String updates) {
        return Legacy.translate(Operation.UpdateItem, json("{'AttributeUpdates':" + updates + "}")).update();
    }
}
