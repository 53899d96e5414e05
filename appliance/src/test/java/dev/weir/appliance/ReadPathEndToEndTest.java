package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read side of issue 13 through the aws CLI and boto3, against the demo policy plus the
 * security review's shapes (a read deny {@code rows where item.classified == true}, a KEYS_ONLY
 * GSI and an INCLUDE GSI without {@code classified}, indexes sorted by a masked or hidden key):
 * <ul>
 *   <li>class 4: a Query on an index that does not project what the row filter reads is refused;</li>
 *   <li>class 6: a Query or Scan on an index whose key the caller sees masked or not at all is
 *       refused; hidden rows never shorten or end a page (Limit 1..3 over interleaved eu, us and
 *       classified rows gives the same pages as a table holding only the visible rows);</li>
 *   <li>class 7: no capacity for a hidden 20 KB row nor for a missing key, no table figures for a
 *       restricted view; the admin, whose view is unrestricted, gets both.</li>
 * </ul>
 */
class ReadPathEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "AKIAWEIRADMIN0000001";
    private static final String ADMIN_SECRET = "weir-admin-secret";
    private static final String ANALYST_KEY = "AKIAWEIRANALYST00001";
    private static final String ANALYST_SECRET = "weir-analyst-secret";
    private static final String INGEST_KEY = "AKIAWEIRINGEST000001";
    private static final String INGEST_SECRET = "weir-ingest-secret";

    /** The review's shapes, beside the demo policy (conf/policies/people.weir, as shipped). */
    private static final String REVIEW = """
            # The security review's shapes (issue 13).
            @id("records-read")
            allow analyst on table [records, mixed, euonly] op [GetItem, Query, Scan, BatchGetItem, TransactGetItems]
              rows where item.region == principal.region
              fields [id, pk, sk, region, name, tag, salary, classified, blob]
              mask salary bucket(10000)

            @id("records-no-classified")
            deny analyst on table [records, mixed, euonly] op [GetItem, Query, Scan, BatchGetItem, TransactGetItems]
              rows where item.classified == true
              reason "classified rows are closed to analysts"

            @id("records-describe")
            allow analyst on table records op [DescribeTable]
            """;

    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static DynamoDbClient admin;
    static AwsCli analystCli, adminCli, ingestCli;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(ApplianceProcess.CONF.resolve("policies").resolve("people.weir"), policies.resolve("people.weir"));
        Files.writeString(policies.resolve("review.weir"), REVIEW);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        admin = DynamoClients.as(weir.endpoint(), ADMIN_KEY, ADMIN_SECRET);
        analystCli = new AwsCli(weir.endpoint(), ANALYST_KEY, ANALYST_SECRET);
        adminCli = new AwsCli(weir.endpoint(), ADMIN_KEY, ADMIN_SECRET);
        ingestCli = new AwsCli(weir.endpoint(), INGEST_KEY, INGEST_SECRET);

        admin.createTable(b -> b.tableName("records").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S"), d -> d.attributeName("sk").attributeType("N"),
                        d -> d.attributeName("tag").attributeType("S"), d -> d.attributeName("region").attributeType("S"),
                        d -> d.attributeName("salary").attributeType("N"), d -> d.attributeName("secret").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .globalSecondaryIndexes(
                        gsi("byTagKeys", "tag", null, ProjectionType.KEYS_ONLY, List.of()),
                        gsi("byTagInclude", "tag", null, ProjectionType.INCLUDE, List.of("region", "name")),
                        gsi("byTagAll", "tag", "sk", ProjectionType.ALL, List.of()),
                        gsi("bySalary", "region", "salary", ProjectionType.ALL, List.of()))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("bySecret")
                        .keySchema(k -> k.attributeName("id").keyType("HASH"), k -> k.attributeName("secret").keyType("RANGE"))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        record("r", 1, "eu", false, "n1", 91_000, "s9");
        record("r", 2, "eu", true, "n2", 92_000, "s1");
        record("r", 3, "us", false, "n3", 93_000, "s5");
        record("r", 4, "eu", false, "n4", 94_000, "s3");
        admin.putItem(b -> b.item(Map.of("id", s("big"), "sk", n(1), "region", s("us"), "tag", s("t"), "blob", s("x".repeat(20_000))))
                .tableName("records"));

        for (String table : List.of("mixed", "euonly")) {
            admin.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"), d -> d.attributeName("sk").attributeType("N"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        }
        // Rows 1, 4, 7, 10 of each partition are visible (eu); 2, 5, ... are us, 3, 6, ... classified eu rows,
        // larger than the visible ones. euonly holds the visible rows alone.
        for (String pk : List.of("p", "q", "w")) {
            for (int sk = 1; sk <= 12; sk++) {
                int kind = sk % 3;
                Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(pk), "sk", n(sk), "name", s(pk + sk),
                        "region", s(kind == 2 ? "us" : "eu")));
                if (kind == 0) item.put("classified", AttributeValue.fromBool(true));
                if (kind != 1) item.put("blob", s("h".repeat(3000 * sk)));
                admin.putItem(b -> b.tableName("mixed").item(item));
                if (kind == 1) admin.putItem(b -> b.tableName("euonly").item(item));
            }
        }
        admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S")).keySchema(k -> k.attributeName("id").keyType("HASH")));
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-us"), "region", s("us"), "name", s("Bob"),
                "ssn", s("987-65-4321"), "blob", s("y".repeat(20_000)))));
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-eu"), "region", s("eu"), "name", s("Ada"),
                "ssn", s("123-45-6789"), "salary", n(98_000))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
        if (weir != null) weir.close();
    }

    @Test
    void class4And6IndexesThatCannotBeJudgedOrOrderedAreRefusedAwsCli() throws Exception {
        String tag = "{\":t\":{\"S\":\"t\"}}";
        assertRefused(analystCli.dynamodb("query", "--table-name", "records", "--index-name", "byTagKeys",
                "--key-condition-expression", "tag = :t", "--expression-attribute-values", tag), "index byTagKeys", "'region'");
        assertRefused(analystCli.dynamodb("query", "--table-name", "records", "--index-name", "byTagInclude",
                "--key-condition-expression", "tag = :t", "--expression-attribute-values", tag), "index byTagInclude", "'classified'");
        assertRefused(analystCli.dynamodb("query", "--table-name", "records", "--index-name", "bySalary",
                "--key-condition-expression", "#r = :r", "--expression-attribute-names", "{\"#r\":\"region\"}",
                "--expression-attribute-values", "{\":r\":{\"S\":\"eu\"}}"), "index bySalary", "'salary'");
        assertRefused(analystCli.dynamodb("query", "--table-name", "records", "--index-name", "bySecret",
                "--key-condition-expression", "id = :i", "--expression-attribute-values", "{\":i\":{\"S\":\"r\"}}"),
                "index bySecret", "'secret'");
        assertRefused(analystCli.dynamodb("scan", "--table-name", "records", "--index-name", "bySecret"), "'secret'");
        JsonNode all = ok(analystCli.dynamodb("query", "--table-name", "records", "--index-name", "byTagAll",
                "--key-condition-expression", "tag = :t", "--expression-attribute-values", tag, "--no-paginate"));
        assertEquals(List.of("1", "4"), skOf(all.get("Items")), "an index projecting everything: the visible rows only " + all);
        assertEquals("90000", all.get("Items").get(0).get("salary").get("N").asText(), "masked");
        JsonNode adminAll = ok(adminCli.dynamodb("query", "--table-name", "records", "--index-name", "bySalary",
                "--key-condition-expression", "#r = :r", "--expression-attribute-names", "{\"#r\":\"region\"}",
                "--expression-attribute-values", "{\":r\":{\"S\":\"eu\"}}", "--no-paginate"));
        assertEquals(3, adminAll.get("Count").asInt(), "the admin reads every key in clear: " + adminAll);
    }

    @Test
    void class4And6IndexesThatCannotBeJudgedOrOrderedAreRefusedBoto3() throws Exception {
        Boto3 py = new Boto3(weir.endpoint());
        String tag = "\"KeyConditionExpression\":\"tag = :t\",\"ExpressionAttributeValues\":{\":t\":{\"S\":\"t\"}}";
        py.call(ANALYST_KEY, ANALYST_SECRET, "query", "{\"TableName\":\"records\",\"IndexName\":\"byTagKeys\"," + tag + "}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "query", "{\"TableName\":\"records\",\"IndexName\":\"byTagInclude\"," + tag + "}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "query", "{\"TableName\":\"records\",\"IndexName\":\"bySalary\","
                + "\"KeyConditionExpression\":\"#r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":r\":{\"S\":\"eu\"}}}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "scan", "{\"TableName\":\"records\",\"IndexName\":\"bySecret\"}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "query", "{\"TableName\":\"records\",\"IndexName\":\"byTagAll\"," + tag
                + ",\"Select\":\"COUNT\"}");
        List<JsonNode> a = py.run();
        assertBoto3Refused(a.get(0), "index byTagKeys", "'region'");
        assertBoto3Refused(a.get(1), "index byTagInclude", "'classified'");
        assertBoto3Refused(a.get(2), "index bySalary", "'salary'");
        assertBoto3Refused(a.get(3), "index bySecret", "'secret'");
        assertTrue(a.get(4).get("ok").asBoolean(), a.get(4).toString());
        assertEquals(2, a.get(4).get("response").get("Count").asInt(), "Select COUNT counts the visible rows: " + a.get(4));
        assertFalse(a.get(4).get("response").has("Items"));
    }

    @Test
    void class6HiddenRowsNeverShortenOrEndAPageAwsCli() throws Exception {
        for (int limit = 1; limit <= 3; limit++) {
            List<JsonNode> mixed = cliQueryPages("mixed", limit);
            List<JsonNode> visibleOnly = cliQueryPages("euonly", limit);
            assertEquals(visibleOnly, mixed, "Limit " + limit);
            assertEquals(4, mixed.stream().mapToInt(p -> p.get("Count").asInt()).sum());
            for (int i = 0; i < mixed.size() - 1; i++) assertEquals(limit, mixed.get(i).get("Count").asInt(), "a full page: " + mixed);
        }
    }

    @Test
    void class6HiddenRowsNeverShortenOrEndAPageBoto3() throws Exception {
        ArrayNode reads = JSON.createArrayNode();
        List<String> names = new ArrayList<>();
        for (int limit = 1; limit <= 3; limit++) {
            for (String table : List.of("mixed", "euonly")) {
                reads.add(read("query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"pk = :p AND sk > :s\","
                        + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"q\"},\":s\":{\"N\":\"1\"}},\"Limit\":" + limit + "}"));
                reads.add(read("query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"pk = :p\","
                        + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"},\":n\":{\"S\":\"zzz\"}},\"ScanIndexForward\":false,\"Limit\":" + limit
                        + ",\"FilterExpression\":\"#n <> :n\",\"ExpressionAttributeNames\":{\"#n\":\"name\"},"
                        + "\"ReturnConsumedCapacity\":\"TOTAL\"}"));
                reads.add(read("scan", "{\"TableName\":\"" + table + "\",\"Limit\":" + limit + "}"));
                reads.add(read("scan", "{\"TableName\":\"" + table + "\",\"Limit\":" + limit + ",\"Select\":\"COUNT\"}"));
                for (int i = 0; i < 4; i++) names.add(table + " read " + i + " Limit " + limit);
            }
        }
        List<JsonNode> pages = pages(reads);
        for (int i = 0; i < pages.size(); i += 8) {
            for (int r = 0; r < 4; r++) {
                JsonNode mixed = pages.get(i + r);
                JsonNode visibleOnly = pages.get(i + 4 + r);
                assertTrue(mixed.isArray(), names.get(i + r) + ": " + mixed);
                assertEquals(visibleOnly, mixed, names.get(i + r));
            }
        }
        JsonNode scan = pages.get(2);
        int scanned = 0;
        for (JsonNode page : scan) scanned += page.get("ScannedCount").asInt();
        assertEquals(12, scanned, "every visible row of the three partitions, once");
        JsonNode filtered = pages.get(1);
        assertEquals("p10", filtered.get(0).get("Items").get(0).get("name").get("S").asText(), "backwards: " + filtered);
        for (JsonNode page : filtered) assertFalse(page.has("ConsumedCapacity"), "capacity would count the hidden rows: " + page);
    }

    @Test
    void class7MetadataAwsCli() throws Exception {
        String hidden = "{\"id\":{\"S\":\"big\"},\"sk\":{\"N\":\"1\"}}";
        String missing = "{\"id\":{\"S\":\"nope\"},\"sk\":{\"N\":\"1\"}}";
        AwsCli.Result h = analystCli.dynamodb("get-item", "--table-name", "records", "--key", hidden, "--return-consumed-capacity", "TOTAL");
        AwsCli.Result m = analystCli.dynamodb("get-item", "--table-name", "records", "--key", missing, "--return-consumed-capacity", "TOTAL");
        assertEquals(0, h.exit(), h.err());
        assertEquals(m.out(), h.out(), "a hidden 20 KB row answers as a missing key");
        assertEquals(JSON.readTree("{}"), h.json());
        JsonNode adminSees = ok(adminCli.dynamodb("get-item", "--table-name", "records", "--key", hidden, "--return-consumed-capacity", "TOTAL"));
        assertEquals(2.5, adminSees.get("ConsumedCapacity").get("CapacityUnits").asDouble(), "the figure the analyst must not get");

        JsonNode described = ok(analystCli.dynamodb("describe-table", "--table-name", "records")).get("Table");
        assertFalse(described.has("ItemCount") || described.has("TableSizeBytes"), described.toString());
        for (JsonNode i : described.get("GlobalSecondaryIndexes")) assertFalse(i.has("ItemCount") || i.has("IndexSizeBytes"), i.toString());
        for (JsonNode i : described.get("LocalSecondaryIndexes")) assertFalse(i.has("ItemCount") || i.has("IndexSizeBytes"), i.toString());
        assertEquals("byTagKeys", described.get("GlobalSecondaryIndexes").get(0).get("IndexName").asText(), "the rest of the description");
        JsonNode full = ok(adminCli.dynamodb("describe-table", "--table-name", "records")).get("Table");
        assertEquals(5, full.get("ItemCount").asInt());
        assertTrue(full.get("TableSizeBytes").asLong() > 20_000);

        // The demo policy: ingest reads nothing, so a write of it gets no capacity; the admin's does.
        String person = "{\"id\":{\"S\":\"p-new\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"Cy\"}}";
        JsonNode put = ok(ingestCli.dynamodb("put-item", "--table-name", "people", "--item", person,
                "--return-consumed-capacity", "TOTAL", "--return-item-collection-metrics", "SIZE"));
        assertFalse(put.has("ConsumedCapacity"), put.toString());
        JsonNode adminPut = ok(adminCli.dynamodb("put-item", "--table-name", "people", "--item", person, "--return-consumed-capacity", "TOTAL"));
        assertTrue(adminPut.has("ConsumedCapacity"), adminPut.toString());
        // The analyst's projection of the SSN: applied to the item as its view shows it.
        JsonNode projected = ok(analystCli.dynamodb("get-item", "--table-name", "people", "--key", "{\"id\":{\"S\":\"p-eu\"}}",
                "--projection-expression", "ssn, salary")).get("Item");
        assertEquals(JSON.readTree("{\"ssn\":{\"S\":\"****6789\"}}"), projected);
        assertEquals(JSON.readTree("{}"), ok(analystCli.dynamodb("get-item", "--table-name", "people", "--key", "{\"id\":{\"S\":\"p-us\"}}",
                "--return-consumed-capacity", "TOTAL")), "the demo policy's region filter on a 20 KB row");
    }

    @Test
    void class7MetadataBoto3() throws Exception {
        Boto3 py = new Boto3(weir.endpoint());
        for (String id : List.of("big", "nope")) {
            py.call(ANALYST_KEY, ANALYST_SECRET, "get_item", "{\"TableName\":\"records\",\"Key\":{\"id\":{\"S\":\"" + id + "\"},"
                    + "\"sk\":{\"N\":\"1\"}},\"ReturnConsumedCapacity\":\"INDEXES\"}");
        }
        py.call(ANALYST_KEY, ANALYST_SECRET, "batch_get_item", "{\"RequestItems\":{\"records\":{\"Keys\":[{\"id\":{\"S\":\"big\"},"
                + "\"sk\":{\"N\":\"1\"}},{\"id\":{\"S\":\"r\"},\"sk\":{\"N\":\"4\"}},{\"id\":{\"S\":\"r\"},\"sk\":{\"N\":\"1\"}}],"
                + "\"ProjectionExpression\":\"sk, salary\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "transact_get_items", "{\"TransactItems\":[{\"Get\":{\"TableName\":\"records\","
                + "\"Key\":{\"id\":{\"S\":\"big\"},\"sk\":{\"N\":\"1\"}}}},{\"Get\":{\"TableName\":\"records\",\"Key\":{\"id\":{\"S\":\"r\"},"
                + "\"sk\":{\"N\":\"1\"}},\"ProjectionExpression\":\"#n\",\"ExpressionAttributeNames\":{\"#n\":\"name\"}}}],"
                + "\"ReturnConsumedCapacity\":\"TOTAL\"}");
        py.call(ANALYST_KEY, ANALYST_SECRET, "describe_table", "{\"TableName\":\"records\"}");
        py.call(ADMIN_KEY, ADMIN_SECRET, "get_item", "{\"TableName\":\"records\",\"Key\":{\"id\":{\"S\":\"big\"},"
                + "\"sk\":{\"N\":\"1\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}");
        List<JsonNode> a = py.run();
        assertEquals(JSON.readTree("{\"ok\":true,\"response\":{}}"), a.get(0), "a hidden 20 KB row");
        assertEquals(a.get(1), a.get(0), "answers as a missing key");
        JsonNode batch = a.get(2).get("response");
        assertEquals(JSON.readTree("{\"records\":[{\"sk\":{\"N\":\"4\"},\"salary\":{\"N\":\"90000\"}},"
                + "{\"sk\":{\"N\":\"1\"},\"salary\":{\"N\":\"90000\"}}]}"), batch.get("Responses"),
                "the visible rows in the order asked, projected after the mask: " + batch);
        assertFalse(batch.has("ConsumedCapacity"));
        JsonNode tx = a.get(3).get("response");
        assertEquals(JSON.readTree("[{},{\"Item\":{\"name\":{\"S\":\"n1\"}}}]"), tx.get("Responses"), tx.toString());
        assertFalse(tx.has("ConsumedCapacity"));
        JsonNode described = a.get(4).get("response").get("Table");
        assertFalse(described.has("ItemCount") || described.has("TableSizeBytes"), described.toString());
        assertNotEquals(null, a.get(5).get("response").get("ConsumedCapacity"), "the admin's view is unrestricted: " + a.get(5));
    }

    // ------------------------------------------------------------------------------ helpers

    private static void record(String id, int sk, String region, boolean classified, String name, int salary, String secret) {
        admin.putItem(b -> b.tableName("records").item(Map.of("id", s(id), "sk", n(sk), "region", s(region), "tag", s("t"),
                "classified", AttributeValue.fromBool(classified), "name", s(name), "salary", n(salary), "secret", s(secret))));
    }

    private static GlobalSecondaryIndex gsi(String name, String hash, String range, ProjectionType type, List<String> include) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(range == null ? List.of(k(hash, "HASH")) : List.of(k(hash, "HASH"), k(range, "RANGE")))
                .projection(p -> {
                    p.projectionType(type);
                    if (!include.isEmpty()) p.nonKeyAttributes(include);
                }).build();
    }

    private static software.amazon.awssdk.services.dynamodb.model.KeySchemaElement k(String name, String type) {
        return software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** The pages of a Query by the analyst on partition p, one CLI call per page. */
    private static List<JsonNode> cliQueryPages(String table, int limit) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        JsonNode start = null;
        do {
            // The CLI takes Limit (which it hides behind its own paging) and ExclusiveStartKey as input JSON.
            ObjectNode input = JSON.createObjectNode().put("TableName", table).put("KeyConditionExpression", "pk = :p")
                    .put("Limit", limit);
            input.putObject("ExpressionAttributeValues").putObject(":p").put("S", "p");
            if (start != null) input.set("ExclusiveStartKey", start);
            JsonNode page = ok(analystCli.dynamodb("query", "--cli-input-json", input.toString(), "--no-paginate"));
            ((ObjectNode) page).remove("ResponseMetadata");
            pages.add(page);
            start = page.get("LastEvaluatedKey");
        } while (start != null && pages.size() < 20);
        return pages;
    }

    private static ObjectNode read(String method, String params) throws Exception {
        ObjectNode r = JSON.createObjectNode().put("key", ANALYST_KEY).put("secret", ANALYST_SECRET).put("method", method);
        r.set("params", JSON.readTree(params));
        return r;
    }

    /** Every page of each read, through boto3: a list of pages, or the error of the page that failed. */
    private static List<JsonNode> pages(ArrayNode reads) throws Exception {
        Boto3 py = new Boto3(weir.endpoint());
        for (JsonNode r : reads) py.pages(r.get("key").asText(), r.get("secret").asText(), r.get("method").asText(), r.get("params").toString());
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode answer : py.run()) all.add(answer.get("ok").asBoolean() ? answer.get("pages") : answer);
        return all;
    }

    private static List<String> skOf(JsonNode items) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : items) out.add(i.get("sk").get("N").asText());
        return out;
    }

    private static void assertRefused(AwsCli.Result r, String... says) {
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.err().contains("(AccessDeniedException)"), r.err());
        for (String s : says) assertTrue(r.err().contains(s), s + " in " + r.err());
    }

    private static void assertBoto3Refused(JsonNode answer, String... says) {
        assertFalse(answer.get("ok").asBoolean(), answer.toString());
        assertEquals("AccessDeniedException", answer.get("code").asText(), answer.toString());
        for (String s : says) assertTrue(answer.get("message").asText().contains(s), s + " in " + answer);
    }

    private static JsonNode ok(AwsCli.Result r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return r.json();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }
}
