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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a write may write is its write rule's allow-list, whatever the caller may read. */
class WriteGuardTest {
    private static final DecisionTable POLICY = Decisions.compile("""
            role ingest
            role reader
            role admin
            @id("admin") allow admin on table people op [PutItem]
            @id("ingest") allow ingest on table people op [PutItem, UpdateItem, BatchWriteItem, TransactWriteItems]
              fields [id, name, region, address.city, tags]
              require item.region in principal.regions
            @id("reader-read") allow reader on table people op [GetItem]
            @id("reader-write") allow reader on table people op [UpdateItem, BatchWriteItem]
              fields [id, notes]
            """);

    private static final String KEY = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},";

    @Test
    void writesOutsideTheAllowListAreRefused() {
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET salary = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"N\":\"1\"}}}", "'salary'", Verdict.Kind.FORBIDDEN);
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.street = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"x\"}}}", "'address.street'", Verdict.Kind.FORBIDDEN);
        refused("ingest", "UpdateItem", KEY + "\"AttributeUpdates\":{\"salary\":{\"Action\":\"DELETE\"}}}", "'salary'",
                Verdict.Kind.FORBIDDEN);
        refused("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},"
                + "\"address\":{\"M\":{\"street\":{\"S\":\"x\"}}}}}", "'address.street'", Verdict.Kind.FORBIDDEN);
        refused("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"apac\"}}}",
                "requirement", Verdict.Kind.FORBIDDEN);
        refused("reader", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #n = :v\",\"ExpressionAttributeNames\":{\"#n\":\"name\"},"
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}", "'name'", Verdict.Kind.FORBIDDEN);
        refused("ingest", "BatchWriteItem", "{\"RequestItems\":{\"people\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"1\"},"
                + "\"region\":{\"S\":\"eu\"}}}}]}}", "BatchWriteItem", Verdict.Kind.UNENFORCEABLE);
    }

    @Test
    void writesInsideItAreNot() {
        allowed("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.city = :v, tags[2] = :v REMOVE #n\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}");
        allowed("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},"
                + "\"address\":{\"M\":{\"city\":{\"S\":\"x\"}}}}}");
        allowed("reader", "BatchWriteItem", "{\"RequestItems\":{\"people\":[{\"DeleteRequest\":{\"Key\":{\"id\":{\"S\":\"1\"}}}}]}}");
        allowed("reader", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"x\"}}}");
    }

    /**
     * A put under a rule that reads nothing of its item (every field, no requirement) has its
     * item only checked, not read: a malformed one is refused with the very error reading it
     * gives (AttributeValueCheckTest holds the check to the reading over every kind of item).
     */
    @Test
    void anUnrestrictedPutsItemIsCheckedAsReadingItWould() {
        allowed("admin", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"salary\":{\"N\":\"5\"},"
                + "\"address\":{\"M\":{\"street\":{\"S\":\"x\"}}}}}");
        for (String item : List.of("{\"id\":{\"S\":1}}", "{\"id\":{\"S\":\"1\"},\"a\":{}}", "{\"id\":{\"S\":\"1\",\"N\":\"2\"}}",
                "{\"a\":{\"NULL\":false}}", "{\"a\":{\"M\":{\"b\":{\"B\":\"not base64!\"}}}}", "{\"a\":{\"L\":[{\"X\":\"1\"}]}}", "[]")) {
            var expected = assertThrows(dev.weir.protocol.error.DynamoException.class,
                    () -> dev.weir.protocol.model.AttributeValueJson.item(new com.fasterxml.jackson.databind.ObjectMapper().readTree(item), "Item"));
            var e = assertThrows(dev.weir.protocol.error.DynamoException.class,
                    () -> check("admin", "PutItem", "{\"TableName\":\"people\",\"Item\":" + item + "}"), item);
            assertEquals(expected.error(), e.error(), item);
        }
    }

    private static void refused(String role, String op, String json, String named, Verdict.Kind kind) {
        Refusal e = assertThrows(Refusal.class, () -> check(role, op, json));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    private static void allowed(String role, String op, String json) {
        assertDoesNotThrow(() -> check(role, op, json));
    }

    private static void check(String role, String op, String json) {
        for (var d : Decisions.decide(POLICY, role, Map.of("regions", List.of("eu", "us")), op, json)) {
            WriteGuard.check(d.part(), d.container(), d.allowed(), d.request(), d.refuse());
        }
    }
}
