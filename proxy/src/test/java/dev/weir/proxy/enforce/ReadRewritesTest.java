package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What weir forwards for a read under a row filter: projections read whole, the filter pushed
 * down; the client's parsed request itself is never changed.
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

    /** The body forwarded for a single read with this rewrite. */
    private static ObjectNode forwarded(ParsedRequest req, Rewrite r) {
        ObjectNode asSent = req.body().deepCopy();
        ObjectNode sent = Requests.forwarded(req, new Plan(r.isNone() ? Map.of() : Map.of(0, r)));
        assertEquals(asSent, req.body(), "the client's request is not changed");
        return sent;
    }

    @Test
    void projectionsAreReadWholeAndAppliedAfterwards() {
        ParsedRequest q = Requests.parse("Scan", "{\"TableName\":\"t\",\"Select\":\"SPECIFIC_ATTRIBUTES\","
                + "\"FilterExpression\":\"#n <> :x\",\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#p\":\"pk\"},"
                + "\"ProjectionExpression\":\"#n, #p\",\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}");
        Projection shape = Projections.readWhole(q.single(), allowed(Operation.Scan).rows());
        ObjectNode body = forwarded(q, Rewrite.NONE.withReadWhole(shape));
        assertFalse(body.has("ProjectionExpression"));
        assertFalse(body.has("Select"));
        List<String> names = new java.util.ArrayList<>();
        body.get("ExpressionAttributeNames").elements().forEachRemaining(n -> names.add(n.asText()));
        assertEquals(List.of("name"), names, "pk only served the projection");
        Map<String, AttributeValue> item = Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k"),
                "region", new AttributeValue.S("eu"), "other", new AttributeValue.S("o"));
        assertEquals(Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k")), shape.apply(item));
        ParsedRequest legacy = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}},\"AttributesToGet\":[\"name\"]}");
        Projection legacyShape = Projections.readWhole(legacy.single(), allowed(Operation.GetItem).rows());
        assertFalse(forwarded(legacy, Rewrite.NONE.withReadWhole(legacyShape)).has("AttributesToGet"));
        assertEquals(Map.of("name", new AttributeValue.S("n")), legacyShape.apply(item));
        assertNull(Projections.readWhole(Requests.parse("Scan", "{\"TableName\":\"t\"}").single(), allowed(Operation.Scan).rows()));
    }

    @Test
    void theRowFilterIsPushedDownAndTheClientsFilterKept() {
        ParsedRequest scan = Requests.parse("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"attribute_exists(a) OR attribute_exists(b)\"}");
        ConditionExpr pushed = Pushdown.filter(scan.single(), allowed(Operation.Scan).rows(), dr(Operation.Scan));
        assertNotNull(pushed);
        ObjectNode body = forwarded(scan, Rewrite.NONE.withFilter(pushed));
        Condition filter = Requests.expressions(body).condition("FilterExpression", body.get("FilterExpression").textValue());
        assertTrue(filter.test(Map.of("a", new AttributeValue.S("1"), "region", new AttributeValue.S("eu"))));
        assertFalse(filter.test(Map.of("a", new AttributeValue.S("1"), "region", new AttributeValue.S("us"))));
        assertFalse(filter.test(Map.of("region", new AttributeValue.S("eu"))), "the client's own filter still applies");
    }

    @Test
    void notPushedDownWhereItCouldBreakTheRequest() {
        assertNull(push("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"}}}"), "the range key is unknown");
        assertNull(push("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p AND #r = :r\","
                + "\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"},\":r\":{\"S\":\"eu\"}}}"),
                "region is a key attribute here");
        assertNotNull(push("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p AND sk > :s\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"},\":s\":{\"N\":\"1\"}}}"));
        assertNotNull(push("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"a = :weir0\","
                + "\"ExpressionAttributeValues\":{\":weir0\":{\"S\":\"x\"}}}"), "the request is rendered anew: no placeholder is reserved");
    }

    @Test
    void anUnchangedRequestIsForwardedAsTheClientsOwnBytes() {
        ParsedRequest get = Requests.parse("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}");
        assertNull(ForwardBody.of(get, new Plan(Map.of()), "p"));
    }

    private static ConditionExpr push(String op, String json) {
        ParsedRequest req = Requests.parse(op, json);
        return Pushdown.filter(req.single(), allowed(req.operation()).rows(), dr(req.operation()));
    }
}
