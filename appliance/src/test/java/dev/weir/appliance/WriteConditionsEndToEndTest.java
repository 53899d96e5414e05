package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo's ingest principal (regions eu and us, {@code require item.region in
 * principal.regions}; it reads nothing) writes through a real weir in front of the bundled
 * store: its updates, replacing puts and transaction parts carry a condition on the stored
 * item that the store checks atomically with the write, so an item of another region is never
 * changed, an update that would move an item out of its regions is refused before it is sent,
 * and one that would change an existing item's region (which decides who reads it) fails. The
 * conditions weir adds are rendered with the client's own from trees. Subclasses choose the
 * store behind weir: the bundled one, or dynalite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WriteConditionsEndToEndTest {
    @TempDir
    static Path home;
    ApplianceProcess weir;
    DynamoDbClient admin, ingest;

    /** Starts weir with these policies and the sample principals, auditing to {@code audit/audit.jsonl}. */
    abstract ApplianceProcess startWeir(Path home, Path policies) throws Exception;

    /** Whether the upstream has TransactWriteItems and ReturnValuesOnConditionCheckFailure (dynalite has neither). */
    boolean recentApi() {
        return true;
    }

    @BeforeAll
    void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(ApplianceProcess.CONF.resolve("policies/people.weir"), policies.resolve("people.weir"));
        Files.writeString(policies.resolve("tx.weir"), """
                @id("people-ingest-tx")
                allow ingest on table people op [TransactWriteItems, DeleteItem]
                  fields [id, name, email, ssn, region, address.*, tags, notes]
                  require item.region in principal.regions
                """);
        weir = startWeir(home, policies);
        admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
        ingest = DynamoClients.as(weir.endpoint(), "AKIAWEIRINGEST000001", "weir-ingest-secret");
        admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH")));
        for (String[] p : List.of(new String[] {"eu-1", "eu"}, new String[] {"us-1", "us"}, new String[] {"ap-1", "apac"},
                new String[] {"ap-2", "apac"}, new String[] {"eu-2", "eu"}, new String[] {"eu-3", "eu"},
                new String[] {"gone-eu", "eu"}, new String[] {"au-1", "us"})) {
            admin.putItem(b -> b.tableName("people").item(Map.of("id", s(p[0]), "name", s("n-" + p[0]), "region", s(p[1]),
                    "salary", AttributeValue.fromN("100"))));
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (admin != null) admin.close();
        if (ingest != null) ingest.close();
        if (weir != null) weir.close();
    }

    @Test
    void ingestUpdatesItemsOfItsOwnRegions() {
        ingest.updateItem(b -> b.tableName("people").key(key("eu-1")).updateExpression("SET #n = :n")
                .expressionAttributeNames(Map.of("#n", "name")).expressionAttributeValues(Map.of(":n", s("Ada"))));
        assertEquals("Ada", stored("eu-1").get("name").s());
        // The client's own condition is kept and AND-ed with the policy's, parentheses and all (ingest reads nothing,
        // so its condition may ask only whether an item is stored under the key it names).
        ingest.updateItem(b -> b.tableName("people").key(key("eu-1")).updateExpression("SET notes = :n")
                .conditionExpression("(attribute_exists(#i))").expressionAttributeNames(Map.of("#i", "id"))
                .expressionAttributeValues(Map.of(":n", s("checked"))));
        assertEquals("checked", stored("eu-1").get("notes").s());
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("eu-1"))
                .updateExpression("SET notes = :n").conditionExpression("attribute_not_exists(id)")
                .expressionAttributeValues(Map.of(":n", s("never")))));
        assertEquals("checked", stored("eu-1").get("notes").s());
    }

    @Test
    void anItemOfAnotherRegionIsNeverChangedTheStoreRefusesItAtomically() {
        // Refused by the store (ConditionalCheckFailedException), not by weir: only the stored item knows its region.
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("ap-1"))
                .updateExpression("SET #n = :n").expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":n", s("taken")))));
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("ap-1"))
                .updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "region"))
                .expressionAttributeValues(Map.of(":r", s("eu")))));
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.putItem(b -> b.tableName("people")
                .item(Map.of("id", s("ap-1"), "name", s("replaced"), "region", s("eu")))));
        Map<String, AttributeValue> after = stored("ap-1");
        assertEquals("n-ap-1", after.get("name").s());
        assertEquals("apac", after.get("region").s());
        assertEquals("100", after.get("salary").n());
    }

    @Test
    void anUpdateThatWouldLeaveTheCallersRegionsIsRefusedBeforeItIsSent() {
        DynamoDbException moved = assertThrows(DynamoDbException.class, () -> ingest.updateItem(b -> b.tableName("people")
                .key(key("us-1")).updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "region"))
                .expressionAttributeValues(Map.of(":r", s("apac")))));
        assertEquals("AccessDeniedException", moved.awsErrorDetails().errorCode());
        assertTrue(moved.awsErrorDetails().errorMessage().contains("requirement"), moved.awsErrorDetails().errorMessage());
        DynamoDbException removed = assertThrows(DynamoDbException.class, () -> ingest.updateItem(b -> b.tableName("people")
                .key(key("us-1")).updateExpression("REMOVE #r").expressionAttributeNames(Map.of("#r", "region"))));
        assertEquals("AccessDeniedException", removed.awsErrorDetails().errorCode());
        assertTrue(removed.awsErrorDetails().errorMessage().contains("'region'"), removed.awsErrorDetails().errorMessage());
        DynamoDbException copied = assertThrows(DynamoDbException.class, () -> ingest.updateItem(b -> b.tableName("people")
                .key(key("us-1")).updateExpression("SET #r = #n").expressionAttributeNames(Map.of("#r", "region", "#n", "name"))));
        assertEquals("AccessDeniedException", copied.awsErrorDetails().errorCode());
        assertEquals("us", stored("us-1").get("region").s());
        // Within its regions too, an existing item's region stays: it decides who may read the item (analyst's rows),
        // and ingest, which reads nothing, may not move a row. Nor may it set the region an item already has: that
        // success would tell it the stored region, which it may not read (docs/threat-model.md, "Moving rows").
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("eu-2"))
                .updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "region"))
                .expressionAttributeValues(Map.of(":r", s("us")))));
        assertEquals("eu", stored("eu-2").get("region").s());
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("eu-2"))
                .updateExpression("SET #r = :r, notes = :r")
                .expressionAttributeNames(Map.of("#r", "region")).expressionAttributeValues(Map.of(":r", s("eu")))));
        assertFalse(stored("eu-2").containsKey("notes"));
        ingest.updateItem(b -> b.tableName("people").key(key("eu-2")).updateExpression("SET notes = :r")
                .expressionAttributeValues(Map.of(":r", s("eu"))));
        assertEquals("eu", stored("eu-2").get("notes").s());
    }

    @Test
    void newItemsMustBeCreatedInsideTheCallersRegions() {
        ingest.updateItem(b -> b.tableName("people").key(key("new-1")).updateExpression("SET #r = :r, #n = :n")
                .expressionAttributeNames(Map.of("#r", "region", "#n", "name"))
                .expressionAttributeValues(Map.of(":r", s("eu"), ":n", s("Grace"))));
        assertEquals("Grace", stored("new-1").get("name").s());
        assertThrows(ConditionalCheckFailedException.class, () -> ingest.updateItem(b -> b.tableName("people").key(key("new-2"))
                .updateExpression("SET #n = :n").expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":n", s("no region")))));
        assertFalse(admin.getItem(b -> b.tableName("people").key(key("new-2"))).hasItem());
        ingest.putItem(b -> b.tableName("people").item(Map.of("id", s("new-3"), "region", s("us"))));
        ingest.putItem(b -> b.tableName("people").item(Map.of("id", s("new-3"), "region", s("eu"), "name", s("again"))));
        assertEquals("again", stored("new-3").get("name").s());
    }

    @Test
    void deletesCarryTheConditionToo() {
        assertThrows(ConditionalCheckFailedException.class,
                () -> ingest.deleteItem(b -> b.tableName("people").key(key("ap-2"))));
        assertTrue(admin.getItem(b -> b.tableName("people").key(key("ap-2"))).hasItem());
        assertThrows(ConditionalCheckFailedException.class,
                () -> ingest.deleteItem(b -> b.tableName("people").key(key("missing"))), "a missing item fails like a hidden one");
        ingest.deleteItem(b -> b.tableName("people").key(key("gone-eu")));
        assertFalse(admin.getItem(b -> b.tableName("people").key(key("gone-eu"))).hasItem());
    }

    @Test
    void transactionPartsCarryTheConditionToo() {
        assumeTrue(recentApi(), "this upstream has no TransactWriteItems");
        TransactionCanceledException tx = assertThrows(TransactionCanceledException.class, () -> ingest.transactWriteItems(b ->
                b.transactItems(
                        TransactWriteItem.builder().update(u -> u.tableName("people").key(key("eu-3"))
                                .updateExpression("SET notes = :n").expressionAttributeValues(Map.of(":n", s("tx")))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("people").key(key("ap-2"))).build())));
        assertEquals("ConditionalCheckFailed", tx.cancellationReasons().get(1).code());
        assertTrue(tx.cancellationReasons().get(1).item() == null || tx.cancellationReasons().get(1).item().isEmpty(),
                "no item: " + tx.cancellationReasons().get(1).item());
        assertFalse(stored("eu-3").containsKey("notes"), "the transaction wrote nothing");
        assertTrue(admin.getItem(b -> b.tableName("people").key(key("ap-2"))).hasItem());
        ingest.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().update(u -> u.tableName("people")
                .key(key("eu-3")).updateExpression("SET notes = :n").expressionAttributeValues(Map.of(":n", s("tx")))).build()));
        assertEquals("tx", stored("eu-3").get("notes").s());
    }

    @Test
    void anyPlaceholderIsTheClientsOwn() {
        // weir renders the whole request anew from trees: it reserves no placeholder names.
        ingest.updateItem(b -> b.tableName("people").key(key("eu-1")).updateExpression("SET notes = :weir0")
                .expressionAttributeValues(Map.of(":weir0", s("mine"))));
        assertEquals("mine", stored("eu-1").get("notes").s());
    }

    @Test
    void aCallerThatReadsNothingGetsNoStoredItemBack() {
        assumeTrue(recentApi(), "this upstream has no ReturnValuesOnConditionCheckFailure");
        for (String id : List.of("ap-1", "us-1")) {
            DynamoDbException refused = assertThrows(DynamoDbException.class, () -> ingest.updateItem(
                    b -> b.tableName("people").key(key(id)).updateExpression("SET notes = :n").conditionExpression("attribute_not_exists(id)")
                            .expressionAttributeValues(Map.of(":n", s("x"))).returnValuesOnConditionCheckFailure("ALL_OLD")));
            assertEquals("AccessDeniedException", refused.awsErrorDetails().errorCode());
            assertTrue(refused.awsErrorDetails().errorMessage().contains("ReturnValuesOnConditionCheckFailure"),
                    refused.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void theAuditNamesKeysPathsAndDroppedRowsButNoValues() throws Exception {
        ingest.updateItem(b -> b.tableName("people").key(key("au-1")).updateExpression("SET #n = :n")
                .conditionExpression("attribute_exists(id) OR attribute_not_exists(id)")
                .expressionAttributeNames(Map.of("#n", "name")).expressionAttributeValues(Map.of(":n", s("audited-value"))));
        try (DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            assertFalse(analyst.getItem(b -> b.tableName("people").key(key("ap-1"))).hasItem(), "another region's row");
        }
        String update = auditLine("\"UpdateItem\"", "id=au-1", "ingest");
        assertTrue(update.contains("\"weir.keys\":[\"id=au-1\"]"), update);
        assertTrue(update.contains("\"weir.fields.written\":[\"name\"]"), update);
        assertTrue(update.contains("\"weir.fields.read\":[\"id\"]"), update);
        assertFalse(update.contains("audited-value"), update);
        // the analyst's own GetItem: other methods of the class read ap-1 as the admin
        String get = auditLine("\"GetItem\"", "id=ap-1", "analyst");
        assertTrue(get.contains("\"weir.rows.dropped\":1"), get);
    }

    /** The first audit record of {@code op} naming {@code key}, made for {@code principal}. */
    private String auditLine(String op, String key, String principal) throws Exception {
        String by = "\"user.name\":\"" + principal + "\"";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String l : Files.readAllLines(weir.auditFile())) if (l.contains(op) && l.contains(key) && l.contains(by)) return l;
            Thread.sleep(50);
        }
        throw new AssertionError("no audit event for " + op + " " + key + " by " + principal);
    }

    private Map<String, AttributeValue> stored(String id) {
        return admin.getItem(b -> b.tableName("people").key(key(id)).consistentRead(true)).item();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
