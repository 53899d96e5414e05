package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write path through the whole firewall (a stub store that answers with whole stored
 * items): what is refused before anything is sent, what is sent (the client's condition and
 * weir's rendered together, UPDATED_* asked whole), and what comes back through the caller's
 * read view.
 */
class WritePathFirewallTest {
    private static final String POLICY = """
            role admin
            role analyst
            role ingest
            @id("analyst-read") allow analyst on table people op [GetItem]
              rows where item.region == principal.region
              fields [id, region, name, salary]
              mask salary bucket(1000)
            @id("analyst-write") allow analyst on table people op [UpdateItem, DeleteItem]
            @id("ingest-write") allow ingest on table people op [PutItem, UpdateItem]
              require item.region in principal.regions
            @id("admin") allow admin on table * op *
            """;
    /** What the stub store holds under every key: a row of region {@code region}. */
    private static volatile String region = "eu";

    static FirewallHarness weir;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            String item = "{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"" + region + "\"},\"name\":{\"S\":\"Ada\"},"
                    + "\"salary\":{\"N\":\"1234\"},\"ssn\":{\"S\":\"CANARY-SSN\"}}";
            if (body.contains("attribute_exists(")) {
                return Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                        + "\"message\":\"The conditional request failed\",\"Item\":" + item + "}");
            }
            String capacity = body.contains("send-capacity") ? ",\"ConsumedCapacity\":{\"TableName\":\"people\",\"CapacityUnits\":2.5}" : "";
            return Map.entry(200, body.contains("ReturnValues") ? "{\"Attributes\":" + item + capacity + "}" : "{" + capacity.substring(Math.min(1, capacity.length())) + "}");
        }, Map.of());
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    @Test
    void aReadOfAHiddenValueIsRefusedBeforeAnythingIsSent() {
        int sent = weir.forwarded.size();
        var x = weir.call("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"ADD salary :d\",\"ExpressionAttributeValues\":{\":d\":{\"N\":\"1\"}},\"ReturnValues\":\"ALL_NEW\"}");
        assertEquals(400, x.status());
        assertTrue(x.body().contains("it tests the field 'salary'"), x.body());
        assertEquals("FORBIDDEN", x.event().decision());
        var ingest = weir.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}},"
                + "\"ReturnValues\":\"ALL_OLD\"}");
        assertEquals("FORBIDDEN", ingest.event().decision());
        assertTrue(ingest.body().contains("ReturnValues ALL_OLD"), ingest.body());
        assertEquals(sent, weir.forwarded.size(), "nothing was forwarded");
    }

    @Test
    void updatedValuesAreAskedWholeAndShownThroughTheView() throws Exception {
        region = "eu";
        int sent = weir.forwarded.size();
        var x = weir.call("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET salary = :s, notes = :s\",\"ExpressionAttributeValues\":{\":s\":{\"N\":\"1234\"}},"
                + "\"ReturnValues\":\"UPDATED_NEW\"}");
        assertEquals(200, x.status(), x.body());
        assertEquals("ALL_NEW", Requests.JSON.readTree(weir.forwarded.get(sent).body()).get("ReturnValues").asText());
        assertEquals("{\"Attributes\":{\"salary\":{\"N\":\"1000\"}}}", x.body(), "cut to what the update wrote, after the view");
        assertEquals(1, x.event().itemsReturned());
        region = "us";
        var hidden = weir.call("analyst", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},\"ReturnValues\":\"ALL_OLD\"}");
        assertEquals("{}", hidden.body(), "a row the view hides is withheld whole");
        assertEquals(1, hidden.event().rowsDropped());
        region = "eu";
    }

    @Test
    void theClientsConditionAndWeirsAreSentAsOneRenderedTree() throws Exception {
        int sent = weir.forwarded.size();
        var x = weir.call("ingest", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET #n = :weir0, #r = :r\",\"ConditionExpression\":\"attribute_not_exists(id)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":weir0\":{\"S\":\"Grace\"},\":r\":{\"S\":\"eu\"}}}");
        assertEquals(200, x.status(), x.body());
        ObjectNode body = (ObjectNode) Requests.JSON.readTree(weir.forwarded.get(sent).body());
        ExpressionContext ctx = Requests.expressions(body);
        var condition = ctx.condition("ConditionExpression", body.get("ConditionExpression").asText());
        ctx.update(body.get("UpdateExpression").asText());
        ctx.requireAllUsed();
        assertTrue(condition.test(Map.of()), "a new item: " + body);
        assertFalse(condition.test(Map.of("id", new AttributeValue.S("1"), "region", new AttributeValue.S("eu"))),
                "the client's own condition still holds: " + body);
        assertFalse(body.toString().contains("weir0"), "placeholders are weir's own: " + body);
    }

    @Test
    void aRestrictedWriteIsRenderedAndAsksForNoMetadataAndGetsNone() throws Exception {
        region = "eu";
        int sent = weir.forwarded.size();
        var x = weir.call("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"#n = :a\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"send-capacity\"},"
                + "\":a\":{\"S\":\"Ada\"}},\"ReturnValues\":\"UPDATED_OLD\",\"ReturnConsumedCapacity\":\"TOTAL\","
                + "\"ReturnItemCollectionMetrics\":\"SIZE\"}");
        assertEquals(200, x.status(), x.body());
        ObjectNode body = (ObjectNode) Requests.JSON.readTree(weir.forwarded.get(sent).body());
        assertFalse(body.has("ReturnConsumedCapacity") || body.has("ReturnItemCollectionMetrics"), "metadata not asked for: " + body);
        assertEquals("ALL_OLD", body.get("ReturnValues").asText());
        ExpressionContext ctx = Requests.expressions(body);
        var condition = ctx.condition("ConditionExpression", body.get("ConditionExpression").asText());
        ctx.update(body.get("UpdateExpression").asText());
        ctx.requireAllUsed();
        assertTrue(condition.test(Map.of("id", new AttributeValue.S("1"), "region", new AttributeValue.S("eu"),
                "name", new AttributeValue.S("Ada"))), body.toString());
        assertFalse(condition.test(Map.of("id", new AttributeValue.S("1"), "region", new AttributeValue.S("us"),
                "name", new AttributeValue.S("Ada"))), "a row the view hides fails the client's condition: " + body);
        assertFalse(x.body().contains("ConsumedCapacity"), "capacity the store sent anyway is withheld: " + x.body());
        assertFalse(x.body().contains("\"Attributes\""), "UPDATED_OLD cut to what the update wrote (notes: nothing the view shows)");
    }

    @Test
    void aFailedConditionsItemGoesThroughTheView() {
        region = "eu";
        var shown = weir.call("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"attribute_exists(#n)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"}},"
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}");
        assertEquals(400, shown.status());
        assertTrue(shown.body().contains("\"salary\":{\"N\":\"1000\"}") && !shown.body().contains("CANARY"), shown.body());
        region = "us";
        var hidden = weir.call("analyst", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"attribute_exists(#n)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"}},"
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}");
        assertFalse(hidden.body().contains("\"Item\""), hidden.body());
        region = "eu";
    }
}
