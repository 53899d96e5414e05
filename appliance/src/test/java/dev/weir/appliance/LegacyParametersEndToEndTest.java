package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy parameters through the firewall: same decisions, masking and side-channel closure as expressions. */
class LegacyParametersEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("legacy.weir"), """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("rw") allow analyst on table legacy_t op [GetItem, Scan, Query, PutItem, UpdateItem]
                  fields [id, v, s]
                  mask s show_last(2)
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            admin.createTable(b -> b.tableName("legacy_t").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            admin.putItem(b -> b.tableName("legacy_t").item(Map.of("id", s("1"), "v", s("open"), "s", s("secret-1"),
                    "h", s("hidden-1"))));
            admin.putItem(b -> b.tableName("legacy_t").item(Map.of("id", s("w"), "v", s("to-change"))));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void legacyReadsAreFilteredAndLegacyFiltersOnHiddenFieldsRefused() {
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            var scan = analyst.scan(b -> b.tableName("legacy_t").scanFilter(Map.of("v",
                    Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("open")).build())));
            assertEquals(1, scan.count());
            assertEquals("****-1", scan.items().getFirst().get("s").s());
            assertTrue(!scan.items().getFirst().containsKey("h"));

            assertDenied(() -> analyst.scan(b -> b.tableName("legacy_t").scanFilter(Map.of("s",
                    Condition.builder().comparisonOperator(ComparisonOperator.BEGINS_WITH).attributeValueList(s("secret")).build()))));
            assertDenied(() -> analyst.scan(b -> b.tableName("legacy_t").scanFilter(Map.of("h",
                    Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build()))));
            // AttributesToGet tests nothing: it is applied to the item as the analyst's view shows it.
            assertEquals(Map.of("id", s("1"), "s", s("****-1")), analyst.getItem(b -> b.tableName("legacy_t")
                    .key(Map.of("id", s("1"))).attributesToGet("id", "s", "h")).item());
            assertEquals(Map.of("id", s("1"), "v", s("open")), analyst.getItem(b -> b.tableName("legacy_t")
                    .key(Map.of("id", s("1"))).attributesToGet("id", "v")).item());
        }
    }

    @Test
    void legacyWritesFollowTheAllowListAndConditionsOnHiddenFieldsAreRefused() {
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            analyst.updateItem(b -> b.tableName("legacy_t").key(Map.of("id", s("w"))).attributeUpdates(Map.of("v",
                    AttributeValueUpdate.builder().action(AttributeAction.PUT).value(s("changed")).build())));
            assertDenied(() -> analyst.updateItem(b -> b.tableName("legacy_t").key(Map.of("id", s("w"))).attributeUpdates(
                    Map.of("h", AttributeValueUpdate.builder().action(AttributeAction.PUT).value(s("x")).build()))));
            assertDenied(() -> analyst.putItem(b -> b.tableName("legacy_t").item(Map.of("id", s("2"), "v", s("x")))
                    .expected(Map.of("s", ExpectedAttributeValue.builder().value(s("secret-1")).build()))));
            analyst.putItem(b -> b.tableName("legacy_t").item(Map.of("id", s("3"), "v", s("x")))
                    .expected(Map.of("v", ExpectedAttributeValue.builder().exists(false).build())));
        }
    }

    private static void assertDenied(Runnable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call::run);
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
    }

    private static DynamoDbClient client(String key, String secret) {
        return DynamoClients.as(weir.endpoint(), key, secret);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
