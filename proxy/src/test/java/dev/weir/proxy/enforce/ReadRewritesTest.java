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
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What weir does to a read's body under a row filter: projections read whole, the filter pushed down. */
class ReadRewritesTest {
    private static final String POLICY = """
            role analyst
            @id("r") allow analyst on table t op [Query, Scan, GetItem]
              rows where item.region == principal.region
            """;
    private final RequestDecoder decoder = new RequestDecoder();

    private DecodedRequest req(String op, String json) {
        return decoder.decode("DynamoDB_20120810." + op, json.getBytes(StandardCharsets.UTF_8));
    }

    private static DecisionRequest dr(Operation op) {
        return new DecisionRequest("a", Set.of("analyst"), Map.of("region", List.of("eu")), "t", op, Context.NONE);
    }

    private static Allowed allowed(Operation op) {
        return (Allowed) PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY))).table().orElseThrow().decide(dr(op));
    }

    @Test
    void projectionsAreReadWholeAndAppliedAfterwards() {
        DecodedRequest q = req("Scan", "{\"TableName\":\"t\",\"Select\":\"SPECIFIC_ATTRIBUTES\","
                + "\"FilterExpression\":\"#n <> :x\",\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#p\":\"pk\"},"
                + "\"ProjectionExpression\":\"#n, #p\",\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}");
        var shape = Projections.widen(q, allowed(Operation.Scan).rows());
        ObjectNode body = q.body();
        assertFalse(body.has("ProjectionExpression"));
        assertFalse(body.has("Select"));
        List<String> names = new java.util.ArrayList<>();
        body.get("ExpressionAttributeNames").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("#n"), names, "#p only served the projection");
        Map<String, AttributeValue> item = Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k"),
                "region", new AttributeValue.S("eu"), "other", new AttributeValue.S("o"));
        assertEquals(Map.of("name", new AttributeValue.S("n"), "pk", new AttributeValue.S("k")), shape.apply(item));
        DecodedRequest legacy = req("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}},\"AttributesToGet\":[\"name\"]}");
        var legacyShape = Projections.widen(legacy, allowed(Operation.GetItem).rows());
        assertFalse(legacy.body().has("AttributesToGet"));
        assertEquals(Map.of("name", new AttributeValue.S("n")), legacyShape.apply(item));
        assertNull(Projections.widen(req("Scan", "{\"TableName\":\"t\"}"), allowed(Operation.Scan).rows()));
    }

    @Test
    void theRowFilterIsPushedDownAndTheClientsFilterKept() {
        DecodedRequest scan = req("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"attribute_exists(a) OR attribute_exists(b)\"}");
        assertTrue(Pushdown.apply(scan, allowed(Operation.Scan).rows(), dr(Operation.Scan)));
        ObjectNode body = scan.body();
        var filter = new ExpressionContext(AccessCheck.names(body), AccessCheck.values(body))
                .condition("FilterExpression", body.get("FilterExpression").textValue());
        assertTrue(filter.test(Map.of("a", new AttributeValue.S("1"), "region", new AttributeValue.S("eu"))));
        assertFalse(filter.test(Map.of("a", new AttributeValue.S("1"), "region", new AttributeValue.S("us"))));
        assertFalse(filter.test(Map.of("region", new AttributeValue.S("eu"))), "the client's own filter still applies");
    }

    @Test
    void notPushedDownWhereItCouldBreakTheRequest() {
        assertFalse(Pushdown.apply(req("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"}}}"), allowed(Operation.Query).rows(), dr(Operation.Query)),
                "the range key is unknown");
        assertFalse(Pushdown.apply(req("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p AND #r = :r\","
                + "\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"},\":r\":{\"S\":\"eu\"}}}"),
                allowed(Operation.Query).rows(), dr(Operation.Query)), "region is a key attribute here");
        assertTrue(Pushdown.apply(req("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p AND sk > :s\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"},\":s\":{\"N\":\"1\"}}}"), allowed(Operation.Query).rows(),
                dr(Operation.Query)));
        assertFalse(Pushdown.apply(req("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"a = :weir0\","
                + "\"ExpressionAttributeValues\":{\":weir0\":{\"S\":\"x\"}}}"), allowed(Operation.Scan).rows(), dr(Operation.Scan)));
    }

}
