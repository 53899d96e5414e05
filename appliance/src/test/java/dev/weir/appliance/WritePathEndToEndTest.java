package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write side of issue 13 against a real weir and the bundled store, through the aws CLI and
 * boto3, with the shipped policy and the review's shapes: a writer (analyst-like, region eu)
 * that reads salary through {@code bucket(10000)} and a string set through an {@code hmac}
 * mask, a read deny on classified rows, and the demo's ingest, which writes and reads nothing.
 * <ul>
 *   <li>class 1, laundering through writes: {@code SET #n = ssn}, {@code SET address.city =
 *       address.street}, {@code if_not_exists(ssn, :x)} are refused;</li>
 *   <li>class 2, returned values by the write rule: ingest's ReturnValues and a ConditionCheck's
 *       ReturnValuesOnConditionCheckFailure are refused, its {@code begins_with(ssn, :p)}
 *       condition too; what the writer gets back goes through its read view (a classified row's
 *       values are withheld, a visible row's masked);</li>
 *   <li>class 3, escaping the policy's condition: {@code attribute_exists(id) or#i = :v} neither
 *       moves an item out of ingest's regions nor reaches another region's item;</li>
 *   <li>class 5, implicit reads: {@code ADD salary :d} with ALL_NEW and {@code ADD tags :g} are
 *       refused.</li>
 * </ul>
 * Each case runs twice, once per client (the CLI with {@code --cli-input-json}, boto3 with the
 * same parameters), and must end the same way in both; the stored items are checked as admin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WritePathEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REVIEW = """
            role writer

            # The review's shapes (issue 13): a bucketed salary, an hmac-masked string set, classified rows.
            @id("review-writer-read")
            allow writer on table people op [GetItem, Query, Scan]
              rows where item.region == principal.region
              fields [id, name, region, salary, tags, notes, classified]
              mask salary bucket(10000)
              mask tags hmac(key: "k1")

            @id("review-writer-write")
            allow writer on table people op [PutItem, UpdateItem, DeleteItem, TransactWriteItems]
              rows where item.region == principal.region

            @id("people-ingest-tx")
            allow ingest on table people op [TransactWriteItems]
              fields [id, name, email, ssn, region, address.*, tags, notes]
              require item.region in principal.regions

            @id("review-classified")
            deny [analyst, support, writer] on table people op [read]
              rows where item.classified == true
              reason "classified rows are read by no one but admin"
            """;

    private static final String[] INGEST = {"AKIAWEIRINGEST000001", "weir-ingest-secret"};
    private static final String[] WRITER = {"AKIAWRITERREVIEW0001", "writer-review-secret"};

    @TempDir
    static Path home;
    ApplianceProcess weir;
    DynamoDbClient admin;

    @BeforeAll
    void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(ApplianceProcess.CONF.resolve("policies/people.weir"), policies.resolve("people.weir"));
        Files.writeString(policies.resolve("review.weir"), REVIEW);
        Path principals = home.resolve("principals.yaml");
        Files.writeString(principals, Files.readString(ApplianceProcess.CONF.resolve("principals.yaml")) + """

                  - name: writer
                    access_key_id: AKIAWRITERREVIEW0001
                    secret_access_key: writer-review-secret
                    roles: [writer]
                    attributes:
                      region: eu
                """);
        weir = ApplianceProcess.startWith(home, policies, principals, Map.of("WEIR_HMAC_KEY_K1", "review-hmac-key"));
        admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
        admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH")));
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s("eu-1"), "name", s("Ada"), "region", s("eu"),
                "ssn", s("123-45-6789"), "salary", AttributeValue.fromN("123456"),
                "address", AttributeValue.fromM(Map.of("street", s("1 Main St"), "city", s("Berlin"))),
                "tags", AttributeValue.fromSs(List.of("gold", "vip")))));
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s("ap-1"), "name", s("Kim"), "region", s("apac"),
                "ssn", s("999-99-9999"))));
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s("eu-secret"), "name", s("Hidden"), "region", s("eu"),
                "classified", AttributeValue.fromBool(true), "salary", AttributeValue.fromN("99999"), "notes", s("CANARY-NOTE"))));
    }

    @AfterAll
    void stop() throws Exception {
        if (admin != null) admin.close();
        if (weir != null) weir.close();
    }

    // ------------------------------------------------------------------------------ class 1

    @Test
    void launderingThroughWritesIsRefused() throws Exception {
        String key = "\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"eu-1\"}},";
        List<JsonNode> answers = both(INGEST, "UpdateItem",
                "{" + key + "\"UpdateExpression\":\"SET #n = ssn\",\"ExpressionAttributeNames\":{\"#n\":\"name\"}}",
                "{" + key + "\"UpdateExpression\":\"SET address.city = address.street\"}",
                "{" + key + "\"UpdateExpression\":\"SET #n = if_not_exists(ssn, :x)\",\"ExpressionAttributeNames\":{\"#n\":\"name\"},"
                        + "\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}");
        for (JsonNode a : answers) assertRefused(a, "ssn", "address");
        Map<String, AttributeValue> stored = stored("eu-1");
        assertEquals("Ada", stored.get("name").s());
        assertEquals("Berlin", stored.get("address").m().get("city").s());
    }

    // ------------------------------------------------------------------------------ class 2

    @Test
    void ingestGetsNoReturnedValuesAndNoConditionOnWhatItCannotRead() throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        answers.addAll(both(INGEST, "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"eu-1\"},\"region\":{\"S\":\"eu\"}},"
                + "\"ReturnValues\":\"ALL_OLD\"}"));
        answers.addAll(both(INGEST, "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"eu-1\"}},"
                + "\"UpdateExpression\":\"SET notes = :n\",\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"}},\"ReturnValues\":\"ALL_OLD\"}"));
        answers.addAll(both(INGEST, "TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"people\","
                + "\"Key\":{\"id\":{\"S\":\"eu-1\"}},\"ConditionExpression\":\"attribute_not_exists(id)\","
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}}]}"));
        answers.addAll(both(INGEST, "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"eu-1\"}},"
                + "\"UpdateExpression\":\"SET notes = :n\",\"ConditionExpression\":\"begins_with(ssn, :p)\","
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"x\"},\":p\":{\"S\":\"123\"}}}"));
        for (JsonNode a : answers) assertRefused(a, "Return", "ssn");
        assertEquals(6, answers.stream().filter(a -> a.path("message").asText().contains("Return")).count(), answers.toString());
        assertFalse(stored("eu-1").containsKey("notes") && stored("eu-1").get("notes").s().equals("x"), "the update was never sent");
        assertEquals("Ada", stored("eu-1").get("name").s(), "the put was never sent");
    }

    @Test
    void whatAWriteReturnsGoesThroughTheWritersReadView() throws Exception {
        String update = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"%s\"}},\"UpdateExpression\":\"SET notes = :n\","
                + "\"ExpressionAttributeValues\":{\":n\":{\"S\":\"seen\"}},\"ReturnValues\":\"%s\"}";
        List<JsonNode> visible = both(WRITER, "UpdateItem", update.formatted("eu-1", "ALL_NEW"), update.formatted("eu-1", "UPDATED_NEW"));
        for (int client = 0; client < 2; client++) { // [CLI, boto3] for ALL_NEW, then for UPDATED_NEW
            JsonNode all = ok(visible.get(client)).path("Attributes");
            assertEquals("120000", all.path("salary").path("N").asText(), all.toString());
            assertTrue(all.path("tags").has("S") && !all.toString().contains("vip"), "the set is one masked value: " + all);
            assertFalse(all.has("ssn") || all.has("address"), all.toString());
            assertEquals("{\"notes\":{\"S\":\"seen\"}}", ok(visible.get(2 + client)).path("Attributes").toString(),
                    "UPDATED_NEW, cut after the view");
        }
        List<JsonNode> hidden = both(WRITER, "UpdateItem", update.formatted("eu-secret", "ALL_OLD"));
        for (JsonNode a : hidden) {
            assertFalse(ok(a).has("Attributes"), "a classified row's values are withheld: " + a);
            assertFalse(a.toString().contains("CANARY"), a.toString());
        }
        assertEquals("seen", stored("eu-secret").get("notes").s(), "the write itself was in the writer's scope");
        // A condition on a row the writer does not see fails, whatever the hidden values, and shows no item (the AWS SDK
        // for Java here: Debian's boto3 and this aws CLI predate ReturnValuesOnConditionCheckFailure on single writes).
        try (DynamoDbClient writer = DynamoClients.as(weir.endpoint(), WRITER[0], WRITER[1])) {
            ConditionalCheckFailedException hiddenRow = assertThrows(ConditionalCheckFailedException.class, () -> writer.updateItem(b -> b
                    .tableName("people").key(Map.of("id", s("eu-secret"))).updateExpression("SET notes = :n")
                    .conditionExpression("attribute_exists(notes)").expressionAttributeValues(Map.of(":n", s("x")))
                    .returnValuesOnConditionCheckFailure("ALL_OLD")));
            assertFalse(hiddenRow.hasItem() && !hiddenRow.item().isEmpty(), "a classified row's item: " + hiddenRow.item());
            ConditionalCheckFailedException visibleRow = assertThrows(ConditionalCheckFailedException.class, () -> writer.updateItem(b -> b
                    .tableName("people").key(Map.of("id", s("eu-1"))).updateExpression("SET notes = :n")
                    .conditionExpression("attribute_not_exists(notes)").expressionAttributeValues(Map.of(":n", s("x")))
                    .returnValuesOnConditionCheckFailure("ALL_OLD")));
            assertEquals("120000", visibleRow.item().get("salary").n(), "a visible row, as the view shows it: " + visibleRow.item());
            assertFalse(visibleRow.item().containsKey("ssn"), visibleRow.item().toString());
        }
    }

    // ------------------------------------------------------------------------------ class 3

    @Test
    void aClientsConditionCannotEscapeThePolicys() throws Exception {
        String escape = "\"ConditionExpression\":\"attribute_exists(id) or#i = :v\",";
        List<JsonNode> answers = new ArrayList<>();
        answers.addAll(both(INGEST, "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"eu-1\"}},"
                + "\"UpdateExpression\":\"SET #r = :us\"," + escape + "\"ExpressionAttributeNames\":{\"#r\":\"region\",\"#i\":\"id\"},"
                + "\"ExpressionAttributeValues\":{\":us\":{\"S\":\"us\"},\":v\":{\"S\":\"eu-1\"}}}"));
        answers.addAll(both(INGEST, "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"ap-1\"}},"
                + "\"UpdateExpression\":\"SET #n = :x\"," + escape + "\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#i\":\"id\"},"
                + "\"ExpressionAttributeValues\":{\":x\":{\"S\":\"taken\"},\":v\":{\"S\":\"ap-1\"}}}"));
        answers.addAll(both(WRITER, "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"ap-1\"}},"
                + escape + "\"ExpressionAttributeNames\":{\"#i\":\"region\"},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"eu\"}}}"));
        for (JsonNode a : answers) assertEquals("ConditionalCheckFailedException", a.path("code").asText(), a.toString());
        assertEquals("eu", stored("eu-1").get("region").s(), "not moved out of its region");
        assertEquals("Kim", stored("ap-1").get("name").s(), "another region's item is not changed");
        assertEquals("apac", stored("ap-1").get("region").s());
    }

    // ------------------------------------------------------------------------------ class 5

    @Test
    void implicitReadsOfMaskedValuesAreRefused() throws Exception {
        String key = "\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"eu-1\"}},";
        List<JsonNode> answers = both(WRITER, "UpdateItem",
                "{" + key + "\"UpdateExpression\":\"ADD salary :d\",\"ExpressionAttributeValues\":{\":d\":{\"N\":\"1\"}},"
                        + "\"ReturnValues\":\"ALL_NEW\"}",
                "{" + key + "\"UpdateExpression\":\"ADD tags :g\",\"ExpressionAttributeValues\":{\":g\":{\"SS\":[\"vip\"]}},"
                        + "\"ReturnValues\":\"ALL_NEW\"}",
                "{" + key + "\"UpdateExpression\":\"SET notes = salary\"}");
        for (JsonNode a : answers) assertRefused(a, "salary", "tags");
        assertEquals("123456", stored("eu-1").get("salary").n());
        assertEquals(List.of("gold", "vip"), stored("eu-1").get("tags").ss().stream().sorted().toList());
    }

    @Test
    void ordinaryWritesStillWork() throws Exception {
        String create = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"%s\"}},"
                + "\"UpdateExpression\":\"SET #n = :n, #r = :r\",\"ConditionExpression\":\"attribute_not_exists(id)\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"name\",\"#r\":\"region\"},\"ExpressionAttributeValues\":"
                + "{\":n\":{\"S\":\"Grace\"},\":r\":{\"S\":\"us\"}}}";
        ok(cli(INGEST, "UpdateItem", create.formatted("new-cli")));
        ok(boto3(INGEST, "UpdateItem", create.formatted("new-boto3")));
        for (String id : List.of("new-cli", "new-boto3")) {
            assertEquals("Grace", stored(id).get("name").s());
            for (JsonNode again : both(INGEST, "UpdateItem", create.formatted(id))) {
                assertEquals("ConditionalCheckFailedException", again.path("code").asText(), "the item exists now: " + again);
            }
        }
        ok(boto3(WRITER, "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"new-writer\"}},"
                + "\"UpdateExpression\":\"SET salary = :s, #r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":s\":{\"N\":\"130000\"},\":r\":{\"S\":\"eu\"}}}"));
        assertEquals("130000", stored("new-writer").get("salary").n(), "writing a literal into a masked field is allowed");
    }

    // ------------------------------------------------------------------------------ helpers

    /** Each request through the aws CLI, then through boto3: answers in that order (CLI answers carry code and message only). */
    private List<JsonNode> both(String[] who, String op, String... requests) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String r : requests) {
            JsonNode cli = cli(who, op, r);
            JsonNode py = boto3(who, op, r);
            assertEquals(cli.path("code").asText(), py.path("code").asText(), "both clients end the same way: " + cli + " / " + py);
            out.add(cli);
            out.add(py);
        }
        return out;
    }

    private JsonNode cli(String[] who, String op, String request) throws Exception {
        AwsCli.Result r = new AwsCli(weir.endpoint(), who[0], who[1]).dynamodb(kebab(op), "--cli-input-json", request);
        if (r.exit() == 0) return JSON.createObjectNode().put("ok", true).set("response", r.json());
        var m = java.util.regex.Pattern.compile("An error occurred \\((\\w+)\\) when calling the \\w+ operation: (.*)", java.util.regex.Pattern.DOTALL)
                .matcher(r.err());
        assertTrue(m.find(), "an error the CLI reports: " + r.err());
        return JSON.createObjectNode().put("ok", false).put("code", m.group(1)).put("message", m.group(2).trim());
    }

    private JsonNode boto3(String[] who, String op, String request) throws Exception {
        return new Boto3(weir.endpoint()).call(who[0], who[1], snake(op), request).run().getFirst();
    }

    private static void assertRefused(JsonNode answer, String... oneOfNamed) {
        assertEquals("AccessDeniedException", answer.path("code").asText(), answer.toString());
        String message = answer.path("message").asText();
        boolean named = false;
        for (String n : oneOfNamed) named |= message.contains(n);
        assertTrue(named, "the refusal names what it is about: " + message);
        for (String secret : List.of("123-45-6789", "1 Main St", "123456")) assertFalse(answer.toString().contains(secret), answer.toString());
    }

    private static JsonNode ok(JsonNode answer) {
        assertTrue(answer.path("ok").asBoolean(), answer.toString());
        return answer.path("response");
    }

    private Map<String, AttributeValue> stored(String id) {
        return admin.getItem(b -> b.tableName("people").key(Map.of("id", s(id))).consistentRead(true)).item();
    }

    private static String kebab(String op) {
        return op.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String snake(String op) {
        return op.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
