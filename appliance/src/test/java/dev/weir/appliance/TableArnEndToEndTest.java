package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table's ARN is the table: a deny written for {@code people} holds when the client names
 * it {@code arn:aws:dynamodb:us-east-1:000000000000:table/people} (GetItem, Scan, BatchGetItem,
 * TransactWriteItems, through the AWS SDK and the aws CLI), an ARN of another account is
 * refused, and an allowed request by ARN works and is answered under the client's name. And a
 * refusal is audited as what it is: the analyst's filter on a masked field is FORBIDDEN.
 */
class TableArnEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.fromS("1"));

    @TempDir
    static Path home;
    static ApplianceProcess weir;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("arn.weir"), """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("people-closed") deny admin on table people op [GetItem, Scan, BatchGetItem, TransactWriteItems]
                  reason "people is closed to admins here"
                @id("analyst-read") allow analyst on table people op [GetItem, Query, Scan]
                  fields [id, name, ssn]
                  mask ssn show_last(4)
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        try (DynamoDbClient admin = admin()) {
            for (String t : List.of("people", "other")) {
                admin.createTable(b -> b.tableName(t).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                        .keySchema(k -> k.attributeName("id").keyType("HASH")));
                admin.putItem(b -> b.tableName(t).item(Map.of("id", s("1"), "name", s("Ada " + t), "ssn", s("123-45-6789"))));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void aDenyOnATableHoldsForItsArn() {
        try (DynamoDbClient admin = admin()) {
            assertDenied(() -> admin.getItem(b -> b.tableName(ARN + "people").key(KEY)));
            assertDenied(() -> admin.scan(b -> b.tableName(ARN + "people")));
            assertDenied(() -> admin.batchGetItem(b -> b.requestItems(Map.of(ARN + "people", KeysAndAttributes.builder().keys(KEY).build()))));
            assertDenied(() -> admin.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                    .put(p -> p.tableName(ARN + "people").item(Map.of("id", s("tx")))).build())));
            assertFalse(admin.getItem(b -> b.tableName("other").key(Map.of("id", s("tx")))).hasItem());
        }
    }

    @Test
    void theAwsCliNamingATableByItsArnMeetsTheSameDeny() throws Exception {
        AwsCli.Result r = new AwsCli(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")
                .dynamodb("get-item", "--table-name", ARN + "people", "--key", "{\"id\":{\"S\":\"1\"}}");
        assertTrue(r.err().contains("AccessDeniedException") && r.err().contains("rule people-closed forbids it"), r.err());
    }

    @Test
    void anArnOfAnotherAccountIsRefused() {
        try (DynamoDbClient admin = admin()) {
            DynamoDbException e = assertThrows(DynamoDbException.class,
                    () -> admin.getItem(b -> b.tableName("arn:aws:dynamodb:us-east-1:111122223333:table/other").key(KEY)));
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("account 111122223333"), e.awsErrorDetails().errorMessage());
            DynamoDbException index = assertThrows(DynamoDbException.class,
                    () -> admin.getItem(b -> b.tableName(ARN + "other/index/by-name").key(KEY)));
            assertEquals("ValidationException", index.awsErrorDetails().errorCode());
        }
    }

    @Test
    void anAllowedRequestByArnWorksAndIsAnsweredUnderTheClientsName() {
        try (DynamoDbClient admin = admin()) {
            assertEquals("Ada other", admin.getItem(b -> b.tableName(ARN + "other").key(KEY)).item().get("name").s());
            var batch = admin.batchGetItem(b -> b.requestItems(Map.of(ARN + "other", KeysAndAttributes.builder().keys(KEY).build())));
            assertEquals("Ada other", batch.responses().get(ARN + "other").getFirst().get("name").s(), batch.toString());
            admin.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                    .put(p -> p.tableName(ARN + "other").item(Map.of("id", s("by-arn")))).build()));
            assertTrue(admin.getItem(b -> b.tableName("other").key(Map.of("id", s("by-arn")))).hasItem());
        }
    }

    @Test
    void theAnalystsFilterOnAMaskedFieldIsAuditedForbidden() throws Exception {
        try (DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> analyst.scan(b -> b.tableName("people")
                    .filterExpression("begins_with(ssn, :p)").expressionAttributeValues(Map.of(":p", s("123")))));
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        }
        JsonNode event = awaitEvent(ev -> "Scan".equals(ev.path("event.action").asText())
                && "analyst".equals(ev.path("user.name").asText()));
        assertEquals("FORBIDDEN", event.path("weir.decision").asText(), event.toString());
        assertEquals("failure", event.path("event.outcome").asText(), event.toString());
        assertEquals("[\"analyst-read\"]", event.path("rule.id").toString());
        JsonNode arn = awaitEvent(ev -> "GetItem".equals(ev.path("event.action").asText())
                && "admin".equals(ev.path("user.name").asText()) && "FORBIDDEN".equals(ev.path("weir.decision").asText()));
        assertEquals("people", arn.path("weir.table").asText(), "audited under the table's name: " + arn);
    }

    private static JsonNode awaitEvent(Predicate<JsonNode> which) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            if (Files.exists(weir.auditFile())) {
                for (String line : Files.readAllLines(weir.auditFile())) {
                    JsonNode e = JSON.readTree(line);
                    if (which.test(e)) return e;
                }
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no such audit event within 15 s");
            Thread.sleep(100);
        }
    }

    private static void assertDenied(org.junit.jupiter.api.function.Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("rule people-closed forbids it"), e.awsErrorDetails().errorMessage());
    }

    private static DynamoDbClient admin() {
        return DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
