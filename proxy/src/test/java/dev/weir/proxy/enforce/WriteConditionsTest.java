package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conditions the firewall adds to writes, parsed and evaluated with the store's own
 * expression engine on stored items.
 */
class WriteConditionsTest {
    private static final String POLICY = """
            role ingest
            role checker
            @id("w") allow ingest on table people op [PutItem, UpdateItem, DeleteItem, TransactWriteItems]
              require item.region in principal.regions
            @id("c") allow checker on table people op [TransactWriteItems]
              rows where item.region == principal.region
            """;

    private static final Map<String, AttributeValue> EU = Map.of("id", s("1"), "region", s("eu"));
    private static final Map<String, AttributeValue> APAC = Map.of("id", s("1"), "region", s("apac"));

    @Test
    void updatesCheckTheStoredItemAndTheNewOne() {
        ObjectNode body = apply("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET #n = :n\",\"ExpressionAttributeNames\":{\"#n\":\"name\"},"
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Ada\"}}}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        assertFalse(holds(body, Map.of()), "a new item without a region");
        body = apply("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET #r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":r\":{\"S\":\"us\"}}}");
        assertTrue(holds(body, EU));
        assertTrue(holds(body, Map.of()), "created inside the caller's regions");
        assertFalse(holds(body, APAC), "an item of another region is not taken over");
    }

    @Test
    void theClientsConditionIsKeptWhateverItsParentheses() {
        for (String own : List.of("attribute_exists(#n)", "(attribute_exists(#n))", "(attribute_exists(#n)) OR (#n = :n)",
                "NOT attribute_exists(#n) OR #n = :n")) {
            ObjectNode body = apply("UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                    + "\"UpdateExpression\":\"SET #n = :n\",\"ConditionExpression\":\"" + own + "\","
                    + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Ada\"}}}");
            Map<String, AttributeValue> named = Map.of("id", s("1"), "region", s("eu"), "name", s("Ada"));
            assertTrue(holds(body, named), own + " -> " + body);
            assertFalse(holds(body, Map.of("id", s("1"), "region", s("apac"), "name", s("Ada"))), own);
        }
    }

    @Test
    void putsMayCreateOrReplaceOnlyInsideTheCallersRows() {
        ObjectNode body = apply("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}}}");
        assertTrue(holds(body, Map.of()));
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        body = apply("DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        assertFalse(holds(body, Map.of()));
    }

    @Test
    void whatCannotBeCheckedIsRefused() {
        String key = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},";
        assertDenied("UpdateItem", key + "\"UpdateExpression\":\"REMOVE #r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"}}", "'region'",
                Verdict.Kind.UNENFORCEABLE);
        assertDenied("UpdateItem", key + "\"UpdateExpression\":\"SET #r = #x\",\"ExpressionAttributeNames\":{\"#x\":\"y\",\"#r\":\"region\"}}", "'region'",
                Verdict.Kind.UNENFORCEABLE);
        assertDenied("UpdateItem", key + "\"UpdateExpression\":\"SET #r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":{\":r\":{\"S\":\"apac\"}}}",
                "requirement", Verdict.Kind.FORBIDDEN);
        assertDenied("DeleteItem", key + "\"Expected\":{\"a\":{\"Exists\":false}}}", "Expected", Verdict.Kind.UNENFORCEABLE);
        Refusal reserved = assertThrows(Refusal.class, () -> apply("UpdateItem", key
                + "\"UpdateExpression\":\"SET a = :weir0\",\"ExpressionAttributeValues\":{\":weir0\":{\"S\":\"x\"}}}"));
        assertEquals(Verdict.Kind.INVALID, reserved.kind());
        assertEquals("ValidationException", reserved.error().shortType());
        assertTrue(reserved.getMessage().contains(":weir0"), reserved.getMessage());
    }

    @Test
    void transactionConditionChecksMustSeeTheRow() throws Exception {
        ParsedRequest req = Requests.parse("TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":"
                + "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"ConditionExpression\":\"attribute_exists(id)\"}}]}");
        ObjectNode asSent = req.body().deepCopy();
        Part part = req.parts().getFirst();
        DecisionRequest dr = request("checker", Operation.TransactWriteItems);
        Conjunct c = WriteConditions.condition(part, allowed(dr), dr, Refusals.of("checker", part.acts(), part.table()), true);
        ObjectNode sent = Requests.forwarded(req, new Plan(Map.of(0, Rewrite.NONE.withCondition(c))));
        assertEquals(asSent, req.body(), "the client's request is not changed");
        ObjectNode check = (ObjectNode) sent.get("TransactItems").get(0).get("ConditionCheck");
        assertTrue(holds(check, EU));
        assertFalse(holds(check, APAC));
    }

    private void assertDenied(String op, String json, String mentions, Verdict.Kind kind) {
        Refusal e = assertThrows(Refusal.class, () -> apply(op, json));
        assertEquals("AccessDeniedException", e.error().shortType(), e.getMessage());
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    /** The body weir forwards for a write by ingest; the client's parsed request stays as it was sent. */
    private ObjectNode apply(String op, String json) {
        ParsedRequest req = Requests.parse(op, json);
        DecisionRequest dr = request("ingest", req.operation());
        Conjunct c = WriteConditions.condition(req.single(), allowed(dr), dr, Refusals.of("ingest", req.operation(), req.table()), false);
        ObjectNode sent = Requests.forwarded(req, new Plan(c == null ? Map.of() : Map.of(0, Rewrite.NONE.withCondition(c))));
        assertEquals(Requests.json(json), req.body(), "the client's request is not changed");
        return sent;
    }

    private static DecisionRequest request(String role, Operation op) {
        return new DecisionRequest("p", Set.of(role), Map.of("regions", List.of("eu", "us"), "region", List.of("eu")),
                "people", op, Context.NONE);
    }

    private static Allowed allowed(DecisionRequest dr) {
        var table = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY))).table().orElseThrow();
        return (Allowed) table.decide(dr);
    }

    /** Whether the store would accept the write on this stored item (empty: none stored). */
    private static boolean holds(ObjectNode body, Map<String, AttributeValue> stored) {
        ExpressionContext ctx = Requests.expressions(body);
        boolean ok = ctx.condition("ConditionExpression", body.get("ConditionExpression").textValue()).test(stored);
        if (body.has("UpdateExpression")) ctx.update(body.get("UpdateExpression").textValue());
        ctx.requireAllUsed();
        return ok;
    }

    private static AttributeValue s(String v) {
        return new AttributeValue.S(v);
    }
}
