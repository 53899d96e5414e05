package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The item collection size limit of tables with a local secondary index, made small here: an
 * item below is about 520 bytes and its local index entry (ALL projection) as much again plus
 * 100 bytes, so three items of one partition key fit in 4,000 bytes and a fourth does not.
 */
class ItemCollectionSdkTest extends SdkTestBase {
    private static final long LIMIT = 4_000;
    private static final String BODY = "x".repeat(500);

    @BeforeAll
    static void setUp() {
        start(StoreTestCredentials.options().withItemCollectionSizeLimit(LIMIT));
        table("coll", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N, b -> b
                .attributeDefinitions(List.of(
                        software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName("pk")
                                .attributeType(ScalarAttributeType.S).build(),
                        software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName("sk")
                                .attributeType(ScalarAttributeType.N).build(),
                        software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName("prio")
                                .attributeType(ScalarAttributeType.N).build()))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byPrio")
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("prio").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        table("plain", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
    }

    private static Map<String, AttributeValue> item(String pk, int sk) {
        return Map.of("pk", s(pk), "sk", n(sk), "prio", n(sk), "body", s(BODY));
    }

    private static PutItemResponse put(String table, Map<String, AttributeValue> item) {
        return ddb.putItem(b -> b.tableName(table).item(item).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
    }

    private static void assertTooLarge(Runnable write) {
        assertError(ItemCollectionSizeLimitExceededException.class, "ItemCollectionSizeLimitExceededException",
                "Collection size exceeded.", write::run);
    }

    @Test
    void aWriteThatWouldPassTheLimitFailsAndChangesNothing() {
        for (int i = 1; i <= 3; i++) put("coll", item("a", i));
        assertTooLarge(() -> put("coll", item("a", 4)));
        assertNull(ddb.getItem(b -> b.tableName("coll").key(Map.of("pk", s("a"), "sk", n(4)))).item().get("pk"));
        // another partition key value is another collection
        put("coll", item("b", 1));
        // growing an item already there is refused too; shrinking one is not
        assertTooLarge(() -> ddb.updateItem(b -> b.tableName("coll").key(Map.of("pk", s("a"), "sk", n(3)))
                .updateExpression("SET more = :m").expressionAttributeValues(Map.of(":m", s("y".repeat(800))))));
        ddb.updateItem(b -> b.tableName("coll").key(Map.of("pk", s("a"), "sk", n(3))).updateExpression("REMOVE body"));
        // deleting makes room again
        ddb.deleteItem(b -> b.tableName("coll").key(Map.of("pk", s("a"), "sk", n(2))));
        put("coll", item("a", 4));
        // two full items, one without its body (about 2,400 bytes): one more full item fits, a second does not
        put("coll", item("a", 5));
        assertTooLarge(() -> put("coll", item("a", 6)));
        // a table without a local secondary index has no item collection limit
        for (int i = 1; i <= 10; i++) put("plain", item("a", i));
    }

    @Test
    void aTransactionThatWouldPassTheLimitIsCancelledWithTheReason() {
        for (int i = 1; i <= 3; i++) put("coll", item("t", i));
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b
                .transactItems(TransactWriteItem.builder().put(p -> p.tableName("plain").item(item("t", 50))).build(),
                        TransactWriteItem.builder().put(p -> p.tableName("coll").item(item("t", 4))).build())));
        assertEquals(List.of("None", "ItemCollectionSizeLimitExceeded"),
                e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("Collection size exceeded.", e.cancellationReasons().get(1).message());
        // all or nothing: the other table's item was not written either
        assertNull(ddb.getItem(b -> b.tableName("plain").key(Map.of("pk", s("t"), "sk", n(50)))).item().get("pk"));
    }

    @Test
    void returnItemCollectionMetricsGivesTheKeyAndASizeRange() {
        PutItemResponse r = put("coll", item("m", 1));
        assertEquals(Map.of("pk", s("m")), r.itemCollectionMetrics().itemCollectionKey());
        assertEquals(List.of(0.0, 1.0), r.itemCollectionMetrics().sizeEstimateRangeGB());
        // no ItemCollectionMetrics without a local secondary index
        assertNull(put("plain", item("m", 1)).itemCollectionMetrics());

        BatchWriteItemResponse batch = ddb.batchWriteItem(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
                .requestItems(Map.of("coll", List.of(
                        WriteRequest.builder().putRequest(p -> p.item(item("m", 2))).build(),
                        WriteRequest.builder().putRequest(p -> p.item(item("n", 1))).build()),
                        "plain", List.of(WriteRequest.builder().putRequest(p -> p.item(item("m", 2))).build()))));
        assertEquals(List.of(Map.of("pk", s("m")), Map.of("pk", s("n"))),
                batch.itemCollectionMetrics().get("coll").stream().map(m -> m.itemCollectionKey()).toList());
        assertEquals(java.util.Set.of("coll"), batch.itemCollectionMetrics().keySet());
    }

    @Test
    void concurrentWritersToOneCollectionStopExactlyAtTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int sk = i;
                results.add(pool.submit(() -> {
                    try {
                        put("coll", item("c", sk));
                        return true;
                    } catch (ItemCollectionSizeLimitExceededException e) {
                        return false;
                    }
                }));
            }
            int ok = 0;
            for (Future<Boolean> f : results) if (f.get(30, TimeUnit.SECONDS)) ok++;
            assertEquals(3, ok);
        } finally {
            pool.shutdownNow();
        }
    }
}
