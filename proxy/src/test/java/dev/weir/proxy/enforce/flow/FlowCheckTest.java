package dev.weir.proxy.enforce.flow;

import dev.weir.policy.decision.DecisionTable;
import dev.weir.proxy.enforce.Decisions;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Information flow: every path a request reads must be readable in clear in the caller's read
 * view (for a write, what a GetItem would show, never the write rule). The review's laundering
 * requests (issue 13, classes 1, 2 and 5) and their harmless neighbours.
 */
class FlowCheckTest {
    /**
     * analyst reads some fields (ssn and salary masked, the street removed) and may write every
     * field; ingest writes and reads nothing; admin does everything.
     */
    private static final DecisionTable POLICY = Decisions.compile("""
            role analyst
            role ingest
            role admin
            @id("read") allow analyst on table people op [GetItem, Query, Scan]
              fields [id, name, region, email, ssn, address.*, tags, salary, codes]
              mask ssn show_last(4)
              mask salary bucket(10000)
              mask codes show_first(1)
              remove address.street
            @id("write") allow analyst on table people op [PutItem, UpdateItem, DeleteItem, TransactWriteItems]
            @id("ingest") allow ingest on table people op [PutItem, UpdateItem, TransactWriteItems]
              fields [id, name, email, ssn, region, address.*, tags, notes]
            @id("all") allow admin on table * op *
            """);

    private static final String KEY = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},";

    @Test
    void conditionsOnHiddenFieldsAreRefused() {
        refused("analyst", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"ssn = :guess\",\"ExpressionAttributeValues\":{\":guess\":{\"S\":\"123-45-6789\"}}}", "ssn");
        refused("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"begins_with(ssn, :p)\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"123\"}}}", "ssn");
        refused("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"attribute_exists(secret)\"}", "secret");
        refused("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"address.street = :s\",\"ExpressionAttributeValues\":"
                + "{\":id\":{\"S\":\"1\"},\":s\":{\"S\":\"x\"}}}", "address.street");
        refused("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"size(#s) > :n\","
                + "\"ExpressionAttributeNames\":{\"#s\":\"ssn\"},\"ExpressionAttributeValues\":{\":n\":{\"N\":\"1\"}}}", "ssn");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"begins_with(ssn, :p)\","
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"},\":p\":{\"S\":\"1\"}}}", "ssn");
        refused("analyst", "TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"people\","
                + "\"Key\":{\"id\":{\"S\":\"1\"}},\"ConditionExpression\":\"salary > :s\",\"ExpressionAttributeValues\":"
                + "{\":s\":{\"N\":\"1\"}}}}]}", "salary");
    }

    @Test
    void launderingThroughWritesIsRefused() {
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #n = ssn\",\"ExpressionAttributeNames\":{\"#n\":\"name\"}}",
                "ssn");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.city = address.street\"}", "address");
        refused("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.city = address.street\"}", "address");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #n = if_not_exists(ssn, :x)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}", "ssn");
        refused("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = list_append(ssn, :l)\","
                + "\"ExpressionAttributeValues\":{\":l\":{\"L\":[]}}}", "ssn");
        refused("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = salary + :d\","
                + "\"ExpressionAttributeValues\":{\":d\":{\"N\":\"1\"}}}", "salary");
        refused("analyst", "TransactWriteItems", "{\"TransactItems\":[{\"Update\":{\"TableName\":\"people\","
                + "\"Key\":{\"id\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET notes = ssn\"}}]}", "ssn");
    }

    @Test
    void addAndDeleteReadTheStoredValue() {
        refused("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"ADD salary :d\",\"ExpressionAttributeValues\":"
                + "{\":d\":{\"N\":\"1\"}}}", "salary");
        refused("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"DELETE codes :g\",\"ExpressionAttributeValues\":"
                + "{\":g\":{\"SS\":[\"a\"]}}}", "codes");
        refused("analyst", "UpdateItem", KEY + "\"AttributeUpdates\":{\"salary\":{\"Action\":\"ADD\",\"Value\":{\"N\":\"1\"}}}}",
                "salary");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"ADD tags :g\",\"ExpressionAttributeValues\":"
                + "{\":g\":{\"SS\":[\"a\"]}}}", "tags");
        allowed("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"ADD tags :g\",\"ExpressionAttributeValues\":"
                + "{\":g\":{\"SS\":[\"a\"]}}}");
        allowed("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"SET salary = :s\",\"ExpressionAttributeValues\":"
                + "{\":s\":{\"N\":\"1\"}}}");
    }

    @Test
    void aWriteBelowAPathReadsThePath() {
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.zip = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"x\"}}}", "'address'");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"REMOVE tags[1]\"}", "'tags'");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET tags[3] = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"x\"}}}", "'tags'");
        allowed("analyst", "UpdateItem", KEY + "\"UpdateExpression\":\"SET tags[3] = :v REMOVE tags[1]\","
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}");
        allowed("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address = :m, #n = :n REMOVE notes\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":"
                + "{\":m\":{\"M\":{\"city\":{\"S\":\"x\"}}},\":n\":{\"S\":\"Ada\"}}}");
    }

    @Test
    void returnedValuesNeedAViewAndTheKeyInClear() {
        String rv = "\"UpdateExpression\":\"SET notes = :n\",\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"}},";
        refused("ingest", "UpdateItem", KEY + rv + "\"ReturnValues\":\"ALL_OLD\"}", "ReturnValues ALL_OLD");
        refused("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},\"ReturnValues\":\"ALL_OLD\"}",
                "ReturnValues ALL_OLD");
        refused("ingest", "UpdateItem", KEY + rv + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}",
                "ReturnValuesOnConditionCheckFailure ALL_OLD");
        refused("ingest", "TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"people\","
                + "\"Key\":{\"id\":{\"S\":\"1\"}},\"ConditionExpression\":\"attribute_exists(id)\","
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}}]}", "ReturnValuesOnConditionCheckFailure ALL_OLD");
        allowed("ingest", "UpdateItem", KEY + rv + "\"ReturnValues\":\"NONE\",\"ReturnValuesOnConditionCheckFailure\":\"NONE\"}");
        allowed("analyst", "UpdateItem", KEY + rv + "\"ReturnValues\":\"UPDATED_NEW\"}");
        refused("analyst", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"ssn\":{\"S\":\"1\"}},\"ReturnValues\":\"ALL_OLD\"}",
                "ssn");
        allowed("analyst", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"ssn\":{\"S\":\"1\"}}}");
    }

    @Test
    void aConditionOnTheNamedKeyOnlyAsksWhetherAnItemIsThere() {
        allowed("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"attribute_not_exists(id)\","
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"}}}");
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":"
                + "\"attribute_exists(id) or#i = :v\",\"ExpressionAttributeNames\":{\"#i\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"},\":v\":{\"S\":\"eu\"}}}", "region");
        refused("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"attribute_not_exists(id)\"}", "'id'");
    }

    @Test
    void legacyParametersAreReadsExactlyLikeTheirTwins() {
        refused("analyst", "Scan", "{\"TableName\":\"people\",\"ScanFilter\":{\"ssn\":{\"ComparisonOperator\":\"BEGINS_WITH\","
                + "\"AttributeValueList\":[{\"S\":\"123\"}]}}}", "ssn");
        refused("analyst", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},\"Expected\":{\"salary\":"
                + "{\"Exists\":true,\"Value\":{\"N\":\"1\"}}}}", "salary");
        refused("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditions\":{\"id\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"1\"}]}},\"QueryFilter\":{\"address.street\":{\"ComparisonOperator\":"
                + "\"NOT_NULL\"}}}", "address.street");
        allowed("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditions\":{\"id\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"1\"}]}},\"QueryFilter\":{\"region\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"eu\"}]}},\"AttributesToGet\":[\"id\",\"name\"]}");
        allowed("ingest", "UpdateItem", KEY + "\"AttributeUpdates\":{\"ssn\":{\"Action\":\"PUT\",\"Value\":{\"S\":\"1\"}}}}");
    }

    @Test
    void readsKeepTheirChecks() {
        refused("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"ssn\":{\"S\":\"123-45-6789\"}}}", "ssn");
        refused("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"attribute_exists(#n)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"address.city\"}}", "address.city");
        allowed("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"#r = :r AND address.city = :c AND contains(tags, :t)\","
                + "\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":"
                + "{\":id\":{\"S\":\"1\"},\":r\":{\"S\":\"eu\"},\":c\":{\"S\":\"x\"},\":t\":{\"S\":\"t\"}}}");
        allowed("admin", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"ssn = :g\","
                + "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"1\"}}}");
        allowed("admin", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = ssn ADD salary :d\","
                + "\"ExpressionAttributeValues\":{\":d\":{\"N\":\"1\"}},\"ReturnValues\":\"ALL_NEW\"}");
    }

    @Test
    void aProjectionReadsNothing() {
        // Under a restricted view the projection is applied to the item as the view shows it.
        allowed("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"ProjectionExpression\":\"id, ssn\"}");
        allowed("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"AttributesToGet\":[\"id\",\"secret\"]}");
        allowed("analyst", "Scan", "{\"TableName\":\"people\",\"ProjectionExpression\":\"address.street, salary\"}");
        var d = Decisions.decide(POLICY, "analyst", Map.of(), "GetItem", KEY + "\"ProjectionExpression\":\"ssn, address.street\"}")
                .getFirst();
        assertEquals(List.of("id"), reads(d).stream().map(Object::toString).toList());
    }

    @Test
    void theReadsOfAPartAreListed() {
        var d = Decisions.decide(POLICY, "analyst", Map.of(), "UpdateItem", KEY
                + "\"UpdateExpression\":\"SET a.b[2].c = x + :one, d = if_not_exists(e, :one) ADD f :one DELETE g :s REMOVE h\","
                + "\"ConditionExpression\":\"attribute_exists(id) AND k = :one\",\"ReturnValues\":\"ALL_NEW\","
                + "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"},\":s\":{\"SS\":[\"x\"]}}}").getFirst();
        assertEquals(List.of("k", "x", "e", "a.b[2]", "a.b", "a", "f", "g", "id"),
                reads(d).stream().map(Object::toString).toList());
    }

    private static void refused(String role, String op, String json, String named) {
        Refusal e = assertThrows(Refusal.class, () -> check(role, op, json));
        assertEquals("AccessDeniedException", e.error().shortType());
        assertEquals(Verdict.Kind.FORBIDDEN, e.kind(), "a flow is a forbidden probe, never an allowed request");
        assertTrue(e.error().message().contains(named), e.error().message());
        assertFalse(e.error().message().contains("123"), "no value in the message: " + e.error().message());
    }

    private static void allowed(String role, String op, String json) {
        assertDoesNotThrow(() -> check(role, op, json));
    }

    /** The paths a decided part reads, each once, in the order {@link FlowCheck#eachRead} meets them. */
    private static java.util.Set<dev.weir.protocol.expr.Path> reads(Decisions.Decided d) {
        java.util.Set<dev.weir.protocol.expr.Path> out = new java.util.LinkedHashSet<>();
        FlowCheck.eachRead(d.part(), d.container(), out::add);
        return out;
    }

    private static void check(String role, String op, String json) {
        for (var d : Decisions.decide(POLICY, role, Map.of(), op, json)) FlowCheck.check(d.part(), d.container(), d.view(), d.refuse());
    }
}
