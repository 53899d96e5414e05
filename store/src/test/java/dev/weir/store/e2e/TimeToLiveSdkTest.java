package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time to live as DynamoDB answers it: UpdateTimeToLive's refusals in DynamoDB's order (the
 * setting itself before the interval between changes), the interval of an hour after every
 * successful change, DescribeTimeToLive's statuses, and expired items that stay readable until
 * they are deleted. The sweeper runs once an hour here (never during a test), so what an
 * expired item looks like before its deletion is observable; TableOperationsSdkTest and
 * StreamsTimeSdkTest cover the deletion itself.
 */
class TimeToLiveSdkTest extends SdkTestBase {
    private static final String MULTIPLE = "Time to live has been modified multiple times within a fixed interval";
    private static final ManualClock clock = new ManualClock();

    @BeforeAll
    static void setUp() {
        start(StoreTestCredentials.options().withClock(clock).withTtlSweepInterval(Duration.ofHours(1)));
    }

    private static TimeToLiveSpecification update(String table, String attribute, boolean enabled) {
        return ddb.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(enabled))).timeToLiveSpecification();
    }

    private static TimeToLiveDescription describeTtl(String table) {
        return ddb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    }

    @Test
    void updatesAreRefusedInDynamoDbsOrderAndOncePerInterval() {
        table("ttlchanges", "id", ScalarAttributeType.S, null, null);
        assertEquals(TimeToLiveStatus.DISABLED, describeTtl("ttlchanges").timeToLiveStatus());
        assertNull(describeTtl("ttlchanges").attributeName());
        assertValidation("TimeToLive is already disabled", () -> update("ttlchanges", "exp", false));

        TimeToLiveSpecification on = update("ttlchanges", "exp", true);
        assertEquals("exp", on.attributeName());
        assertTrue(on.enabled());
        assertEquals(TimeToLiveStatus.ENABLED, describeTtl("ttlchanges").timeToLiveStatus());
        assertEquals("exp", describeTtl("ttlchanges").attributeName());

        // the setting's own refusals come before the interval's
        assertValidation("TimeToLive is already enabled", () -> update("ttlchanges", "exp", true));
        assertValidation("TimeToLive is active on a different AttributeName: current AttributeName is exp",
                () -> update("ttlchanges", "other", true));
        assertValidation("TimeToLive is active on a different AttributeName: current AttributeName is exp",
                () -> update("ttlchanges", "other", false));
        assertValidation(MULTIPLE, () -> update("ttlchanges", "exp", false));
        clock.advance(Duration.ofMinutes(59));
        assertValidation(MULTIPLE, () -> update("ttlchanges", "exp", false));
        assertEquals(TimeToLiveStatus.ENABLED, describeTtl("ttlchanges").timeToLiveStatus());

        // refusals do not restart the interval: an hour after the enable, the disable passes
        clock.advance(Duration.ofMinutes(1));
        TimeToLiveSpecification off = update("ttlchanges", "exp", false);
        assertEquals("exp", off.attributeName());
        assertEquals(false, off.enabled());
        assertEquals(TimeToLiveStatus.DISABLED, describeTtl("ttlchanges").timeToLiveStatus());
        assertNull(describeTtl("ttlchanges").attributeName());

        // every successful change starts a new interval; "already disabled" still comes first
        assertValidation("TimeToLive is already disabled", () -> update("ttlchanges", "exp", false));
        assertValidation(MULTIPLE, () -> update("ttlchanges", "other", true));
        clock.advance(Duration.ofHours(1));
        update("ttlchanges", "other", true);
        assertEquals("other", describeTtl("ttlchanges").attributeName());
    }

    @Test
    void theIntervalSurvivesARestartOfTheStore() {
        table("ttlrestart", "id", ScalarAttributeType.S, null, null);
        update("ttlrestart", "exp", true);
        stopAndReopen();
        assertValidation(MULTIPLE, () -> update("ttlrestart", "exp", false));
        assertEquals("exp", describeTtl("ttlrestart").attributeName());
    }

    private static void stopAndReopen() {
        ddb.close();
        store.close();
        store = dev.weir.store.BundledStore.open(dir, StoreTestCredentials.options().withClock(clock)
                .withTtlSweepInterval(Duration.ofHours(1)));
        address = store.listen("127.0.0.1", 0);
        ddb = SdkClients.to(address);
    }

    @Test
    void expiredItemsStayReadableUntilTheyAreDeleted() {
        table("ttlread", "id", ScalarAttributeType.S, null, null, b -> b
                .attributeDefinitions(TableOperationsSdkTest.def("id", ScalarAttributeType.S),
                        TableOperationsSdkTest.def("g", ScalarAttributeType.S))
                .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(TableOperationsSdkTest.key("g", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        update("ttlread", "exp", true);
        long now = clock.millis() / 1000;
        ddb.putItem(b -> b.tableName("ttlread").item(Map.of("id", s("soon"), "g", s("x"), "exp", n(now + 60))));
        ddb.putItem(b -> b.tableName("ttlread").item(Map.of("id", s("later"), "g", s("x"), "exp", n(now + 3600))));
        clock.advance(Duration.ofMinutes(2));

        Map<String, AttributeValue> soon = Map.of("id", s("soon"));
        assertTrue(ddb.getItem(b -> b.tableName("ttlread").key(soon).consistentRead(true)).hasItem());
        assertEquals(2, ddb.scan(b -> b.tableName("ttlread")).count());
        assertEquals(2, ddb.query(b -> b.tableName("ttlread").indexName("byG").keyConditionExpression("g = :x")
                .expressionAttributeValues(Map.of(":x", s("x")))).count());
        assertEquals(1, ddb.batchGetItem(b -> b.requestItems(Map.of("ttlread", KeysAndAttributes.builder().keys(soon).build())))
                .responses().get("ttlread").size());
        assertTrue(ddb.transactGetItems(b -> b.transactItems(t -> t.get(g -> g.tableName("ttlread").key(soon))))
                .responses().getFirst().hasItem());
        // conditions see it, and a write that moves its time to live into the future keeps it
        ddb.updateItem(b -> b.tableName("ttlread").key(soon).updateExpression("SET exp = :later")
                .conditionExpression("attribute_exists(id)").expressionAttributeValues(Map.of(":later", n(now + 7200))));
        assertEquals(String.valueOf(now + 7200), ddb.getItem(b -> b.tableName("ttlread").key(soon)).item().get("exp").n());
    }
}
