package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store read weir sends to page a client's read: the client's key condition and passed
 * members, the caller's row filter pushed down exactly where DynamoDB takes it, names and
 * values exactly those the texts use, no member of the client's weir handles itself.
 */
class StoreReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadView READER = Views.view("reader", "t");

    private static ObjectNode template(String op, String json, ReadView view) {
        StoreRead read = StoreRead.of(ClientReadTest.read(op, json), "t", ClientReadTest.SCHEMA, view);
        ObjectNode t = read.template();
        assertEquals(t.has("FilterExpression"), read.rowFilterPushed());
        return t;
    }

    /** The template's expressions, parsed with its own names and values; every one of those must be used. */
    private static ExpressionContext context(ObjectNode t) {
        Map<String, String> names = new LinkedHashMap<>();
        if (t.get("ExpressionAttributeNames") instanceof ObjectNode n) n.properties().forEach(e -> names.put(e.getKey(), e.getValue().asText()));
        Map<String, AttributeValue> values = t.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
        return new ExpressionContext(names, values);
    }

    @Test
    void theKeyConditionAndTheExactRowFilterWithExactlyTheirPlaceholders() {
        ObjectNode t = template("Query", """
                {"TableName":"t","KeyConditionExpression":"pk = :p AND sk > :s","FilterExpression":"tag = :t",
                 "ProjectionExpression":"pk, #nm","ExpressionAttributeNames":{"#nm":"name"},"Limit":2,"ScanIndexForward":false,
                 "ReturnConsumedCapacity":"TOTAL","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"1"},":t":{"S":"x"}}}""", READER);
        for (String member : List.of("ProjectionExpression", "Limit", "ReturnConsumedCapacity", "Select", "ExclusiveStartKey")) {
            assertFalse(t.has(member), member + " is weir's to handle: " + t);
        }
        assertFalse(t.toString().contains("#nm"), "the client's placeholders are never sent");
        assertEquals(false, t.get("ScanIndexForward").booleanValue());
        ExpressionContext ctx = context(t);
        Condition key = ctx.condition("KeyConditionExpression", t.get("KeyConditionExpression").asText());
        Condition filter = ctx.condition("FilterExpression", t.get("FilterExpression").asText());
        ctx.requireAllUsed();
        assertTrue(key.test(Map.of("pk", new S("a"), "sk", new N("2"))));
        assertFalse(key.test(Map.of("pk", new S("a"), "sk", new N("1"))));
        Random random = new Random(0x5eedL);
        List<AttributeValue> regions = List.of(new S("eu"), new S("us"), new N("1"), new Bool(true));
        List<AttributeValue> classified = List.of(new Bool(true), new Bool(false), new S("true"), new N("1"));
        for (int i = 0; i < 2_000; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", new S("a"));
            if (random.nextInt(5) > 0) item.put("region", regions.get(random.nextInt(regions.size())));
            if (random.nextBoolean()) item.put("classified", classified.get(random.nextInt(classified.size())));
            if (random.nextBoolean()) item.put("tag", new S("x"));
            assertEquals(READER.admits(item), filter.test(item), "the pushed filter keeps exactly the view's rows: " + item);
        }
    }

    @Test
    void notPushedWhereAQueryMayNotFilterOrThereIsNothingToPush() {
        String byRegion = """
                {"TableName":"t","IndexName":"byTag","KeyConditionExpression":"tag = :t","ExpressionAttributeValues":{":t":{"S":"x"}}}""";
        assertTrue(template("Query", byRegion, READER).has("FilterExpression"), "the index's keys are not what the filter reads");
        ReadView onKeys = view("""
                role r
                allow r on table t op [Query, Scan] rows where item.tag == principal.region
                """);
        assertFalse(template("Query", byRegion, onKeys).has("FilterExpression"), "a Query's filter may not read tag, the index's key");
        assertFalse(template("Query", """
                {"TableName":"t","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"x"}}}""",
                view("""
                        role r
                        allow r on table t op [Query, Scan] rows where item.sk > 3
                        """)).has("FilterExpression"), "nor the table's sort key");
        ObjectNode scan = template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byTag\"}", onKeys);
        assertTrue(scan.has("FilterExpression"), "a Scan's filter may read keys: " + scan);
        ObjectNode fieldsOnly = template("Scan", "{\"TableName\":\"t\"}", Views.fieldsOnly());
        assertEquals("{\"TableName\":\"t\"}", fieldsOnly.toString(), "no row filter, nothing else: " + fieldsOnly);
        ReadView sized = view("""
                role r
                allow r on table t op [Query, Scan] rows where size(item.tag) > 2
                """);
        assertFalse(sized.isEmpty() || sized.rows().isAll());
        ObjectNode inexact = template("Scan", "{\"TableName\":\"t\"}", sized);
        assertFalse(inexact.has("FilterExpression"), "size() has no exact store form");
    }

    /**
     * A Query's key condition fixes the index's partition key: the row filter is decided with that
     * value put in. A reader of region eu querying the region index for us admits no row (weir
     * answers the empty page after one read of one item); for eu, what is left of the filter
     * (not classified) goes to the store, though the filter as written reads the index's key.
     */
    @Test
    void aQueryDecidesTheRowFilterWithTheKeyConditionsValues() {
        ReadView byRegion = view("""
                role r
                allow r on table t op [Query, Scan] rows where item.tag == principal.region
                deny r on table t op [Query, Scan] rows where item.classified == true
                """);
        String query = """
                {"TableName":"t","IndexName":"byTag","KeyConditionExpression":"tag = :t","ExpressionAttributeValues":{":t":{"S":"%s"}}}""";
        StoreRead us = StoreRead.of(ClientReadTest.read("Query", query.formatted("us")), "t", ClientReadTest.SCHEMA, byRegion);
        assertTrue(us.admitsNone(), "no row with tag us is the eu reader's");
        StoreRead eu = StoreRead.of(ClientReadTest.read("Query", query.formatted("eu")), "t", ClientReadTest.SCHEMA, byRegion);
        assertFalse(eu.admitsNone());
        ObjectNode t = eu.template();
        assertTrue(eu.rowFilterPushed(), "the deny is left, and it reads no key: " + t);
        ExpressionContext ctx = context(t);
        Condition filter = ctx.condition("FilterExpression", t.get("FilterExpression").asText());
        ctx.condition("KeyConditionExpression", t.get("KeyConditionExpression").asText());
        ctx.requireAllUsed();
        assertFalse(filter.paths().stream().anyMatch(p -> p.attribute().equals("tag")), "a Query's filter never names its key: " + t);
        for (AttributeValue c : List.of(new Bool(true), new Bool(false), new S("true"))) {
            Map<String, AttributeValue> item = Map.of("pk", new S("a"), "sk", new N("1"), "tag", new S("eu"), "classified", c);
            assertEquals(byRegion.admits(item), filter.test(item), "exact on every row the Query returns: " + item);
        }
        StoreRead scan = StoreRead.of(ClientReadTest.read("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byTag\"}"), "t",
                ClientReadTest.SCHEMA, byRegion);
        assertFalse(scan.admitsNone(), "a Scan fixes no key");
        StoreRead sortRange = StoreRead.of(ClientReadTest.read("Query", """
                {"TableName":"t","KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"1"}}}"""),
                "t", ClientReadTest.SCHEMA, view("""
                        role r
                        allow r on table t op [Query, Scan] rows where item.sk == 0
                        """));
        assertFalse(sortRange.admitsNone(), "a range on the sort key fixes nothing of it");
        assertFalse(sortRange.rowFilterPushed());
    }

    /**
     * On an index with multi-attribute keys, every partition attribute and every sort attribute
     * the key condition gives by equality is known on each row the Query returns; a sort
     * attribute under a range condition, or not given, is not.
     */
    @Test
    void aQueryOfAMultiAttributeIndexDecidesTheRowFilterWithEveryFixedValue() {
        ReadView byZone = view("""
                role r
                allow r on table t op [Query, Scan] rows where item.zoneId == "eu" and item.rank == 1
                """);
        String partition = """
                {"TableName":"t","IndexName":"byTagZone","KeyConditionExpression":"tag = :t AND zoneId = :z%s",
                 "ExpressionAttributeValues":{":t":{"S":"a"},":z":{"S":"%s"}%s}}""";
        StoreRead us = StoreRead.of(ClientReadTest.read("Query", partition.formatted("", "us", "")), "t", ClientReadTest.SCHEMA, byZone);
        assertTrue(us.admitsNone(), "the second partition attribute is known: no row of zone us is the reader's");
        StoreRead eu = StoreRead.of(ClientReadTest.read("Query", partition.formatted("", "eu", "")), "t", ClientReadTest.SCHEMA, byZone);
        assertFalse(eu.admitsNone());
        assertFalse(eu.rowFilterPushed(), "what is left reads rank, a key of the index, which a Query may not filter: " + eu.template());
        StoreRead rankTwo = StoreRead.of(ClientReadTest.read("Query", partition.formatted(" AND n = :n AND #r = :r", "eu",
                ",\":n\":{\"N\":\"5\"},\":r\":{\"N\":\"2\"}").replace("\"ExpressionAttributeValues\"",
                "\"ExpressionAttributeNames\":{\"#r\":\"rank\"},\"ExpressionAttributeValues\"")), "t", ClientReadTest.SCHEMA, byZone);
        assertTrue(rankTwo.admitsNone(), "the second sort attribute given by equality is known too");
        StoreRead rankOne = StoreRead.of(ClientReadTest.read("Query", partition.formatted(" AND n = :n AND #r = :r", "eu",
                ",\":n\":{\"N\":\"5\"},\":r\":{\"N\":\"1\"}").replace("\"ExpressionAttributeValues\"",
                "\"ExpressionAttributeNames\":{\"#r\":\"rank\"},\"ExpressionAttributeValues\"")), "t", ClientReadTest.SCHEMA, byZone);
        assertFalse(rankOne.admitsNone());
        assertFalse(rankOne.rowFilterPushed(), "decided outright: every row of this Query is the reader's");
        StoreRead rankRange = StoreRead.of(ClientReadTest.read("Query", partition.formatted(" AND n = :n AND #r > :r", "eu",
                ",\":n\":{\"N\":\"5\"},\":r\":{\"N\":\"1\"}").replace("\"ExpressionAttributeValues\"",
                "\"ExpressionAttributeNames\":{\"#r\":\"rank\"},\"ExpressionAttributeValues\"")), "t", ClientReadTest.SCHEMA, byZone);
        assertFalse(rankRange.admitsNone(), "a range on the last sort attribute fixes nothing of it");
        assertFalse(rankRange.rowFilterPushed());
    }

    /**
     * The fixed values are the key condition's, matched to the key schema by name whatever order the
     * condition names them in, in the legacy KeyConditions too, and compared as DynamoDB compares keys:
     * 1.0, 1E0 and 10E-1 are the number 1, so no visible row of rank 1 is declared out of the read (which
     * would make the answer turn on whether the store's first row is hidden).
     */
    @Test
    void theFixedValuesAreMatchedByNameAndComparedAsTheStoreComparesKeys() {
        ReadView byZone = view("""
                role r
                allow r on table t op [Query, Scan] rows where item.zoneId == principal.region and item.rank == 1
                """);
        String query = """
                {"TableName":"t","IndexName":"byTagZone","KeyConditionExpression":"%s",
                 "ExpressionAttributeNames":{"#r":"rank"},
                 "ExpressionAttributeValues":{":t":{"S":"a"},":z":{"S":"%s"},":n":{"N":"5"},":r":{"N":"%s"}}}""";
        for (String key : List.of("tag = :t AND zoneId = :z AND n = :n AND #r = :r", "#r = :r AND n = :n AND zoneId = :z AND tag = :t")) {
            for (String one : List.of("1", "1.0", "1E0", "10E-1", "0.1e1", "1.000")) {
                StoreRead r = StoreRead.of(ClientReadTest.read("Query", query.formatted(key, "eu", one)), "t", ClientReadTest.SCHEMA, byZone);
                assertFalse(r.admitsNone(), key + " with rank " + one);
                assertFalse(r.rowFilterPushed(), "every row of it is the reader's: " + key + " with rank " + one);
            }
            for (String other : List.of("2", "1.0001", "-1", "0.1")) {
                assertTrue(StoreRead.of(ClientReadTest.read("Query", query.formatted(key, "eu", other)), "t", ClientReadTest.SCHEMA, byZone)
                        .admitsNone(), key + " with rank " + other);
            }
            assertTrue(StoreRead.of(ClientReadTest.read("Query", query.formatted(key, "us", "1")), "t", ClientReadTest.SCHEMA, byZone)
                    .admitsNone(), "the reader's region is the second partition attribute, named in either order");
        }
        String legacy = """
                {"TableName":"t","IndexName":"byTagZone","KeyConditions":{"zoneId":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"%s"}]},
                 "tag":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}}}""";
        assertTrue(StoreRead.of(ClientReadTest.read("Query", legacy.formatted("us")), "t", ClientReadTest.SCHEMA, byZone).admitsNone(),
                "the legacy KeyConditions fix the same values");
        StoreRead eu = StoreRead.of(ClientReadTest.read("Query", legacy.formatted("eu")), "t", ClientReadTest.SCHEMA, byZone);
        assertFalse(eu.admitsNone());
        assertFalse(eu.rowFilterPushed(), "what is left reads rank, a sort attribute not given: " + eu.template());
    }

    /** A row filter within 4 KB but over DynamoDB's 300 operators stays with weir too: the store would refuse the read. */
    @Test
    void aFilterWithMoreOperatorsThanDynamoDbTakesIsNotPushed() {
        StringBuilder any = new StringBuilder("item.a0 == \"x\"");
        for (int i = 1; i < 160; i++) any.append(" or item.a").append(i).append(" == \"x\"");
        ReadView many = view("role r\nallow r on table t op [Query] rows where " + any + "\n");
        String query = "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"x\"}}}";
        String filter = new dev.weir.protocol.expr.render.ExpressionWriter().condition(
                ((dev.weir.policy.predicate.Residual.Tree) dev.weir.policy.predicate.Residual.of(many.rows(), many.request()))
                        .condition());
        assertTrue(filter.length() < 4096 && !dev.weir.protocol.expr.parse.ExpressionParser.conditionWithinLimits(filter),
                "the filter is under 4 KB and over 300 operators: " + filter.length());
        assertFalse(template("Query", query, many).has("FilterExpression"));
        StringBuilder fewer = new StringBuilder("item.a0 == \"x\"");
        for (int i = 1; i < 150; i++) fewer.append(" or item.a").append(i).append(" == \"x\"");
        assertTrue(template("Query", query, view("role r\nallow r on table t op [Query] rows where " + fewer + "\n"))
                .has("FilterExpression"), "299 operators go to the store");
    }

    @Test
    void aFilterLongerThanDynamoDbTakesIsNotPushed() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 900; i++) many.add("region-" + i);
        DecisionRequest r = new DecisionRequest("p", Set.of("r"), Map.of("regions", many), "t", Operation.Query, Context.NONE);
        ReadView wide = ReadView.of(PolicyLoader.load(List.of(new PolicySource("p.weir", """
                role r
                allow r on table t op [Query] rows where item.region in principal.regions
                """))).table().orElseThrow().decide(r), r);
        ObjectNode t = template("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"x\"}}}", wide);
        assertFalse(t.has("FilterExpression"));
        assertEquals(1, t.get("ExpressionAttributeValues").size(), "only the key condition's value: " + t.get("ExpressionAttributeValues"));
        context(t).condition("KeyConditionExpression", t.get("KeyConditionExpression").asText());
        DecisionRequest few = new DecisionRequest("p", Set.of("r"), Map.of("regions", many.subList(0, 20)), "t", Operation.Query,
                Context.NONE);
        ReadView narrow = ReadView.of(PolicyLoader.load(List.of(new PolicySource("p.weir", """
                role r
                allow r on table t op [Query] rows where item.region in principal.regions
                """))).table().orElseThrow().decide(few), few);
        assertTrue(template("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"x\"}}}", narrow).has("FilterExpression"));
    }

    @Test
    void selectIsSentOnlyWhereTheStoreNeedsIt() {
        assertEquals("ALL_ATTRIBUTES", template("Scan", "{\"TableName\":\"t\",\"Select\":\"ALL_ATTRIBUTES\"}", READER).get("Select").asText());
        assertEquals("ALL_PROJECTED_ATTRIBUTES", template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byTag\","
                + "\"Select\":\"ALL_PROJECTED_ATTRIBUTES\"}", READER).get("Select").asText());
        assertNull(template("Scan", "{\"TableName\":\"t\",\"Select\":\"COUNT\"}", READER).get("Select"), "COUNT: weir counts");
        assertEquals("ALL_ATTRIBUTES", template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byN\",\"ProjectionExpression\":\"tag\"}",
                READER).get("Select").asText(), "a local index fetches what it does not project");
        assertEquals("ALL_ATTRIBUTES", template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byN\",\"FilterExpression\":\"tag = :t\","
                + "\"ExpressionAttributeValues\":{\":t\":{\"S\":\"x\"}}}", Views.fieldsOnly()).get("Select").asText());
        assertNull(template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byN\",\"ProjectionExpression\":\"n\"}", READER).get("Select"));
        assertNull(template("Scan", "{\"TableName\":\"t\",\"IndexName\":\"byTag\",\"ProjectionExpression\":\"#n\",\"ExpressionAttributeNames\":{\"#n\":\"name\"}}", READER).get("Select"),
                "a global index never fetches");
    }

    @Test
    void eachReadStartsWhereItIsToldAndReadsTheAnswer() throws Exception {
        StoreRead read = StoreRead.of(ClientReadTest.read("Scan", "{\"TableName\":\"t\",\"Segment\":0,\"TotalSegments\":2}"), "t",
                ClientReadTest.SCHEMA, Views.fieldsOnly());
        assertFalse(read.rowFilterPushed());
        assertSame(Operation.Scan, read.operation());
        JsonNode first = JSON.readTree(read.page(null, null));
        assertEquals("{\"TableName\":\"t\",\"Segment\":0,\"TotalSegments\":2}", first.toString());
        Map<String, AttributeValue> start = new LinkedHashMap<>();
        start.put("pk", new S("a"));
        start.put("sk", new N("3"));
        JsonNode next = JSON.readTree(read.page(start, 7));
        assertEquals("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"3\"}}", next.get("ExclusiveStartKey").toString());
        assertEquals(7, next.get("Limit").asInt());
        StorePage page = StoreRead.parse(new UpstreamResponse(200, null, ("{\"Items\":[{\"pk\":{\"S\":\"a\"}}],\"Count\":1,"
                + "\"ScannedCount\":1,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"a\"}}}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(Map.of("pk", new S("a"))), page.items());
        assertEquals(Map.of("pk", new S("a")), page.lastEvaluatedKey());
        UpstreamResponse error = new UpstreamResponse(400, null, "{\"__type\":\"x#ValidationException\"}".getBytes(StandardCharsets.UTF_8));
        assertSame(error, assertThrows(StoreRead.StoreError.class, () -> StoreRead.parse(error)).response());
        assertThrows(RuntimeException.class, () -> StoreRead.parse(new UpstreamResponse(200, null, "{\"Count\":0}".getBytes(StandardCharsets.UTF_8))));
    }

    private static ReadView view(String policy) {
        return Views.of(policy);
    }
}
