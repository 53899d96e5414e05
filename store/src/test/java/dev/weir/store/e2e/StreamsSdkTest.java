package dev.weir.store.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB Streams of the bundled store through the AWS SDK v2's own DynamoDbStreamsClient:
 * StreamSpecification on CreateTable and UpdateTable with DynamoDB's messages, the records of
 * every write operation under every view type (and none for a write that changes nothing or
 * fails), every iterator type, and the errors.
 */
class StreamsSdkTest extends SdkTestBase {
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void open() {
        start();
        streams = StreamReading.client(address);
    }

    @AfterAll
    static void closeStreams() {
        if (streams != null) streams.close();
    }

    private static String streamingTable(String name, StreamViewType view) {
        table(name, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N,
                b -> b.streamSpecification(s -> s.streamEnabled(true).streamViewType(view)));
        return ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
    }

    private static Map<String, AttributeValue> key(String pk, long sk) {
        return Map.of("pk", s(pk), "sk", n(sk));
    }

    private static Map<String, AttributeValue> item(String pk, long sk, String v) {
        return Map.of("pk", s(pk), "sk", n(sk), "v", s(v));
    }

    @Test
    void createTableWithAStreamDescribesItEverywhere() {
        ddb.createTable(b -> b.tableName("described").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        TableDescription t = ddb.describeTable(b -> b.tableName("described")).table();
        assertTrue(t.streamSpecification().streamEnabled());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, t.streamSpecification().streamViewType());
        assertTrue(t.latestStreamLabel().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"), t.latestStreamLabel());
        assertEquals(t.tableArn() + "/stream/" + t.latestStreamLabel(), t.latestStreamArn());

        assertTrue(streams.listStreams(b -> b.tableName("described")).streams().stream()
                .anyMatch(s -> s.streamArn().equals(t.latestStreamArn()) && s.streamLabel().equals(t.latestStreamLabel())));
        StreamDescription d = streams.describeStream(b -> b.streamArn(t.latestStreamArn())).streamDescription();
        assertEquals(StreamStatus.ENABLED, d.streamStatus());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, d.streamViewType());
        assertEquals("described", d.tableName());
        assertEquals("pk", d.keySchema().getFirst().attributeName());
        assertNotNull(d.creationRequestDateTime());
        assertEquals(2, d.shards().size());
        for (Shard s : d.shards()) {
            assertTrue(s.shardId().matches("shardId-\\d{20}-[0-9a-f]{8}"), s.shardId());
            assertTrue(s.sequenceNumberRange().startingSequenceNumber().matches("\\d{21}"));
            assertNull(s.sequenceNumberRange().endingSequenceNumber());
            assertNull(s.parentShardId());
        }

        ddb.createTable(b -> b.tableName("nostream").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .streamSpecification(s -> s.streamEnabled(false)));
        TableDescription none = ddb.describeTable(b -> b.tableName("nostream")).table();
        assertNull(none.streamSpecification());
        assertNull(none.latestStreamArn());
        assertTrue(streams.listStreams(b -> b.tableName("nostream")).streams().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = StreamViewType.class, names = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    void everyWriteOperationEmitsItsRecordAndOnlyRealChangesDo(StreamViewType view) {
        String t = "ops_" + view.name().toLowerCase();
        String arn = streamingTable(t, view);
        ddb.putItem(b -> b.tableName(t).item(item("a", 1, "one")));                       // INSERT
        ddb.putItem(b -> b.tableName(t).item(item("a", 1, "one")));                       // same: nothing
        ddb.putItem(b -> b.tableName(t).item(item("a", 1, "two")));                       // MODIFY
        ddb.updateItem(b -> b.tableName(t).key(key("a", 1)).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("three"))));                     // MODIFY
        ddb.updateItem(b -> b.tableName(t).key(key("a", 1)).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("three"))));                     // same: nothing
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName(t)
                .item(item("a", 1, "never")).conditionExpression("attribute_not_exists(pk)")));  // failed: nothing
        ddb.deleteItem(b -> b.tableName(t).key(key("a", 1)));                              // REMOVE
        ddb.deleteItem(b -> b.tableName(t).key(key("a", 1)));                              // missing: nothing
        ddb.updateItem(b -> b.tableName(t).key(key("b", 1)).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("new"))));                       // INSERT by update
        ddb.batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("c", 1, "batch"))).build(),
                WriteRequest.builder().deleteRequest(d -> d.key(key("b", 1))).build()))));  // INSERT c, REMOVE b
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(t).item(item("d", 1, "tx"))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(t).key(key("c", 1)).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", s("tx2")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(t).key(key("zz", 1))
                        .conditionExpression("attribute_not_exists(pk)")).build()));          // INSERT d, MODIFY c
        assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(t).item(item("e", 1, "no"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(t).key(key("d", 1))
                        .conditionExpression("attribute_not_exists(pk)")).build())));         // canceled: nothing

        List<Record> records = StreamReading.readAll(streams, arn);
        Map<String, List<Record>> byKey = records.stream().collect(Collectors.groupingBy(
                r -> r.dynamodb().keys().get("pk").s(), java.util.LinkedHashMap::new, Collectors.toList()));
        assertEquals(Set.of("a", "b", "c", "d"), byKey.keySet());
        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.MODIFY, OperationType.REMOVE),
                names(byKey.get("a")));
        assertEquals(List.of(OperationType.INSERT, OperationType.REMOVE), names(byKey.get("b")));
        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY), names(byKey.get("c")));
        assertEquals(List.of(OperationType.INSERT), names(byKey.get("d")));

        Record modify = byKey.get("a").get(2);
        assertEquals(key("a", 1), modify.dynamodb().keys());
        assertEquals(view, modify.dynamodb().streamViewType());
        assertEquals(view == StreamViewType.NEW_IMAGE || view == StreamViewType.NEW_AND_OLD_IMAGES,
                modify.dynamodb().hasNewImage());
        assertEquals(view == StreamViewType.OLD_IMAGE || view == StreamViewType.NEW_AND_OLD_IMAGES,
                modify.dynamodb().hasOldImage());
        if (modify.dynamodb().hasNewImage()) assertEquals(item("a", 1, "three"), modify.dynamodb().newImage());
        if (modify.dynamodb().hasOldImage()) assertEquals(item("a", 1, "two"), modify.dynamodb().oldImage());
        Record insert = byKey.get("a").getFirst();
        assertFalse(insert.dynamodb().hasOldImage());
        Record remove = byKey.get("a").get(3);
        assertFalse(remove.dynamodb().hasNewImage());
        if (view == StreamViewType.OLD_IMAGE || view == StreamViewType.NEW_AND_OLD_IMAGES) {
            assertEquals(item("a", 1, "three"), remove.dynamodb().oldImage());
        }
        Set<String> ids = new HashSet<>();
        for (Record r : records) {
            assertTrue(r.eventID().matches("[0-9a-f]{32}"), r.eventID());
            assertTrue(ids.add(r.eventID()));
            assertEquals("1.1", r.eventVersion());
            assertEquals("aws:dynamodb", r.eventSource());
            assertEquals("us-east-1", r.awsRegion());
            assertNull(r.userIdentity());
            assertTrue(r.dynamodb().sequenceNumber().matches("\\d{21}"));
            assertTrue(r.dynamodb().sizeBytes() > 0);
            assertNotNull(r.dynamodb().approximateCreationDateTime());
        }
        for (List<Record> perKey : byKey.values()) {
            for (int i = 1; i < perKey.size(); i++) {
                assertTrue(perKey.get(i - 1).dynamodb().sequenceNumber().compareTo(perKey.get(i).dynamodb().sequenceNumber()) < 0);
            }
        }
    }

    private static List<OperationType> names(List<Record> records) {
        return records.stream().map(Record::eventName).toList();
    }

    @Test
    void updateTableEnablesAndDisablesWithDynamoDbsMessages() {
        table("toggled", "pk", ScalarAttributeType.S, null, null);
        assertValidation("Table has no stream to disable: TableName: toggled",
                () -> ddb.updateTable(b -> b.tableName("toggled").streamSpecification(s -> s.streamEnabled(false))));
        assertValidation("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required",
                () -> ddb.updateTable(b -> b.tableName("toggled").streamSpecification(s -> s.streamEnabled(true))));
        assertValidation("1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
                () -> ddb.updateTable(b -> b.tableName("toggled").streamSpecification(s -> s.streamEnabled(true).streamViewType("ALL"))));

        TableDescription enabled = ddb.updateTable(b -> b.tableName("toggled")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))).tableDescription();
        assertTrue(enabled.streamSpecification().streamEnabled());
        String first = enabled.latestStreamArn();
        assertNotNull(first);
        ddb.putItem(b -> b.tableName("toggled").item(Map.of("pk", s("x"))));

        assertValidation("Table already has an enabled stream: TableName: toggled",
                () -> ddb.updateTable(b -> b.tableName("toggled")
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))));
        assertValidation("Table already has an enabled stream: TableName: toggled",
                () -> ddb.updateTable(b -> b.tableName("toggled")
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))));
        assertValidation("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified",
                () -> ddb.updateTable(b -> b.tableName("toggled")
                        .streamSpecification(s -> s.streamEnabled(false).streamViewType(StreamViewType.KEYS_ONLY))));

        TableDescription disabled = ddb.updateTable(b -> b.tableName("toggled")
                .streamSpecification(s -> s.streamEnabled(false))).tableDescription();
        assertNull(disabled.streamSpecification());
        assertEquals(first, disabled.latestStreamArn());
        ddb.putItem(b -> b.tableName("toggled").item(Map.of("pk", s("after-disable"))));
        StreamDescription old = streams.describeStream(b -> b.streamArn(first)).streamDescription();
        assertEquals(StreamStatus.DISABLED, old.streamStatus());
        for (Shard s : old.shards()) assertNotNull(s.sequenceNumberRange().endingSequenceNumber());
        // a disabled stream stays readable; its closed shards end (no NextShardIterator) once read
        List<Record> kept = new ArrayList<>();
        for (Shard s : old.shards()) {
            String it = streams.getShardIterator(b -> b.streamArn(first).shardId(s.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(it));
            kept.addAll(page.records());
            assertNull(page.nextShardIterator());
        }
        assertEquals(1, kept.size());
        assertEquals("x", kept.getFirst().dynamodb().keys().get("pk").s());

        String second = ddb.updateTable(b -> b.tableName("toggled")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))).tableDescription()
                .latestStreamArn();
        assertNotEquals(first, second);
        assertEquals(2, streams.listStreams(b -> b.tableName("toggled")).streams().size());
        assertEquals(StreamStatus.ENABLED, streams.describeStream(b -> b.streamArn(second)).streamDescription().streamStatus());

        ddb.deleteTable(b -> b.tableName("toggled"));
        assertEquals(StreamStatus.DISABLED, streams.describeStream(b -> b.streamArn(second)).streamDescription().streamStatus());
    }

    @Test
    void everyIteratorTypeStartsWhereItSays() {
        table("iter", "pk", ScalarAttributeType.S, null, null,
                b -> b.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
        String arn = ddb.describeTable(b -> b.tableName("iter")).table().latestStreamArn();
        // one partition key: every record in one shard
        for (int i = 0; i < 3; i++) {
            int v = i;
            ddb.putItem(b -> b.tableName("iter").item(Map.of("pk", s("k"), "v", n(v))));
        }
        Shard shard = StreamReading.shards(streams, arn).stream()
                .filter(s -> !StreamReading.readShard(streams, arn, s.shardId()).isEmpty()).findFirst().orElseThrow();
        String latest = iterator(arn, shard.shardId(), ShardIteratorType.LATEST, null);
        List<Record> all = StreamReading.readShard(streams, arn, shard.shardId());
        assertEquals(3, all.size());
        String second = all.get(1).dynamodb().sequenceNumber();
        assertTrue(all.get(0).dynamodb().sequenceNumber().compareTo(second) < 0);

        List<Record> at = StreamReading.readFrom(streams, iterator(arn, shard.shardId(), ShardIteratorType.AT_SEQUENCE_NUMBER, second));
        assertEquals(List.of(second, all.get(2).dynamodb().sequenceNumber()), at.stream().map(r -> r.dynamodb().sequenceNumber()).toList());
        List<Record> after = StreamReading.readFrom(streams, iterator(arn, shard.shardId(), ShardIteratorType.AFTER_SEQUENCE_NUMBER, second));
        assertEquals(List.of(all.get(2).dynamodb().sequenceNumber()), after.stream().map(r -> r.dynamodb().sequenceNumber()).toList());
        // any number in the shard's range: the first record at or after it
        String start = shard.sequenceNumberRange().startingSequenceNumber();
        assertEquals(3, StreamReading.readFrom(streams, iterator(arn, shard.shardId(), ShardIteratorType.AT_SEQUENCE_NUMBER, start)).size());

        GetRecordsResponse nothingYet = streams.getRecords(b -> b.shardIterator(latest));
        assertTrue(nothingYet.records().isEmpty());
        assertNotNull(nothingYet.nextShardIterator());
        ddb.putItem(b -> b.tableName("iter").item(Map.of("pk", s("k"), "v", n(99))));
        GetRecordsResponse next = streams.getRecords(b -> b.shardIterator(nothingYet.nextShardIterator()));
        assertEquals(1, next.records().size());
        assertEquals(OperationType.MODIFY, next.records().getFirst().eventName());

        // Limit pages one record at a time
        String it = iterator(arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON, null);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String current = it;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(1));
            assertEquals(1, page.records().size());
            seen.add(page.records().getFirst().dynamodb().sequenceNumber());
            it = page.nextShardIterator();
        }
        assertEquals(4, new HashSet<>(seen).size());
        assertEquals(seen.stream().sorted().toList(), seen);
    }

    private static String iterator(String arn, String shardId, ShardIteratorType type, String seq) {
        return streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId).shardIteratorType(type).sequenceNumber(seq))
                .shardIterator();
    }

    @Test
    void badIteratorsStreamsShardsAndLimitsAreRefused() {
        String arn = streamingTable("errs", StreamViewType.NEW_IMAGE);
        ddb.putItem(b -> b.tableName("errs").item(item("a", 1, "x")));
        Shard shard = StreamReading.shards(streams, arn).getFirst();
        String it = iterator(arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON, null);
        assertTrue(it.startsWith(arn + "|1|"), it);

        // tampered: one bit of the signed position changed
        String body = it.substring(it.lastIndexOf('|') + 1);
        byte[] bytes = Base64.getDecoder().decode(body);
        bytes[20] ^= 1;
        String forged = it.substring(0, it.lastIndexOf('|') + 1) + Base64.getEncoder().encodeToString(bytes);
        assertStreamsError("ValidationException", "Invalid ShardIterator", () -> streams.getRecords(b -> b.shardIterator(forged)));
        // moved to another stream: the signature covers the ARN
        String other = streamingTable("errs2", StreamViewType.NEW_IMAGE);
        String moved = other + it.substring(arn.length());
        assertStreamsError("ValidationException", "Invalid ShardIterator", () -> streams.getRecords(b -> b.shardIterator(moved)));
        assertStreamsError("ValidationException", "Invalid ShardIterator", () -> streams.getRecords(b -> b.shardIterator("garbage")));

        String unknown = arn.replace("errs/stream/", "nope/stream/");
        assertStreamsError("ResourceNotFoundException", "Requested resource not found: Stream: " + unknown + " not found",
                () -> streams.describeStream(b -> b.streamArn(unknown)));
        assertStreamsError("ResourceNotFoundException", "Requested resource not found: Stream: " + unknown + " not found",
                () -> streams.getShardIterator(b -> b.streamArn(unknown).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.LATEST)));
        String noShard = "shardId-00000000000000000000-00000000";
        assertStreamsError("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(noShard).shardIteratorType(ShardIteratorType.LATEST)));
        assertStreamsError("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1", () -> streams.getRecords(b -> b.shardIterator(it).limit(0)));
        assertStreamsError("LimitExceededException", "Too many operations for a given subscriber.",
                () -> streams.getRecords(b -> b.shardIterator(it).limit(1001)));
        assertStreamsError("ValidationException", "SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)));
        String before = "000000000000000000001";
        assertThrows(DynamoDbException.class, () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(before)));

        // ListStreams pages
        var first = streams.listStreams(b -> b.limit(1));
        assertEquals(1, first.streams().size());
        assertNotNull(first.lastEvaluatedStreamArn());
        var rest = streams.listStreams(b -> b.exclusiveStartStreamArn(first.lastEvaluatedStreamArn()));
        assertFalse(rest.streams().stream().anyMatch(s -> s.streamArn().equals(first.streams().getFirst().streamArn())));
        // DescribeStream pages
        StreamDescription one = streams.describeStream(b -> b.streamArn(arn).limit(1)).streamDescription();
        assertEquals(1, one.shards().size());
        assertEquals(one.shards().getFirst().shardId(), one.lastEvaluatedShardId());
        StreamDescription two = streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(one.lastEvaluatedShardId()))
                .streamDescription();
        assertEquals(1, two.shards().size());
        assertNull(two.lastEvaluatedShardId());
    }

    @Test
    void theStreamsApiAnswersOnlyTheStoresCredentials() {
        try (DynamoDbStreamsClient stranger = StreamReading.client(address, "AKIDSOMEONEELSE00001", "x")) {
            SdkException e = assertThrows(SdkException.class, () -> stranger.listStreams());
            assertTrue(e.getMessage().contains("security token"), e.getMessage());
        }
        try (DynamoDbStreamsClient wrongSecret = StreamReading.client(address,
                dev.weir.store.StoreTestCredentials.CREDENTIALS.accessKeyId(), "wrong")) {
            SdkException e = assertThrows(SdkException.class, () -> wrongSecret.listStreams());
            assertTrue(e.getMessage().contains("signature"), e.getMessage());
        }
    }

    static void assertStreamsError(String code, String message, org.junit.jupiter.api.function.Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals(code, e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }

    @SuppressWarnings("unused")
    private static <T> Map<String, T> index(List<T> list, Function<T, String> key) {
        return list.stream().collect(Collectors.toMap(key, x -> x));
    }
}
