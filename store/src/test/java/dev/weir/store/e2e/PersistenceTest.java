package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import dev.weir.store.BundledStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What was acknowledged before a clean restart is there after it. */
class PersistenceTest {
    @TempDir
    Path dir;

    private static void createTable(DynamoDbClient ddb, String name) {
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build()));
    }

    @Test
    void tablesAndItemsSurviveARestart() {
        Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("kept"),
                "payload", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("7"))));
        try (BundledStore store = BundledStore.open(dir, StoreTestCredentials.CREDENTIALS);
             DynamoDbClient ddb = SdkClients.to(store.listen("127.0.0.1", 0))) {
            createTable(ddb, "durable");
            ddb.putItem(b -> b.tableName("durable").item(item));
        }
        try (BundledStore store = BundledStore.open(dir, StoreTestCredentials.CREDENTIALS);
             DynamoDbClient ddb = SdkClients.to(store.listen("127.0.0.1", 0))) {
            assertEquals(item, ddb.getItem(b -> b.tableName("durable").key(Map.of("id", AttributeValue.fromS("kept")))).item());
            assertEquals(List.of("durable"), ddb.listTables().tableNames());
            assertThrows(ResourceInUseException.class, () -> createTable(ddb, "durable"));
            // a table created after the restart gets a fresh id: its items do not see the old table's
            createTable(ddb, "second");
            assertEquals(false, ddb.getItem(b -> b.tableName("second").key(Map.of("id", AttributeValue.fromS("kept")))).hasItem());
        }
    }
}
