package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.ParsedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What weir forwards for a read under a restricted view: projections read whole, metadata not
 * asked for; the client's parsed request itself is never changed. (Query and Scan are paged by
 * weir: StoreReadTest.)
 */
class ReadRewritesTest {
    private static final String POLICY = """
            role analyst
            @id("r") allow analyst on table t op [Query, Scan, GetItem]
              rows where item.region == principal.region
            """;

    private static DecisionRequest dr(Operation op) {
        return new DecisionRequest("a", Set.of("analyst"), Map.of("region", List.of("eu")), "t", op, Context.NONE);
    }

    private static Allowed allowed(Operation op) {
        return (Allowed) PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY))).table().orElseThrow().decide(dr(op));
    }

    private static TableDecision decision(Operation op) {
        return new TableDecision(allowed(op), dr(op), ReadView.of(allowed(op), dr(op)));
    }

    /** The body forwarded for a single read with this rewrite. */
    private static ObjectNode forwarded(ParsedRequest req, Rewrite r) {
        ObjectNode asSent = req.body().deepCopy();
        ObjectNode sent = Requests.forwarded(req, new Plan(r.isNone() ? Map.of() : Map.of(0, r)));
        assertEquals(asSent, req.body(), "the client's request is not changed");
        return sent;
    }

    @Test
    void projectionsAreReadWholeAndAppliedAfterwards() {
        ParsedRequest get = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}},"
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#p\":\"pk\"},\"ProjectionExpression\":\"#n, #p\"}");
        Projection shape = ReadPlanner.readWhole(get.single(), decision(Operation.GetItem));
        ObjectNode body = forwarded(get, Rewrite.NONE.withReadWhole(shape));
        assertFalse(body.has("ProjectionExpression"));
        assertFalse(body.has("ExpressionAttributeNames"), "the names only served the projection (DynamoDB refuses unused names)");
        ParsedRequest batch = Requests.parse("BatchGetItem", "{\"RequestItems\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"k\"}}],"
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ProjectionExpression\":\"#n\",\"ConsistentRead\":true}}}");
        ObjectNode batchBody = Requests.forwarded(batch, new Plan(Map.of(0, Rewrite.NONE.withReadWhole(
                ReadPlanner.readWhole(batch.parts().getFirst(), decision(Operation.GetItem))))));
        assertEquals(Requests.json("{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"k\"}}],\"ConsistentRead\":true}}"),
                batchBody.get("RequestItems"), "a BatchGetItem table is read whole, its keys and consistency kept");
        Map<String, AttributeValue> item = Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k"),
                "region", new AttributeValue.S("eu"), "other", new AttributeValue.S("o"));
        assertEquals(Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k")), shape.apply(item));
        ParsedRequest legacy = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}},\"AttributesToGet\":[\"name\"]}");
        Projection legacyShape = ReadPlanner.readWhole(legacy.single(), decision(Operation.GetItem));
        assertFalse(forwarded(legacy, Rewrite.NONE.withReadWhole(legacyShape)).has("AttributesToGet"));
        assertEquals(Map.of("name", new AttributeValue.S("n")), legacyShape.apply(item));
        assertNull(ReadPlanner.readWhole(Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}").single(),
                decision(Operation.GetItem)), "no projection");
        assertNull(ReadPlanner.readWhole(legacy.single(), new TableDecision(allowed(Operation.GetItem), dr(Operation.GetItem),
                ReadView.of(dev.weir.policy.field.FieldPlan.identity(), dev.weir.policy.decision.RowFilter.ALL, dr(Operation.GetItem)))),
                "an unrestricted view: the store projects");
    }

    @Test
    void metadataTheCallerMayNotGetIsNotAskedFor() {
        ParsedRequest get = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}},"
                + "\"ReturnConsumedCapacity\":\"TOTAL\"}");
        ObjectNode sent = Requests.forwarded(get, new Plan(Map.of(), null, List.of("ReturnConsumedCapacity", "ReturnItemCollectionMetrics")));
        assertFalse(sent.has("ReturnConsumedCapacity"));
        assertEquals("k", sent.get("Key").get("pk").get("S").asText());
        assertTrue(get.body().has("ReturnConsumedCapacity"), "the client's request is not changed");
        assertNull(ForwardBody.of(Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}"),
                new Plan(Map.of(), null, List.of("ReturnConsumedCapacity")), "p"), "nothing to withhold: the client's own bytes");
    }

    @Test
    void anUnchangedRequestIsForwardedAsTheClientsOwnBytes() {
        ParsedRequest get = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}");
        assertNull(ForwardBody.of(get, new Plan(Map.of()), "p"));
    }
}
