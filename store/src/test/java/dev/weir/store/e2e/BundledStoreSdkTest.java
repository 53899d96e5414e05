package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import dev.weir.store.BundledStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store driven by the real AWS SDK for Java v2 over loopback HTTP. */
class BundledStoreSdkTest {
    @TempDir
    static Path dir;
    static BundledStore store;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        store = BundledStore.open(dir, StoreTestCredentials.CREDENTIALS);
        ddb = SdkClients.to(store.listen("127.0.0.1", 0));
        createTable("things", "id", ScalarAttributeType.S, null, null);
        createTable("events", "device", ScalarAttributeType.N, "at", ScalarAttributeType.B);
    }

    @AfterAll
    static void stop() {
        ddb.close();
        store.close();
    }

    static CreateTableResponse createTable(String name, String hash, ScalarAttributeType hashType,
                                           String range, ScalarAttributeType rangeType) {
        return ddb.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (range == null) {
                b.keySchema(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName(hash).attributeType(hashType).build());
            } else {
                b.keySchema(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build())
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName(hash).attributeType(hashType).build(),
                                AttributeDefinition.builder().attributeName(range).attributeType(rangeType).build());
            }
        });
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = (byte) bytes[i];
        return AttributeValue.fromB(SdkBytes.fromByteArray(out));
    }

    /** Runs {@code call}, expects a DynamoDB error of that type and message. */
    static <T extends DynamoDbException> void assertError(Class<T> type, String code, String message, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(code, e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }

    @Test
    void createTableDescribesTheNewTable() {
        Instant before = Instant.now().minusSeconds(1);
        TableDescription t = createTable("created", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N).tableDescription();
        assertEquals("created", t.tableName());
        assertEquals(TableStatus.ACTIVE, t.tableStatus());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/created", t.tableArn());
        assertEquals(List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()), t.keySchema());
        assertEquals(List.of(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build()),
                t.attributeDefinitions());
        assertEquals(0L, t.itemCount());
        assertEquals(BillingMode.PAY_PER_REQUEST, t.billingModeSummary().billingMode());
        assertTrue(t.creationDateTime().isAfter(before) && t.creationDateTime().isBefore(Instant.now().plusSeconds(1)));

        TableDescription described = ddb.describeTable(b -> b.tableName("created")).table();
        assertEquals(t, described);
    }

    @Test
    void provisionedThroughputIsAcceptedAndReported() {
        TableDescription t = ddb.createTable(b -> b.tableName("provisioned")
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.B).build())
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(7L))).tableDescription();
        assertEquals(5L, t.provisionedThroughput().readCapacityUnits());
        assertEquals(7L, t.provisionedThroughput().writeCapacityUnits());
    }

    @Test
    void listTablesPaginates() {
        for (String name : List.of("page-a", "page-b", "page-c")) createTable(name, "id", ScalarAttributeType.S, null, null);
        ListTablesResponse first = ddb.listTables(b -> b.exclusiveStartTableName("page").limit(2));
        assertEquals(List.of("page-a", "page-b"), first.tableNames());
        assertEquals("page-b", first.lastEvaluatedTableName());
        ListTablesResponse all = ddb.listTables();
        assertTrue(all.tableNames().containsAll(List.of("things", "events", "page-a", "page-b", "page-c")));
        assertEquals(all.tableNames().stream().sorted().toList(), all.tableNames());
    }

    @Test
    void everyAttributeTypeRoundTrips() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s("all-types"));
        item.put("str", s("h\u00e9llo \uD83D\uDE00"));
        item.put("empty", s(""));
        item.put("num", n("-12345.678"));
        item.put("bin", b(0, 1, 0xFF));
        item.put("yes", AttributeValue.fromBool(true));
        item.put("no", AttributeValue.fromBool(false));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("map", AttributeValue.fromM(Map.of("inner", s("x"), "deeper", AttributeValue.fromM(Map.of("n", n("1"))))));
        item.put("list", AttributeValue.fromL(List.of(s("a"), n("2"), AttributeValue.fromL(List.of()), AttributeValue.fromNul(true))));
        item.put("strings", AttributeValue.fromSs(List.of("x", "y", "z")));
        item.put("numbers", AttributeValue.fromNs(List.of("1", "2.5", "-3")));
        item.put("binaries", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[]{1}),
                SdkBytes.fromByteArray(new byte[]{2, 3}))));
        ddb.putItem(b -> b.tableName("things").item(item));

        GetItemResponse got = ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("all-types"))).consistentRead(true));
        assertTrue(got.hasItem());
        assertEquals(item, got.item());
    }

    @Test
    void numbersComeBackCanonical() {
        ddb.putItem(b -> b.tableName("things").item(Map.of("id", s("num"), "a", n("01.500"), "b", n("1e3"),
                "c", AttributeValue.fromNs(List.of("2.0", "1E1")))));
        Map<String, AttributeValue> got = ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("num")))).item();
        assertEquals(n("1.5"), got.get("a"));
        assertEquals(n("1000"), got.get("b"));
        assertEquals(AttributeValue.fromNs(List.of("2", "10")), got.get("c"));
    }

    @Test
    void numberAndBinaryKeysAddressItems() {
        ddb.putItem(b -> b.tableName("events").item(Map.of("device", n("42"), "at", b(1, 2), "v", s("first"))));
        ddb.putItem(b -> b.tableName("events").item(Map.of("device", n("42.0"), "at", b(1, 2, 0), "v", s("second"))));
        assertEquals(s("first"), ddb.getItem(b -> b.tableName("events")
                .key(Map.of("device", n("4.2e1"), "at", b(1, 2)))).item().get("v"));
        assertEquals(s("second"), ddb.getItem(b -> b.tableName("events")
                .key(Map.of("device", n("42"), "at", b(1, 2, 0)))).item().get("v"));
        assertFalse(ddb.getItem(b -> b.tableName("events").key(Map.of("device", n("43"), "at", b(1, 2)))).hasItem());
    }

    @Test
    void putReturnsTheOldItemWhenAsked() {
        PutItemResponse first = ddb.putItem(b -> b.tableName("things").returnValues(ReturnValue.ALL_OLD)
                .item(Map.of("id", s("versioned"), "v", n("1"))));
        assertFalse(first.hasAttributes());
        PutItemResponse second = ddb.putItem(b -> b.tableName("things").returnValues(ReturnValue.ALL_OLD)
                .item(Map.of("id", s("versioned"), "v", n("2"))));
        assertEquals(Map.of("id", s("versioned"), "v", n("1")), second.attributes());
        PutItemResponse third = ddb.putItem(b -> b.tableName("things").item(Map.of("id", s("versioned"), "v", n("3"))));
        assertFalse(third.hasAttributes());
        assertEquals(n("3"), ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("versioned")))).item().get("v"));
    }

    @Test
    void missingItemGivesAnEmptyResponse() {
        GetItemResponse r = ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("never-written"))));
        assertFalse(r.hasItem());
    }

    @Test
    void tableErrorsAreDynamoDbs() {
        assertError(ResourceInUseException.class, "ResourceInUseException", "Table already exists: things",
                () -> createTable("things", "id", ScalarAttributeType.S, null, null));
        assertError(ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found: Table: missing not found",
                () -> ddb.describeTable(b -> b.tableName("missing")));
        assertError(ResourceNotFoundException.class, "ResourceNotFoundException", "Requested resource not found",
                () -> ddb.getItem(b -> b.tableName("missing").key(Map.of("id", s("x")))));
        assertError(DynamoDbException.class, "ValidationException",
                "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 3",
                () -> ddb.describeTable(b -> b.tableName("ab")));
        assertError(DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]",
                () -> ddb.createTable(b -> b.tableName("bad-schema").billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("other")
                                .attributeType(ScalarAttributeType.S).build())));
        assertError(DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                        + "specified when BillingMode is PROVISIONED",
                () -> ddb.createTable(b -> b.tableName("no-capacity")
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build())));
        assertError(DynamoDbException.class, "ValidationException",
                "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                () -> ddb.createTable(b -> b.tableName("range-first").billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.RANGE).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build())));
    }

    @Test
    void itemKeyErrorsAreDynamoDbs() {
        String invalid = "One or more parameter values were invalid: ";
        assertError(DynamoDbException.class, "ValidationException", invalid + "Missing the key id in the item",
                () -> ddb.putItem(b -> b.tableName("things").item(Map.of("other", s("x")))));
        assertError(DynamoDbException.class, "ValidationException",
                invalid + "Type mismatch for key id expected: S actual: N",
                () -> ddb.putItem(b -> b.tableName("things").item(Map.of("id", n("1")))));
        assertError(DynamoDbException.class, "ValidationException",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                        + "an empty string value. Key: id",
                () -> ddb.putItem(b -> b.tableName("things").item(Map.of("id", s("")))));
        assertError(DynamoDbException.class, "ValidationException", invalid + "Missing the key at in the item",
                () -> ddb.putItem(b -> b.tableName("events").item(Map.of("device", n("1")))));
        String mismatch = "The provided key element does not match the schema";
        assertError(DynamoDbException.class, "ValidationException", mismatch,
                () -> ddb.getItem(b -> b.tableName("things").key(Map.of("id", n("1")))));
        assertError(DynamoDbException.class, "ValidationException", mismatch,
                () -> ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("a"), "extra", s("b")))));
        assertError(DynamoDbException.class, "ValidationException", mismatch,
                () -> ddb.getItem(b -> b.tableName("events").key(Map.of("device", n("1")))));
        assertError(DynamoDbException.class, "ValidationException",
                "The parameter cannot be converted to a numeric value: twelve",
                () -> ddb.putItem(b -> b.tableName("things").item(Map.of("id", s("n"), "x", n("twelve")))));
        assertError(DynamoDbException.class, "ValidationException", "ReturnValues can only be ALL_OLD or NONE",
                () -> ddb.putItem(b -> b.tableName("things").returnValues(ReturnValue.ALL_NEW)
                        .item(Map.of("id", s("rv")))));
    }

    @Test
    void connectionsAreReusedAcrossManyCalls() {
        for (int i = 0; i < 200; i++) {
            String id = "seq-" + i;
            String i2 = Integer.toString(i);
            ddb.putItem(b -> b.tableName("things").item(Map.of("id", s(id), "i", n(i2))));
        }
        assertTrue(ddb.getItem(b -> b.tableName("things").key(Map.of("id", s("seq-199")))).hasItem());
    }
}
