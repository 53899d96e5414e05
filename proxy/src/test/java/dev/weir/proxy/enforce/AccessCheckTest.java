package dev.weir.proxy.enforce;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every side channel the firewall issue names, and their harmless neighbours. */
class AccessCheckTest {
    private static final String POLICY = """
            role analyst
            role admin
            @id("read") allow analyst on table people op [GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem]
              fields [id, name, region, email, ssn, address.*, tags]
              mask ssn show_last(4)
              remove address.street
            @id("all") allow admin on table * op *
            """;

    @Test
    void conditionsOnHiddenFieldsAreRefused() {
        assertRefused("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"ssn = :guess\",\"ExpressionAttributeValues\":{\":guess\":{\"S\":\"123-45-6789\"}}}", "ssn");
        assertRefused("Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"begins_with(ssn, :p)\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"123\"}}}", "ssn");
        assertRefused("Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"attribute_exists(salary)\"}", "salary");
        assertRefused("Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"address.street = :s\",\"ExpressionAttributeValues\":"
                + "{\":id\":{\"S\":\"1\"},\":s\":{\"S\":\"x\"}}}", "address.street");
        assertRefused("Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"size(#s) > :n\","
                + "\"ExpressionAttributeNames\":{\"#s\":\"ssn\"},\"ExpressionAttributeValues\":{\":n\":{\"N\":\"1\"}}}", "ssn");
    }

    @Test
    void updatesThatCopyOrWriteHiddenFieldsAreRefused() {
        assertRefused("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET #c = ssn\","
                + "\"ExpressionAttributeNames\":{\"#c\":\"notes\"}}", "ssn");
        assertRefused("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET salary = :v\",\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1\"}}}", "salary");
        assertRefused("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET address.street = :v\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}",
                "address.street");
    }

    @Test
    void keysOfHiddenFieldsAreRefusedProjectionsOfThemAreNot() {
        // A projection tests nothing: under a restricted view it is applied to the item as the view shows it.
        assertAllowed("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"ProjectionExpression\":\"id, ssn\"}");
        assertAllowed("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"AttributesToGet\":[\"id\",\"ssn\"]}");
        assertRefused("GetItem", "{\"TableName\":\"people\",\"Key\":{\"ssn\":{\"S\":\"123-45-6789\"}}}", "ssn");
        // The item a failed condition returns is filtered instead (FailureItemsTest).
        assertAllowed("analyst", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}");
    }

    @Test
    void legacyParametersAreSideChannelsExactlyLikeTheirTwins() {
        assertRefused("Scan", "{\"TableName\":\"people\",\"ScanFilter\":{\"ssn\":{\"ComparisonOperator\":\"BEGINS_WITH\","
                + "\"AttributeValueList\":[{\"S\":\"123\"}]}}}", "ssn");
        assertRefused("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}},\"Expected\":{\"salary\":"
                + "{\"Exists\":true,\"Value\":{\"N\":\"1\"}}}}", "salary");
        assertRefused("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"AttributeUpdates\":"
                + "{\"salary\":{\"Action\":\"PUT\",\"Value\":{\"N\":\"1\"}}}}", "salary");
        assertRefused("Query", "{\"TableName\":\"people\",\"KeyConditions\":{\"id\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"1\"}]}},\"QueryFilter\":{\"address.street\":{\"ComparisonOperator\":"
                + "\"NOT_NULL\"}}}", "address.street");
        assertAllowed("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditions\":{\"id\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"1\"}]}},\"QueryFilter\":{\"region\":{\"ComparisonOperator\":\"EQ\","
                + "\"AttributeValueList\":[{\"S\":\"eu\"}]}},\"AttributesToGet\":[\"id\",\"name\"]}");
    }

    @Test
    void aNameHoldingADotIsNeverTakenForAPath() {
        assertRefused("Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"attribute_exists(#n)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"address.city\"}}", "address.city");
    }

    @Test
    void fieldsReadableInTheClearMayBeTestedAndWritten() {
        assertAllowed("analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"#r = :r AND address.city = :c AND contains(tags, :t)\","
                + "\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":"
                + "{\":id\":{\"S\":\"1\"},\":r\":{\"S\":\"eu\"},\":c\":{\"S\":\"x\"},\":t\":{\"S\":\"t\"}}}");
        assertAllowed("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET email = :e, ssn = :s REMOVE tags\",\"ConditionExpression\":\"attribute_exists(id)\","
                + "\"ExpressionAttributeValues\":{\":e\":{\"S\":\"e\"},\":s\":{\"S\":\"s\"}}}");
        assertAllowed("admin", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"ssn = :g\","
                + "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"1\"}}}");
    }

    private void assertRefused(String op, String json, String fieldNamed) {
        Refusal e = assertThrows(Refusal.class, () -> check("analyst", op, json));
        assertEquals("AccessDeniedException", e.error().shortType());
        assertEquals(Verdict.Kind.FORBIDDEN, e.kind(), "a side channel is a forbidden probe, never an allowed request");
        assertTrue(e.error().message().contains(fieldNamed), e.error().message());
        assertTrue(!e.error().message().contains("123"), "no value in the message: " + e.error().message());
    }

    private void assertAllowed(String role, String op, String json) {
        assertDoesNotThrow(() -> check(role, op, json));
    }

    private void check(String role, String op, String json) {
        ParsedRequest req = Requests.parse(op, json);
        var table = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY))).table().orElseThrow();
        FieldPlan plan = ((Allowed) table.decide(new DecisionRequest(Set.of(role), "people", req.operation()))).fields();
        AccessCheck.check(req.single(), plan, Refusals.of(role, req.operation(), req.policyTable()));
    }
}
