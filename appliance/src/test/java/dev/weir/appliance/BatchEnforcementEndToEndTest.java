package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches and transactions: every part decided for its own table; one refused part refuses the whole. */
class BatchEnforcementEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("batch.weir"), """
                role admin
                role analyst
                role ingest
                @id("admin-all") allow admin on table * op *
                @id("read") allow analyst on table [tab_a, tab_b] op [BatchGetItem, TransactGetItems]
                  rows where item.k != "hidden"
                  mask s show_last(2)
                @id("write") allow ingest on table tab_a op [BatchWriteItem, TransactWriteItems]
                  fields [id, v, k]
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            for (String t : List.of("tab_a", "tab_b", "tab_c")) {
                admin.createTable(b -> b.tableName(t).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                        .keySchema(k -> k.attributeName("id").keyType("HASH")));
                admin.putItem(b -> b.tableName(t).item(Map.of("id", s("1"), "s", s("secret-" + t), "k", s("shown"))));
                admin.putItem(b -> b.tableName(t).item(Map.of("id", s("2"), "s", s("other-" + t), "k", s("hidden"))));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void batchGetFiltersEachTablesItemsWithThatTablesPlan() {
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            KeysAndAttributes keys = KeysAndAttributes.builder().keys(Map.of("id", s("1")), Map.of("id", s("2"))).build();
            var r = analyst.batchGetItem(b -> b.requestItems(Map.of("tab_a", keys, "tab_b", keys)));
            for (String t : List.of("tab_a", "tab_b")) {
                List<Map<String, AttributeValue>> items = r.responses().get(t);
                assertEquals(1, items.size(), "the hidden row is dropped: " + items);
                assertEquals(lastTwo("secret-" + t), items.getFirst().get("s").s());
            }
            DynamoDbException e = assertThrows(DynamoDbException.class,
                    () -> analyst.batchGetItem(b -> b.requestItems(Map.of("tab_a", keys, "tab_c", keys))));
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("(table tab_c)"), e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void transactGetKeepsPositionsAndHidesFilteredRows() {
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            var r = analyst.transactGetItems(b -> b.transactItems(
                    TransactGetItem.builder().get(g -> g.tableName("tab_b").key(Map.of("id", s("1")))).build(),
                    TransactGetItem.builder().get(g -> g.tableName("tab_a").key(Map.of("id", s("2")))).build()));
            assertEquals(lastTwo("secret-tab_b"), r.responses().get(0).item().get("s").s());
            assertFalse(r.responses().get(1).hasItem() && !r.responses().get(1).item().isEmpty(), "hidden row withheld");
        }
    }

    @Test
    void aBatchOrTransactionWithOneRefusedPartIsRefusedWholeAndWritesNothing() {
        try (DynamoDbClient ingest = client("AKIAWEIRINGEST000001", "weir-ingest-secret");
             DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            DynamoDbException batch = assertThrows(DynamoDbException.class, () -> ingest.batchWriteItem(b -> b.requestItems(
                    Map.of("tab_a", List.of(put(Map.of("id", s("10"), "v", s("ok"))), put(Map.of("id", s("11"), "s", s("no"))))))));
            assertEquals("AccessDeniedException", batch.awsErrorDetails().errorCode());
            assertTrue(batch.awsErrorDetails().errorMessage().contains("'s'"), batch.awsErrorDetails().errorMessage());
            DynamoDbException tx = assertThrows(DynamoDbException.class, () -> ingest.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("tab_a").item(Map.of("id", s("12"), "v", s("ok")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("tab_b").item(Map.of("id", s("13")))).build())));
            assertEquals("AccessDeniedException", tx.awsErrorDetails().errorCode());
            for (String id : List.of("10", "11", "12")) {
                assertFalse(admin.getItem(b -> b.tableName("tab_a").key(Map.of("id", s(id)))).hasItem(), "nothing written: " + id);
            }
            ingest.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("tab_a").item(Map.of("id", s("14"), "v", s("ok")))).build()));
            ingest.batchWriteItem(b -> b.requestItems(Map.of("tab_a", List.of(put(Map.of("id", s("15"), "v", s("ok")))))));
            assertTrue(admin.getItem(b -> b.tableName("tab_a").key(Map.of("id", s("14")))).hasItem());
            assertTrue(admin.getItem(b -> b.tableName("tab_a").key(Map.of("id", s("15")))).hasItem());
        }
    }

    /** show_last(2): a fixed {@code ****} and the last two characters. */
    private static String lastTwo(String v) {
        return "****" + v.substring(v.length() - 2);
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(p -> p.item(item)).build();
    }

    private static DynamoDbClient client(String key, String secret) {
        return DynamoClients.as(weir.endpoint(), key, secret);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
