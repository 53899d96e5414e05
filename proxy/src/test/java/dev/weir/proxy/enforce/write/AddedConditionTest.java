package dev.weir.proxy.enforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.Decisions;
import dev.weir.proxy.enforce.rewrite.Conjoin;
import dev.weir.proxy.enforce.rewrite.Render;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The condition weir adds to a write (visible rows, write scope, unchanged rows), rendered with
 * the client's own as weir sends it, and evaluated by the store's own expression engine on
 * stored items (none stored: the empty item).
 */
class AddedConditionTest {
    /**
     * ingest writes inside its regions and reads nothing; regional reads and writes its region;
     * writer reads its region (not every field) and writes everything; full reads every field of
     * its region and updates; checker reads its region and sends ConditionChecks. Row-deciding
     * paths: region, classified, address.country, tags[0].
     */
    private static final DecisionTable POLICY = Decisions.compile("""
            role ingest
            role regional
            role writer
            role full
            role checker
            role partial
            role scoped
            role seer
            @id("scoped-write") allow scoped on table people op [UpdateItem] rows where item.level == 1 or item.x == 2
            @id("seer-read") allow seer on table people op [GetItem]
            @id("seer-write") allow seer on table people op [UpdateItem] rows where item.level == 1 or item.x == 2
            @id("ingest") allow ingest on table people op [PutItem, UpdateItem, DeleteItem, TransactWriteItems]
              require item.region in principal.regions
            @id("regional-read") allow regional on table people op [GetItem] rows where item.region == principal.region
            @id("regional-write") allow regional on table people op [UpdateItem, DeleteItem, PutItem]
              rows where item.region == principal.region
            @id("writer-read") allow writer on table people op [GetItem, Query] rows where item.region == principal.region
              fields [id, region, level, b, x, name, address, classified, tags]
            @id("writer-write") allow writer on table people op [UpdateItem, PutItem, DeleteItem, TransactWriteItems]
            @id("full-read") allow full on table people op [GetItem] rows where item.region == principal.region
            @id("full-write") allow full on table people op [UpdateItem]
            @id("partial-read") allow partial on table people op [GetItem] rows where item.region == principal.region
              fields [id, name]
            @id("partial-write") allow partial on table people op [UpdateItem]
            @id("checker-read") allow checker on table people op [GetItem] rows where item.region == principal.region
            @id("checker-tx") allow checker on table people op [TransactWriteItems]
            @id("no-classified") deny * on table people op [read] rows where item.classified == true
            @id("by-country") allow checker on table people op [Scan]
              rows where item.address.country == "de" or item.tags[0] == "vip"
            """);

    private static final Map<String, List<String>> ATTRS = Map.of("regions", List.of("eu", "us"), "region", List.of("eu"));
    private static final String KEY = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}},";
    private static final Map<String, AttributeValue> NONE = Map.of();
    private static final Map<String, AttributeValue> EU = item("region", s("eu"));
    private static final Map<String, AttributeValue> US = item("region", s("us"));
    private static final Map<String, AttributeValue> APAC = item("region", s("apac"));

    @Test
    void updatesCheckTheStoredItemAndTheNewOne() {
        ObjectNode body = sent("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #n = :n\",\"ExpressionAttributeNames\":"
                + "{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Ada\"}}}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        assertFalse(holds(body, NONE), "a new item without a region");
        body = sent("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :r\",\"ExpressionAttributeNames\":"
                + "{\"#r\":\"region\"},\"ExpressionAttributeValues\":{\":r\":{\"S\":\"us\"}}}");
        assertTrue(holds(body, NONE), "created inside the caller's regions");
        assertFalse(holds(body, US), "ingest reads no region: whether a stored one is already 'us' is never tested for it");
        assertFalse(holds(body, EU), "region decides who reads the item: ingest may not move it");
        assertFalse(holds(body, APAC), "an item of another region is not taken over");
    }

    @Test
    void putsMayCreateOrReplaceOnlyInsideTheCallersScopeDeletesOnlyRemoveInsideIt() {
        ObjectNode body = sent("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}}}");
        assertTrue(holds(body, NONE));
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        body = sent("ingest", "DeleteItem", KEY.substring(0, KEY.length() - 1) + "}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
        assertFalse(holds(body, NONE), "a missing item fails like one out of scope");
    }

    @Test
    void theClientsConditionCannotEscapeThePolicysWhateverItsText() {
        for (String own : List.of("attribute_exists(#n)", "(attribute_exists(#n))", "(attribute_exists(#n)) OR (#n = :n)",
                "NOT attribute_exists(#n) OR #n = :n", "attribute_exists(id) or#n = :n", "attribute_exists(id) or:n = #n",
                "attribute_exists(id) OR (#n = :n)")) {
            String values = own.contains(":n") ? ",\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Ada\"}}" : "";
            ObjectNode body = sent("regional", "DeleteItem", KEY + "\"ConditionExpression\":\"" + own + "\","
                    + "\"ExpressionAttributeNames\":{\"#n\":\"name\"}" + values + "}");
            assertTrue(holds(body, item("region", s("eu"), "name", s("Ada"))), own + " -> " + body);
            assertFalse(holds(body, item("region", s("apac"), "name", s("Ada"))), own + " -> " + body);
            assertFalse(holds(body, item("region", s("apac"))), own + " -> " + body);
        }
    }

    @Test
    void conditionsAndReadsAreDecidedOnlyOnVisibleRows() {
        ObjectNode body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET x = b + :n\","
                + "\"ExpressionAttributeValues\":{\":n\":{\"N\":\"1\"}}}");
        assertTrue(holds(body, item("region", s("eu"), "b", n("1"))));
        assertTrue(holds(body, NONE), "no item: the update fails the same whatever is hidden");
        assertFalse(holds(body, item("region", s("us"), "b", n("1"))), "another region's row: the hidden b never decides");
        assertFalse(holds(body, item("region", s("eu"), "classified", bool(true), "b", n("1"))), "a read deny's row is hidden too");
        body = sent("writer", "DeleteItem", KEY + "\"ConditionExpression\":\"#l > :l\",\"ExpressionAttributeNames\":{\"#l\":\"level\"},"
                + "\"ExpressionAttributeValues\":{\":l\":{\"N\":\"3\"}}}");
        assertTrue(holds(body, item("region", s("eu"), "level", n("5"))));
        assertFalse(holds(body, item("region", s("us"), "level", n("5"))));
        String onlyKey = "\"ConditionExpression\":\"attribute_exists(id)\"}";
        body = sent("writer", "DeleteItem", KEY + onlyKey);
        assertEquals("attribute_exists(#n0)", body.get("ConditionExpression").asText(), "a condition on the named key only: nothing added");
        assertTrue(holds(body, item("region", s("us"))), "existence under a named key is declassified");
    }

    @Test
    void rowDecidingPathsStayAsTheyAre() {
        String eu = "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"eu\"}}}";
        ObjectNode body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :v\",\"ExpressionAttributeNames\":{\"#r\":\"region\"}," + eu);
        assertTrue(holds(body, EU));
        assertTrue(holds(body, NONE), "a new item moves nothing");
        assertFalse(holds(body, item("region", s("us"))));
        body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"REMOVE classified\"}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, item("region", s("eu"), "classified", bool(false))), "removing it would change who reads the row");
        body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address = :m\",\"ExpressionAttributeValues\":"
                + "{\":m\":{\"M\":{\"country\":{\"S\":\"de\"},\"city\":{\"S\":\"Bonn\"}}}}}");
        assertTrue(holds(body, item("region", s("eu"), "address", map("country", s("de"), "city", s("Köln")))));
        assertFalse(holds(body, item("region", s("eu"), "address", map("country", s("fr")))));
        assertFalse(holds(body, EU), "a country would appear");
        body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address = :m\",\"ExpressionAttributeValues\":"
                + "{\":m\":{\"S\":\"nowhere\"}}}");
        assertTrue(holds(body, EU), "the literal has no country, and the stored item none either");
        assertFalse(holds(body, item("region", s("eu"), "address", map("country", s("de")))));
        body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.city = :v, #n = :v, x = :v\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\"}," + eu);
        assertFalse(body.get("ExpressionAttributeNames").toString().contains("country"), "neither a prefix of the other: " + body);
        assertTrue(holds(body, item("region", s("eu"), "address", map("country", s("fr")))), "nothing moves");
    }

    @Test
    void whetherAHiddenValueAlreadyHoldsTheLiteralIsNeverTested() {
        ObjectNode body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :v\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"us\"}}}");
        assertFalse(holds(body, US), "another region's row is hidden: 'us' there must not make the write succeed");
        assertFalse(holds(body, APAC));
        body = sent("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET classified = :t\",\"ExpressionAttributeValues\":"
                + "{\":t\":{\"BOOL\":true}}}");
        assertFalse(holds(body, item("region", s("eu"), "classified", bool(true))), "a classified row is hidden by the deny");
        assertFalse(holds(body, item("region", s("eu"), "classified", bool(false))), "it would move");
        assertTrue(holds(body, NONE));
        // partial sees its region's rows but not the region itself: only a new item may get one
        body = sent("partial", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :v\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"eu\"}}}");
        assertFalse(holds(body, EU), "partial reads no region in clear");
        assertFalse(holds(body, US));
        assertTrue(holds(body, NONE));
        body = sent("full", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :v\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"us\"}}}");
        assertTrue(holds(body, EU), "full reads the whole row: it may move it");
        assertFalse(holds(body, US), "not a row it does not see, even one already in 'us'");
    }

    @Test
    void anUpdateOfWhatTheScopeReadsTellsNothingOfStoredValuesTheCallerCannotRead() {
        String setX3 = KEY + "\"UpdateExpression\":\"SET x = :v\",\"ExpressionAttributeValues\":{\":v\":{\"N\":\"3\"}}}";
        ObjectNode body = sent("scoped", "UpdateItem", setX3);
        // the item it leaves is in scope exactly when the stored level is 1: scoped reads no level, so it never learns that
        assertFalse(holds(body, item("level", n("1"), "x", n("2"))), "scoped reads no level: the mix is never tested");
        assertFalse(holds(body, item("level", n("5"), "x", n("2"))));
        assertFalse(holds(body, NONE), "a new item without level 1 is out of scope");
        body = sent("seer", "UpdateItem", setX3);
        assertTrue(holds(body, item("level", n("1"), "x", n("2"))), "seer reads level in clear: nothing to hide from it");
        assertFalse(holds(body, item("level", n("5"), "x", n("2"))), "the item it would leave is out of scope");
        // x = 2 puts the item it leaves in scope whatever is stored: no stored value is mixed in
        body = sent("scoped", "UpdateItem", KEY + "\"UpdateExpression\":\"SET x = :v\",\"ExpressionAttributeValues\":{\":v\":{\"N\":\"2\"}}}");
        assertTrue(holds(body, item("level", n("5"), "x", n("2"))), "in scope before and after");
        assertFalse(holds(body, item("level", n("5"), "x", n("3"))), "out of scope before");
        assertTrue(holds(body, NONE));
    }

    @Test
    void computedOrIndirectChangesOfRowDecidingPathsNeedTheWholeView() {
        refused("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = #n\",\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#r\":\"region\"}}",
                "it changes 'region', which decides who may read the item", Verdict.Kind.FORBIDDEN);
        refused("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET address.country = if_not_exists(address.country, :v)\","
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"de\"}}}", "'address.country'", Verdict.Kind.FORBIDDEN);
        refused("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"REMOVE tags[1]\"}", "'tags[0]'", Verdict.Kind.FORBIDDEN);
        refused("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"SET tags[3] = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"vip\"}}}", "'tags[0]'", Verdict.Kind.FORBIDDEN);
        refused("writer", "UpdateItem", KEY + "\"UpdateExpression\":\"ADD classified :t\",\"ExpressionAttributeValues\":"
                + "{\":t\":{\"N\":\"1\"}}}", "'classified'", Verdict.Kind.FORBIDDEN);
        ObjectNode body = sent("full", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = #n\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#r\":\"region\"}}");
        assertTrue(holds(body, item("region", s("eu"), "name", s("us"))), "it reads every field of the row in clear");
        assertTrue(holds(body, NONE));
        assertFalse(holds(body, item("region", s("us"), "name", s("eu"))), "but not a row it does not see");
    }

    @Test
    void aConditionCheckMustSeeTheRow() {
        ObjectNode check = sent("checker", "TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"people\","
                + "\"Key\":{\"id\":{\"S\":\"1\"}},\"ConditionExpression\":\"#r <> :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":r\":{\"S\":\"x\"}}}}]}");
        assertTrue(holds(check, EU));
        assertFalse(holds(check, APAC));
    }

    @Test
    void legacyPartsThatNeedAConditionAreRefused() {
        refused("ingest", "DeleteItem", KEY + "\"Expected\":{\"a\":{\"Exists\":false}}}", "Expected", Verdict.Kind.UNENFORCEABLE);
        refused("writer", "UpdateItem", KEY + "\"AttributeUpdates\":{\"level\":{\"Action\":\"ADD\",\"Value\":{\"N\":\"1\"}}}}",
                "AttributeUpdates", Verdict.Kind.UNENFORCEABLE);
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"REMOVE #r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"}}",
                "'region'", Verdict.Kind.UNENFORCEABLE);
        refused("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET #r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":r\":{\"S\":\"apac\"}}}", "requirement", Verdict.Kind.FORBIDDEN);
        sent("writer", "UpdateItem", KEY + "\"AttributeUpdates\":{\"x\":{\"Action\":\"PUT\",\"Value\":{\"N\":\"1\"}}}}");
    }

    @Test
    void anyPlaceholderIsTheClientsOwn() {
        ObjectNode body = sent("ingest", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :weir0, #weir1 = :n0\","
                + "\"ExpressionAttributeNames\":{\"#weir1\":\"name\"},"
                + "\"ExpressionAttributeValues\":{\":weir0\":{\"S\":\"x\"},\":n0\":{\"S\":\"y\"}}}");
        assertTrue(holds(body, EU));
        assertFalse(holds(body, APAC));
    }

    // ------------------------------------------------------------------------------ helpers

    /** The part as weir forwards it: its condition joined to weir's, every expression rendered anew. */
    private static ObjectNode sent(String role, String op, String json) {
        var d = Decisions.decide(POLICY, role, ATTRS, op, json).getFirst();
        ObjectNode asSent = d.part().body().deepCopy();
        var added = AddedCondition.of(d.part(), d.allowed(), d.request(), d.view(), d.rowDeciding(), d.refuse());
        ObjectNode node = d.part().body().deepCopy();
        Render.into(node, d.part().expressions(), Conjoin.added(added), false, d.refuse());
        assertEquals(asSent, d.part().body(), "the client's request is not changed");
        return node;
    }

    private static void refused(String role, String op, String json, String mentions, Verdict.Kind kind) {
        Refusal e = assertThrows(Refusal.class, () -> sent(role, op, json));
        assertEquals("AccessDeniedException", e.error().shortType(), e.getMessage());
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    /** Whether the store would accept the write on this stored item (empty: none stored). */
    static boolean holds(ObjectNode body, Map<String, AttributeValue> stored) {
        Map<String, String> names = new LinkedHashMap<>();
        if (body.get("ExpressionAttributeNames") instanceof ObjectNode n) n.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        Map<String, AttributeValue> values = body.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
        ExpressionContext ctx = new ExpressionContext(names, values);
        JsonNode condition = body.get("ConditionExpression");
        boolean ok = condition == null || ctx.condition("ConditionExpression", condition.textValue()).test(withKey(stored));
        if (body.has("UpdateExpression")) ctx.update(body.get("UpdateExpression").textValue());
        ctx.requireAllUsed();
        return ok;
    }

    private static Map<String, AttributeValue> withKey(Map<String, AttributeValue> stored) {
        if (stored.isEmpty()) return stored;
        Map<String, AttributeValue> out = new LinkedHashMap<>(stored);
        out.put("id", s("1"));
        return out;
    }

    static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return out;
    }

    static AttributeValue.M map(Object... kv) {
        return new AttributeValue.M(item(kv));
    }

    static AttributeValue s(String v) {
        return new AttributeValue.S(v);
    }

    static AttributeValue n(String v) {
        return new AttributeValue.N(v);
    }

    static AttributeValue bool(boolean v) {
        return new AttributeValue.Bool(v);
    }
}
