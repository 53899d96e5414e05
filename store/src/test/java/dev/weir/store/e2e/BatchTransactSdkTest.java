package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems through the SDK. */
class BatchTransactSdkTest extends SdkTestBase {

    @BeforeAll
    static void setUp() {
        start();
        table("accounts", "id", ScalarAttributeType.S, null, null);
        table("ledger", "acct", ScalarAttributeType.S, "seq", ScalarAttributeType.N);
    }

    static Map<String, AttributeValue> account(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> get(String id) {
        return ddb.getItem(b -> b.tableName("accounts").key(account(id))).item();
    }

    static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(p -> p.item(item)).build();
    }

    @Test
    void batchWriteAndGetAcrossTables() {
        BatchWriteItemResponse w = ddb.batchWriteItem(b -> b.requestItems(Map.of(
                "accounts", List.of(put(Map.of("id", s("b1"), "v", n(1))), put(Map.of("id", s("b2"), "v", n(2)))),
                "ledger", List.of(put(Map.of("acct", s("b1"), "seq", n(1)))))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertTrue(w.unprocessedItems().isEmpty());
        assertEquals(2, w.consumedCapacity().size());
        ddb.batchWriteItem(b -> b.requestItems(Map.of("accounts",
                List.of(WriteRequest.builder().deleteRequest(d -> d.key(account("b2"))).build()))));
        BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(Map.of(
                "accounts", KeysAndAttributes.builder().keys(account("b1"), account("b2"), account("none"))
                        .projectionExpression("v").build(),
                "ledger", KeysAndAttributes.builder().keys(Map.of("acct", s("b1"), "seq", n(1))).build())));
        assertEquals(List.of(Map.of("v", n(1))), r.responses().get("accounts"));
        assertEquals(1, r.responses().get("ledger").size());
        assertTrue(r.unprocessedKeys().isEmpty());
    }

    @Test
    void batchLimitsAndDuplicates() {
        List<WriteRequest> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) many.add(put(Map.of("id", s("m" + i))));
        assertValidation("Too many items requested for the BatchWriteItem call",
                () -> ddb.batchWriteItem(b -> b.requestItems(Map.of("accounts", many.subList(0, 20), "ledger",
                        List.of(put(Map.of("acct", s("x"), "seq", n(1))), put(Map.of("acct", s("x"), "seq", n(2))),
                                put(Map.of("acct", s("x"), "seq", n(3))), put(Map.of("acct", s("x"), "seq", n(4))),
                                put(Map.of("acct", s("x"), "seq", n(5))), put(Map.of("acct", s("x"), "seq", n(6))))))));
        assertValidation("Provided list of item keys contains duplicates",
                () -> ddb.batchWriteItem(b -> b.requestItems(Map.of("accounts", List.of(put(account("d")), put(account("d")))))));
        assertValidation("Provided list of item keys contains duplicates",
                () -> ddb.batchGetItem(b -> b.requestItems(Map.of("accounts",
                        KeysAndAttributes.builder().keys(account("d"), account("d")).build()))));
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) keys.add(account("k" + i));
        assertThrows(Exception.class, () -> ddb.batchGetItem(b -> b.requestItems(Map.of("accounts",
                KeysAndAttributes.builder().keys(keys).build()))));
    }

    @Test
    void batchGetReturnsUnprocessedKeysPastSixteenMegabytes() {
        String blob = "x".repeat(390_000);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                String id = "big" + (batch * 15 + i);
                writes.add(put(Map.of("id", s(id), "blob", s(blob))));
                keys.add(account(id));
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of("accounts", writes)));
        }
        BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(Map.of("accounts",
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
        int got = r.responses().get("accounts").size();
        int left = r.unprocessedKeys().get("accounts").keys().size();
        assertEquals(45, got + left);
        // an item is about 390,010 bytes by DynamoDB's measure: 43 fit in 16 MiB, a 44th would not
        assertEquals(43, got);
        assertTrue(r.unprocessedKeys().get("accounts").consistentRead());

        // a client that asks again for UnprocessedKeys, as the SDK documents, ends with every item, once
        Map<String, AttributeValue> seen = new java.util.HashMap<>();
        r.responses().get("accounts").forEach(i -> assertEquals(null, seen.put(i.get("id").s(), i.get("blob"))));
        Map<String, KeysAndAttributes> next = r.unprocessedKeys();
        int calls = 1;
        while (!next.isEmpty()) {
            Map<String, KeysAndAttributes> ask = next;
            BatchGetItemResponse more = ddb.batchGetItem(b -> b.requestItems(ask));
            more.responses().get("accounts").forEach(i -> assertEquals(null, seen.put(i.get("id").s(), i.get("blob"))));
            next = more.unprocessedKeys();
            calls++;
        }
        assertEquals(2, calls);
        assertEquals(45, seen.size());
        seen.values().forEach(v -> assertEquals(blob, v.s()));
    }

    @Test
    void transactionsApplyAllOrNothing() {
        ddb.putItem(b -> b.tableName("accounts").item(Map.of("id", s("alice"), "balance", n(100))));
        ddb.putItem(b -> b.tableName("accounts").item(Map.of("id", s("bob"), "balance", n(0))));
        TransactWriteItemsResponse ok = ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("alice"))
                        .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                        .expressionAttributeValues(Map.of(":a", n(30)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("bob"))
                        .updateExpression("SET balance = balance + :a").expressionAttributeValues(Map.of(":a", n(30)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName("ledger").item(Map.of("acct", s("alice"), "seq", n(1))))
                        .build()).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(n(70), get("alice").get("balance"));
        assertEquals(n(30), get("bob").get("balance"));
        assertFalse(ok.consumedCapacity().isEmpty());

        TransactionCanceledException canceled = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("alice"))
                                .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                                .expressionAttributeValues(Map.of(":a", n(500)))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("bob"))
                                .updateExpression("SET balance = balance + :a").expressionAttributeValues(Map.of(":a", n(500)))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("ledger").key(Map.of("acct", s("alice"), "seq", n(1))))
                                .build())));
        assertEquals("TransactionCanceledException", canceled.awsErrorDetails().errorCode());
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[ConditionalCheckFailed, None, None]", canceled.awsErrorDetails().errorMessage());
        List<CancellationReason> reasons = canceled.cancellationReasons();
        assertEquals("ConditionalCheckFailed", reasons.get(0).code());
        assertEquals("The conditional request failed", reasons.get(0).message());
        assertEquals(Map.of("id", s("alice"), "balance", n(70)), reasons.get(0).item());
        assertEquals("None", reasons.get(1).code());
        assertEquals(n(70), get("alice").get("balance"));
        assertEquals(n(30), get("bob").get("balance"));
        assertTrue(ddb.getItem(b -> b.tableName("ledger").key(Map.of("acct", s("alice"), "seq", n(1)))).hasItem());

        TransactionCanceledException check = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().conditionCheck(c -> c.tableName("accounts").key(account("nobody"))
                                .conditionExpression("attribute_exists(id)")).build(),
                        TransactWriteItem.builder().put(p -> p.tableName("accounts").item(Map.of("id", s("carol")))).build())));
        assertEquals(List.of("ConditionalCheckFailed", "None"), check.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertTrue(get("carol") == null || get("carol").isEmpty());
    }

    @Test
    void transactionValidation() {
        assertValidation("Transaction request cannot include multiple operations on one item",
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("accounts").item(account("dup"))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(account("dup"))).build())));
        TransactionCanceledException invalid = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("accounts").item(account("v1"))).build(),
                        TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("v2"))
                                .updateExpression("SET big = :b").expressionAttributeValues(Map.of(":b", s("x".repeat(410_000)))))
                                .build())));
        assertEquals("ValidationError", invalid.cancellationReasons().get(1).code());
        assertEquals("Item size to update has exceeded the maximum allowed size", invalid.cancellationReasons().get(1).message());
    }

    @Test
    void clientRequestTokenMakesRetriesIdempotent() {
        ddb.putItem(b -> b.tableName("accounts").item(Map.of("id", s("counter"), "n", n(0))));
        TransactWriteItem add = TransactWriteItem.builder().update(u -> u.tableName("accounts").key(account("counter"))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n(1)))).build();
        for (int i = 0; i < 3; i++) ddb.transactWriteItems(b -> b.transactItems(add).clientRequestToken("token-1"));
        assertEquals(n(1), get("counter").get("n"));
        ddb.transactWriteItems(b -> b.transactItems(add).clientRequestToken("token-2"));
        assertEquals(n(2), get("counter").get("n"));
        TransactWriteItem other = TransactWriteItem.builder().put(p -> p.tableName("accounts").item(account("other"))).build();
        assertError(IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException",
                "Request has different parameters than the original request with the same ClientRequestToken",
                () -> ddb.transactWriteItems(b -> b.transactItems(other).clientRequestToken("token-1")));
    }

    @Test
    void transactGetReadsAConsistentSet() {
        ddb.putItem(b -> b.tableName("accounts").item(Map.of("id", s("g1"), "v", n(1), "w", n(2))));
        TransactGetItemsResponse r = ddb.transactGetItems(b -> b.transactItems(
                t -> t.get(g -> g.tableName("accounts").key(account("g1")).projectionExpression("w")),
                t -> t.get(g -> g.tableName("accounts").key(account("missing")))));
        assertEquals(Map.of("w", n(2)), r.responses().get(0).item());
        assertFalse(r.responses().get(1).hasItem());
    }
}
