package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.schema.TableSchema.Index;
import dev.weir.proxy.schema.TableSchema.Kind;
import dev.weir.proxy.schema.TableSchema.ProjectionType;
import dev.weir.proxy.upstream.SignedStore;
import dev.weir.proxy.upstream.UpstreamAccount;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An attacker's Queries of a global index with multi-attribute keys (partition {@code t, zone},
 * sort {@code tier, n}), made as weir makes them (the client's request parsed, {@link StoreRead}
 * with its push-down and {@code admitsNone} decision, {@link Pager}) against two real stores that
 * hold the same visible rows and different hidden ones. The reader sees zone eu, tier 1, not
 * classified, through three row filters that read two key attributes differently (equality with
 * the principal's region, a prefix and a range, a negation), so the key condition's fixed values
 * decide them for many of these Queries (admitting none, or every row). Every Query (a partition
 * of another zone, a tier given by equality in another spelling of the same number, a partial
 * sort prefix, a range, either direction, Limit, Select COUNT, a client filter, the legacy
 * KeyConditions and QueryFilter, an ExclusiveStartKey at a visible, a hidden or no row) must give
 * the same pages, or the same error, on both stores, and the pages must hold exactly the visible
 * rows the key condition selects, in the index's order: no fixed value ever lets the answer depend
 * on a hidden row. Scans of the index, whole or by segment, are mixed in and held to the same.
 * (A wrong fixed value, the partition values put in the wrong order, makes the first Query's
 * answer differ: empty where the store's first row is hidden, paged where visible.)
 */
class MultiAttributeQueryStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema SCHEMA = new TableSchema("mat", "pk", null, List.of(
            new Index("byZone", Kind.GLOBAL, List.of("t", "zone"), List.of("tier", "n"), ProjectionType.ALL, List.of())));
    private static final RequestParser PARSER = new RequestParser(UpstreamAccount.DEFAULT);
    private static final String FIELDS = """
              fields [pk, t, zone, tier, n, tag, name]
              mask name show_last(2)
            deny r on table mat op [Query, Scan] rows where item.classified == true
            """;
    /**
     * Row filters that admit exactly the same rows of this data (zone eu, tier 1, not classified),
     * each reading the index's keys another way, so the key condition's fixed values decide them
     * through equality, a prefix, a range, a negation and the principal's attribute.
     */
    private static final List<ReadView> VIEWS = List.of(
            view("role r\nallow r on table mat op [Query, Scan] rows where item.zone == principal.region and item.tier == 1\n" + FIELDS),
            view("role r\nallow r on table mat op [Query, Scan] rows where begins_with(item.zone, \"e\") and item.tier between 0.5 and 1.5\n"
                    + FIELDS),
            view("role r\nallow r on table mat op [Query, Scan] rows where item.zone != \"us\" and item.tier < 2 and exists(item.t)\n"
                    + FIELDS));
    private static ReadView reader = VIEWS.getFirst();

    /** Every row written to either store (the keys an attacker might guess, visible or hidden). */
    private static final List<Map<String, AttributeValue>> KNOWN = new ArrayList<>();

    @TempDir
    static Path dir;

    /** The view of a principal of role r in region eu, for a Query on table mat. */
    private static ReadView view(String policy) {
        DecisionRequest r = new DecisionRequest("p", Set.of("r"), Map.of("region", List.of("eu")), "mat", Operation.Query, Context.NONE);
        return ReadView.of(PolicyLoader.load(List.of(new PolicySource("p.weir", policy))).table().orElseThrow().decide(r), r);
    }
    static SignedStore storeA;
    static SignedStore storeB;

    @BeforeAll
    static void start() {
        storeA = new SignedStore(dir.resolve("a"));
        storeB = new SignedStore(dir.resolve("b"));
        Random random = new Random(0x19_19L);
        List<Map<String, AttributeValue>> rowsA = new ArrayList<>();
        List<Map<String, AttributeValue>> rowsB = new ArrayList<>();
        int id = 0;
        for (String t : List.of("a", "b")) {
            Set<String> used = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                int n = fresh(random, used, "1");
                Map<String, AttributeValue> row = row("v" + id++, t, "eu", 1, n);
                if (random.nextBoolean()) row.put("tag", new S(random.nextBoolean() ? "x" : "y"));
                if (random.nextBoolean()) row.put("classified", new Bool(false));
                rowsA.add(row);
                rowsB.add(row);
            }
            for (List<Map<String, AttributeValue>> rows : List.of(rowsA, rowsB)) {
                for (int i = 0, count = 10 + random.nextInt(25); i < count; i++) {
                    Map<String, AttributeValue> hidden = switch (random.nextInt(3)) {
                        case 0 -> row("h" + id++, t, "us", 1 + random.nextInt(2), random.nextInt(40));
                        case 1 -> row("h" + id++, t, "eu", 2 + random.nextInt(2), random.nextInt(40));
                        default -> {
                            Map<String, AttributeValue> c = row("h" + id++, t, "eu", 1, fresh(random, used, "1"));
                            c.put("classified", new Bool(true));
                            yield c;
                        }
                    };
                    hidden.put("secret", new S("s3cr3t-" + random.nextInt(1000)));
                    if (random.nextBoolean()) hidden.put("tag", new S("x"));
                    rows.add(hidden);
                }
            }
        }
        String create = """
                {"TableName":"mat","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"t","AttributeType":"S"},
                   {"AttributeName":"zone","AttributeType":"S"},{"AttributeName":"tier","AttributeType":"N"},
                   {"AttributeName":"n","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
                 "GlobalSecondaryIndexes":[{"IndexName":"byZone","KeySchema":[{"AttributeName":"t","KeyType":"HASH"},
                   {"AttributeName":"zone","KeyType":"HASH"},{"AttributeName":"tier","KeyType":"RANGE"},
                   {"AttributeName":"n","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}""";
        for (SignedStore store : List.of(storeA, storeB)) store.call(Operation.CreateTable, create);
        put(storeA, rowsA);
        put(storeB, rowsB);
        KNOWN.addAll(rowsA);
        KNOWN.addAll(rowsB);
    }

    @AfterAll
    static void stop() {
        try {
            if (storeA != null) storeA.close();
        } finally {
            if (storeB != null) storeB.close();
        }
    }

    /** A number not yet used within the tier (hidden classified rows of tier 1 lie between the visible ones). */
    private static int fresh(Random random, Set<String> used, String tier) {
        while (true) {
            int n = random.nextInt(200);
            if (used.add(tier + "/" + n)) return n;
        }
    }

    private static Map<String, AttributeValue> row(String pk, String t, String zone, int tier, int n) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("pk", new S(pk));
        m.put("t", new S(t));
        m.put("zone", new S(zone));
        m.put("tier", new N(Integer.toString(tier)));
        m.put("n", new N(Integer.toString(n)));
        m.put("name", new S("name-" + pk));
        return m;
    }

    /** One of the attacker's Queries, as its request body. */
    private static ObjectNode query(Random random) {
        ObjectNode body = JSON.createObjectNode().put("TableName", "mat").put("IndexName", "byZone");
        ObjectNode values = JSON.createObjectNode();
        StringBuilder key = new StringBuilder(random.nextBoolean() ? "#z = :z AND t = :t" : "t = :t AND #z = :z");
        values.set(":t", AttributeValueJson.toJson(new S(random.nextBoolean() ? "a" : "b")));
        values.set(":z", AttributeValueJson.toJson(new S(random.nextInt(4) == 0 ? "us" : "eu")));
        List<String> tiers = List.of("1", "2", "1.0", "1E0", "10E-1", "0.1E1", "3");
        boolean tierEq = false;
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                key.append(" AND tier = :tier");
                values.set(":tier", AttributeValueJson.toJson(new N(tiers.get(random.nextInt(tiers.size())))));
                tierEq = true;
            }
            case 2 -> {
                key.append(" AND tier ").append(random.nextBoolean() ? "<=" : ">=").append(" :tier");
                values.set(":tier", AttributeValueJson.toJson(new N(tiers.get(random.nextInt(tiers.size())))));
            }
            case 3 -> {
                key.append(" AND tier BETWEEN :lo AND :hi");
                values.set(":lo", AttributeValueJson.toJson(new N("1")));
                values.set(":hi", AttributeValueJson.toJson(new N(random.nextBoolean() ? "1" : "2")));
            }
            default -> { }
        }
        if (tierEq && random.nextBoolean()) {
            String op = List.of("=", "<", ">=").get(random.nextInt(3));
            key.append(" AND n ").append(op).append(" :n");
            values.set(":n", AttributeValueJson.toJson(new N(Integer.toString(random.nextInt(200)))));
        }
        body.put("KeyConditionExpression", key.toString());
        body.putObject("ExpressionAttributeNames").put("#z", "zone");
        if (random.nextInt(3) == 0) {
            body.put("FilterExpression", "tag = :g");
            values.set(":g", AttributeValueJson.toJson(new S("x")));
        }
        body.set("ExpressionAttributeValues", values);
        body.put("ScanIndexForward", random.nextBoolean());
        if (random.nextInt(6) == 0) {
            // the legacy form: KeyConditions (two at most on a multi-attribute index, as recorded), QueryFilter
            ObjectNode legacy = JSON.createObjectNode().put("TableName", "mat").put("IndexName", "byZone");
            ObjectNode conditions = legacy.putObject("KeyConditions");
            for (String[] c : new String[][] {{"t", ":t"}, {"zone", ":z"}}) {
                ObjectNode one = conditions.putObject(c[0]).put("ComparisonOperator", "EQ");
                one.putArray("AttributeValueList").add(values.get(c[1]));
            }
            if (random.nextBoolean()) {
                ObjectNode tag = legacy.putObject("QueryFilter").putObject("tag").put("ComparisonOperator", "EQ");
                tag.putArray("AttributeValueList").add(AttributeValueJson.toJson(new S("x")));
            }
            legacy.set("ScanIndexForward", body.get("ScanIndexForward"));
            body = legacy;
        }
        if (random.nextInt(4) == 0) {
            // a start key at a row of either store, visible or hidden, or at no row at all, in the Query's partition
            Map<String, AttributeValue> row = KNOWN.get(random.nextInt(KNOWN.size()));
            ObjectNode start = body.putObject("ExclusiveStartKey");
            start.set("pk", AttributeValueJson.toJson(row.get("pk")));
            start.set("t", random.nextInt(5) == 0 ? AttributeValueJson.toJson(row.get("t")) : values.get(":t"));
            start.set("zone", random.nextInt(5) == 0 ? AttributeValueJson.toJson(row.get("zone")) : values.get(":z"));
            start.set("tier", AttributeValueJson.toJson(row.get("tier")));
            start.set("n", AttributeValueJson.toJson(random.nextInt(4) == 0 ? new N(Integer.toString(random.nextInt(200))) : row.get("n")));
        }
        if (random.nextInt(3) > 0) body.put("Limit", 1 + random.nextInt(random.nextBoolean() ? 2 : 6));
        if (random.nextInt(4) == 0) body.put("Select", "COUNT");
        return body;
    }

    private static Operation op(ObjectNode body) {
        return body.has("KeyConditionExpression") || body.has("KeyConditions") ? Operation.Query : Operation.Scan;
    }

    /** A Scan of the index (its order follows the partition attributes), now and then a segment of a parallel one. */
    private static ObjectNode scan(Random random) {
        ObjectNode body = JSON.createObjectNode().put("TableName", "mat").put("IndexName", "byZone");
        if (random.nextBoolean()) {
            int total = 1 + random.nextInt(3);
            body.put("Segment", random.nextInt(total)).put("TotalSegments", total);
        }
        if (random.nextInt(3) == 0) {
            body.put("FilterExpression", "tag = :g");
            body.putObject("ExpressionAttributeValues").set(":g", AttributeValueJson.toJson(new S("x")));
        }
        if (random.nextInt(3) > 0) body.put("Limit", 1 + random.nextInt(random.nextBoolean() ? 2 : 6));
        if (random.nextInt(4) == 0) body.put("Select", "COUNT");
        return body;
    }

    @Test
    void everyQueryOfTheIndexGivesTheSamePagesWhateverTheHiddenRows() {
        Random random = new Random(0x5eed_1919L);
        int admittedNone = 0, decidedOutright = 0, paged = 0, errors = 0;
        for (int q = 0; q < 450; q++) {
            reader = VIEWS.get(q % VIEWS.size());
            ObjectNode body = random.nextInt(8) == 0 ? scan(random) : query(random);
            ParsedRequest parsed = PARSER.parse("p", "DynamoDB_20120810." + op(body), body.toString().getBytes(StandardCharsets.UTF_8));
            ClientRead read = ClientRead.of(parsed.operation(), parsed.body(), parsed.single().expressions(), SCHEMA);
            StoreRead store = StoreRead.of(read, "mat", SCHEMA, reader);
            if (store.admitsNone()) admittedNone++;
            else if (!store.rowFilterPushed()) decidedOutright++;
            else paged++;
            String where = "query " + q + " (view " + q % VIEWS.size() + "): " + body;
            List<String> a = follow(storeA, read, store, where);
            List<String> b = follow(storeB, read, store, where);
            assertEquals(a, b, "the same pages (or error) whatever the hidden rows: " + where);
            if (a.getFirst().startsWith("error")) {
                errors++;
                continue;
            }
            for (String page : a) assertFalse(page.contains("s3cr3t") || page.contains("\"h"), "no hidden row or value: " + page);
            List<Map<String, AttributeValue>> expected = new ArrayList<>();
            for (Map<String, AttributeValue> item : readAll(storeA, body)) {
                if (reader.admits(item) && (read.filter() == null || read.filter().test(item))) expected.add(reader.show(item));
            }
            List<Map<String, AttributeValue>> got = new ArrayList<>();
            int count = 0;
            for (String page : a) {
                JsonNode p = tree(page);
                count += p.get("Count").asInt();
                for (JsonNode item : p.path("Items")) got.add(AttributeValueJson.item(item, "Items"));
            }
            assertEquals(expected.size(), count, "Count: the visible rows of the key condition: " + where);
            if (!body.has("Select")) assertEquals(expected, got, "the visible rows of the key condition, in the index's order: " + where);
        }
        assertTrue(admittedNone > 20 && decidedOutright > 20 && paged > 20 && errors < 150,
                "each way the push-down decides is tried: " + admittedNone + " none, " + decidedOutright + " all, " + paged + " pushed, "
                        + errors + " refused by the store");
    }

    /** The client's pages, following LastEvaluatedKey from the start, each as its body; or the store's error. */
    private static List<String> follow(SignedStore store, ClientRead read, StoreRead storeRead, String where) {
        List<String> pages = new ArrayList<>();
        Map<String, AttributeValue> start = read.exclusiveStartKey();
        do {
            if (pages.size() > 500) fail("no end to the pages: " + where);
            Page page;
            try {
                page = Pager.builder(reader, SCHEMA.keyAttributes("byZone"), (from, limit) ->
                                store.send(Target.of(storeRead.operation()), storeRead.page(from, limit)).thenApply(StoreRead::parse))
                        .limit(read.limit()).exclusiveStartKey(start).filter(read.filter()).select(read.select())
                        .projection(read.projection()).admitsNone(storeRead.admitsNone())
                        .deadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).build().run().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof StoreRead.StoreError error) {
                    UpstreamResponse r = error.response();
                    pages.add("error " + r.status() + " " + new String(r.body(), StandardCharsets.UTF_8));
                    return pages;
                }
                throw e;
            }
            pages.add(new String(page.toBytes(), StandardCharsets.UTF_8));
            start = page.lastEvaluatedKey();
            if (start != null) assertEquals(Set.of("pk", "t", "zone", "tier", "n"), start.keySet(), where);
        } while (start != null);
        return pages;
    }

    /** Every item the client's key condition selects, whole, in the index's order (read as the store's own admin). */
    private static List<Map<String, AttributeValue>> readAll(SignedStore store, ObjectNode client) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        ObjectNode body = client.deepCopy();
        for (String member : List.of("Limit", "Select", "FilterExpression", "QueryFilter", "ExclusiveStartKey")) body.remove(member);
        if (body.get("ExpressionAttributeValues") instanceof ObjectNode values) {
            values.remove(":g");
            if (values.isEmpty()) body.remove("ExpressionAttributeValues");
        }
        JsonNode start = client.get("ExclusiveStartKey");
        do {
            if (start != null) body.set("ExclusiveStartKey", start);
            JsonNode answer = store.call(op(client), body.toString());
            for (JsonNode item : answer.path("Items")) all.add(AttributeValueJson.item(item, "Items"));
            start = answer.get("LastEvaluatedKey");
        } while (start != null);
        return all;
    }

    private static void put(SignedStore store, List<Map<String, AttributeValue>> rows) {
        for (int from = 0; from < rows.size(); from += 25) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode requests = body.putObject("RequestItems").putArray("mat");
            for (Map<String, AttributeValue> row : rows.subList(from, Math.min(rows.size(), from + 25))) {
                requests.addObject().putObject("PutRequest").set("Item", AttributeValueJson.toJson(row));
            }
            JsonNode answer = store.call(Operation.BatchWriteItem, body.toString());
            assertEquals(0, answer.path("UnprocessedItems").size(), answer.toString());
        }
    }

    private static JsonNode tree(String page) {
        try {
            return JSON.readTree(page);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
