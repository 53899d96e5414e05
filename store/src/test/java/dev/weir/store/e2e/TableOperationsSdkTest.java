package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeleteTable, UpdateTable, tags, time to live and index definitions through the SDK. */
class TableOperationsSdkTest extends SdkTestBase {
    private static final String INVALID = "One or more parameter values were invalid: ";
    /** The store's clock: real time plus an offset the TTL test moves forward. */
    static final AtomicLong skewMillis = new AtomicLong();

    @BeforeAll
    static void setUp() {
        Clock skewed = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.now().plusMillis(skewMillis.get()); }
        };
        start(StoreTestCredentials.options().withTtlSweepInterval(Duration.ofMillis(100)).withClock(skewed));
    }

    static TableDescription describe(String name) {
        return ddb.describeTable(b -> b.tableName(name)).table();
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }

    @Test
    void deleteTableRemovesItAndItsItems() {
        table("doomed", "id", ScalarAttributeType.S, null, null);
        ddb.putItem(b -> b.tableName("doomed").item(Map.of("id", s("x"))));
        TableDescription d = ddb.deleteTable(b -> b.tableName("doomed")).tableDescription();
        assertEquals(TableStatus.DELETING, d.tableStatus());
        assertError(ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found: Table: doomed not found", () -> describe("doomed"));
        assertError(ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found: Table: doomed not found", () -> ddb.deleteTable(b -> b.tableName("doomed")));
        table("doomed", "id", ScalarAttributeType.S, null, null);
        assertEquals(0, ddb.scan(b -> b.tableName("doomed")).count());
    }

    @Test
    void updateTableChangesBilling() {
        table("billing", "id", ScalarAttributeType.S, null, null);
        ddb.updateTable(b -> b.tableName("billing").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(4L).writeCapacityUnits(2L)));
        TableDescription t = describe("billing");
        assertEquals(4L, t.provisionedThroughput().readCapacityUnits());
        assertTrue(t.billingModeSummary() == null);
        assertValidation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates "
                + "or SSESpecification or ReplicaUpdates is required", () -> ddb.updateTable(b -> b.tableName("billing")));
        assertValidation(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
                () -> ddb.updateTable(b -> b.tableName("billing").billingMode(BillingMode.PAY_PER_REQUEST)
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
        ddb.updateTable(b -> b.tableName("billing").billingMode(BillingMode.PAY_PER_REQUEST));
        assertEquals(BillingMode.PAY_PER_REQUEST, describe("billing").billingModeSummary().billingMode());
    }

    @Test
    void addingAGlobalIndexBackfillsItAndDeletingRemovesIt() throws InterruptedException {
        table("grow", "id", ScalarAttributeType.S, null, null);
        for (int batch = 0; batch < 4; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int k = batch * 25 + i;
                writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("id", s("i" + k), "color",
                        s(k % 2 == 0 ? "red" : "blue")))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of("grow", writes)));
        }
        ddb.updateTable(b -> b.tableName("grow").attributeDefinitions(def("color", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColor").keySchema(key("color", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        ddb.putItem(b -> b.tableName("grow").item(Map.of("id", s("late"), "color", s("red"))));
        waitUntil(() -> describe("grow").globalSecondaryIndexes().getFirst().indexStatus() == IndexStatus.ACTIVE);
        assertEquals(TableStatus.ACTIVE, describe("grow").tableStatus());
        assertEquals(51, ddb.query(b -> b.tableName("grow").indexName("byColor").keyConditionExpression("color = :r")
                .expressionAttributeValues(Map.of(":r", s("red")))).count());
        GlobalSecondaryIndexDescription gsi = describe("grow").globalSecondaryIndexes().getFirst();
        assertEquals(101L, describe("grow").itemCount());
        assertEquals(101L, gsi.itemCount());
        ddb.updateTable(b -> b.tableName("grow").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor"))));
        assertFalse(describe("grow").hasGlobalSecondaryIndexes());
        assertValidation("The table does not have the specified index: byColor",
                () -> ddb.scan(b -> b.tableName("grow").indexName("byColor")));
    }

    @Test
    void indexDefinitionErrorsAreDynamoDbs() {
        assertValidation(INVALID + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
                () -> ddb.createTable(b -> b.tableName("bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(def("id", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
                        .keySchema(key("id", KeyType.HASH))
                        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("lsi")
                                .keySchema(key("id", KeyType.HASH), key("x", KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())));
        assertValidation(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [nope], "
                        + "AttributeDefinitions: [id]",
                () -> ddb.createTable(b -> b.tableName("bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(def("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("gix").keySchema(key("nope", KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL)))));
        assertValidation(INVALID + "ProjectionType is ALL, but NonKeyAttributes is specified",
                () -> ddb.createTable(b -> b.tableName("bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(def("id", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
                        .keySchema(key("id", KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("gix").keySchema(key("x", KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL).nonKeyAttributes("y")))));
        assertValidation(INVALID + "Duplicate index name: gix",
                () -> ddb.createTable(b -> b.tableName("bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(def("id", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
                        .keySchema(key("id", KeyType.HASH))
                        .globalSecondaryIndexes(
                                g -> g.indexName("gix").keySchema(key("x", KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.ALL)),
                                g -> g.indexName("gix").keySchema(key("x", KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.ALL)))));
        assertValidation(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [id, x, y], keys used: [id, x]",
                () -> ddb.createTable(b -> b.tableName("bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(def("id", ScalarAttributeType.S), def("x", ScalarAttributeType.S), def("y", ScalarAttributeType.S))
                        .keySchema(key("id", KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("gix").keySchema(key("x", KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL)))));
    }

    @Test
    void tagsByTableArn() {
        table("tagged", "id", ScalarAttributeType.S, null, null, b -> b.tags(Tag.builder().key("team").value("core").build()));
        String arn = describe("tagged").tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("prod").build(),
                Tag.builder().key("team").value("data").build()));
        assertEquals(List.of(Tag.builder().key("team").value("data").build(), Tag.builder().key("env").value("prod").build()),
                ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags());
        ddb.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertEquals(List.of(Tag.builder().key("env").value("prod").build()), ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags());
        String missing = arn.replace("tagged", "missing");
        assertError(ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found: ResourceArn: " + missing + " not found",
                () -> ddb.listTagsOfResource(b -> b.resourceArn(missing)));
    }

    @Test
    void timeToLiveSweepsExpiredNumbersOnly() throws InterruptedException {
        table("ttl", "id", ScalarAttributeType.S, null, null, b -> b
                .attributeDefinitions(def("id", ScalarAttributeType.S), def("g", ScalarAttributeType.S))
                .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(key("g", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        assertEquals(TimeToLiveStatus.DISABLED,
                ddb.describeTimeToLive(b -> b.tableName("ttl")).timeToLiveDescription().timeToLiveStatus());
        long now = Instant.now().getEpochSecond();
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("soon"), "g", s("x"), "expires", n(now + 60))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("later"), "g", s("x"), "expires", n(now + 3600))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("never"), "g", s("x"), "expires", s("not a number"))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("ancient"), "g", s("x"), "expires", n(now - 6L * 365 * 86400))));
        // a set or a list of numbers is not a time: never expires
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("set"), "g", s("x"),
                "expires", AttributeValue.fromNs(List.of(Long.toString(now))))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("list"), "g", s("x"),
                "expires", AttributeValue.fromL(List.of(n(now))))));
        // other spellings of a number are numbers (ScyllaDB's test_ttl.py, passing against DynamoDB)
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("exponent"), "g", s("x"), "expires", n((now + 60) / 10 + "e1"))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("fraction"), "g", s("x"), "expires", n((now + 59) + ".25"))));
        ddb.updateTimeToLive(b -> b.tableName("ttl").timeToLiveSpecification(t -> t.attributeName("expires").enabled(true)));
        var d = ddb.describeTimeToLive(b -> b.tableName("ttl")).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, d.timeToLiveStatus());
        assertEquals("expires", d.attributeName());
        assertValidation("TimeToLive is already enabled", () -> ddb.updateTimeToLive(b -> b.tableName("ttl")
                .timeToLiveSpecification(t -> t.attributeName("expires").enabled(true))));
        assertEquals(8, ddb.scan(b -> b.tableName("ttl")).count());

        skewMillis.set(120_000);
        waitUntil(() -> ddb.scan(b -> b.tableName("ttl")).count() == 5);
        assertEquals(List.of("ancient", "later", "list", "never", "set"), ddb.scan(b -> b.tableName("ttl")).items().stream()
                .map(i -> i.get("id").s()).sorted().toList());
        assertFalse(ddb.getItem(b -> b.tableName("ttl").key(Map.of("id", s("soon")))).hasItem());
        assertEquals(5, ddb.query(b -> b.tableName("ttl").indexName("byG").keyConditionExpression("g = :x")
                .expressionAttributeValues(Map.of(":x", s("x")))).count());
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("soon"), "fresh", AttributeValue.fromBool(true)))
                .conditionExpression("attribute_not_exists(id)"));
        ddb.deleteItem(b -> b.tableName("ttl").key(Map.of("id", s("soon"))));
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("id", s("gone"), "g", s("y"), "expires", n(now))));
        waitUntil(() -> describe("ttl").itemCount() == 5);
        assertEquals(5L, describe("ttl").globalSecondaryIndexes().getFirst().itemCount());
        skewMillis.set(0);
    }

    @Test
    void describeLimitsAnswersDynamoDbsDefaultQuotas() {
        var limits = ddb.describeLimits(b -> {});
        assertEquals(80_000L, limits.accountMaxReadCapacityUnits());
        assertEquals(80_000L, limits.accountMaxWriteCapacityUnits());
        assertEquals(40_000L, limits.tableMaxReadCapacityUnits());
        assertEquals(40_000L, limits.tableMaxWriteCapacityUnits());
    }
}
