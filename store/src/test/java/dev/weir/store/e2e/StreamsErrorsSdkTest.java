package dev.weir.store.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.List;
import java.util.Map;

import static dev.weir.store.e2e.StreamsSdkTest.assertStreamsError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Streams API's error answers, one case per test, through the AWS SDK v2's
 * DynamoDbStreamsClient: the type the SDK maps, the HTTP status and the message. Where the
 * text is DynamoDB's own, confirmed from a public source, docs/streams.md ("Errors") says which;
 * the others are the store's own words. Expired iterators and trimmed data need the store's
 * clock and are in {@link StreamsTimeSdkTest}.
 */
class StreamsErrorsSdkTest extends SdkTestBase {
    static DynamoDbStreamsClient streams;
    static int tables;
    String arn;
    Shard shard;

    @BeforeAll
    static void open() {
        start();
        streams = StreamReading.client(address);
    }

    @AfterAll
    static void closeStreams() {
        if (streams != null) streams.close();
    }

    @BeforeEach
    void streamWithARecord() {
        String name = "errors" + ++tables;
        table(name, "pk", ScalarAttributeType.S, null, null,
                b -> b.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "v", s("x"))));
        arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        shard = StreamReading.shards(streams, arn).getFirst();
    }

    private String trimHorizon() {
        return streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    @Test
    void anUnknownShardIsResourceNotFoundShardDoesNotExist() {
        // DynamoDB's own text, as AWS answered it (see docs/streams.md)
        assertStreamsError("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId("shardId-00000000000000000000-00000000")
                        .shardIteratorType(ShardIteratorType.LATEST)));
        assertThrows(ResourceNotFoundException.class, () -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId("adfasdasdasdasdasdasdasdasdasasdasd").shardIteratorType(ShardIteratorType.TRIM_HORIZON)),
                "the SDK maps it to its ResourceNotFoundException");
    }

    @Test
    void aWellFormedArnOfNoStreamIsResourceNotFound() {
        String unknown = arn.replace("/stream/", "x/stream/");
        String message = "Requested resource not found: Stream: " + unknown + " not found";
        assertStreamsError("ResourceNotFoundException", message, () -> streams.describeStream(b -> b.streamArn(unknown)));
        assertStreamsError("ResourceNotFoundException", message, () -> streams.getShardIterator(b -> b.streamArn(unknown)
                .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.LATEST)));
    }

    @Test
    void aStreamArnThatIsNoStreamArnIsInvalidStreamArn() {
        for (String bad : List.of("fake-stream", "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf",
                arn.replace(":dynamodb:", ":kinesis:"), arn.substring(0, arn.indexOf("/stream/")))) {
            assertStreamsError("ValidationException", "Invalid StreamArn", () -> streams.describeStream(b -> b.streamArn(bad)));
            assertStreamsError("ValidationException", "Invalid StreamArn", () -> streams.getShardIterator(b -> b.streamArn(bad)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.LATEST)));
            assertStreamsError("ValidationException", "Invalid StreamArn",
                    () -> streams.listStreams(b -> b.exclusiveStartStreamArn(bad)));
        }
    }

    @Test
    void aMissingStreamArnIsAMemberValidationError() {
        assertStreamsError("ValidationException", "1 validation error detected: Value null at 'streamArn' failed to satisfy "
                + "constraint: Member must not be null", () -> streams.describeStream(b -> b.limit(5)));
    }

    @Test
    void getRecordsLimitBelowOneIsAValidationError() {
        String it = trimHorizon();
        assertStreamsError("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1", () -> streams.getRecords(b -> b.shardIterator(it).limit(0)));
    }

    @Test
    void getRecordsLimitAboveOneThousandIsLimitExceeded() {
        String it = trimHorizon();
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> streams.getRecords(b -> b.shardIterator(it).limit(1001)));
        assertEquals(400, e.statusCode());
        assertEquals("Too many operations for a given subscriber.", e.awsErrorDetails().errorMessage());
        assertTrue(streams.getRecords(b -> b.shardIterator(it).limit(1000)).hasRecords(), "1000 is allowed");
    }

    @Test
    void listStreamsAndDescribeStreamLimitsAreOneToOneHundred() {
        for (int limit : new int[] {0, 101}) {
            String constraint = limit == 0 ? "greater than or equal to 1" : "less than or equal to 100";
            String message = "1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value " + constraint;
            assertStreamsError("ValidationException", message, () -> streams.listStreams(b -> b.limit(limit)));
            assertStreamsError("ValidationException", message, () -> streams.describeStream(b -> b.streamArn(arn).limit(limit)));
        }
    }

    @Test
    void anUnknownIteratorTypeIsAnEnumValidationError() {
        assertStreamsError("ValidationException", "1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, "
                + "AFTER_SEQUENCE_NUMBER]", () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType("bulle")));
    }

    @Test
    void aSequenceNumberMustComeWithAtAndAfterOnly() {
        for (ShardIteratorType type : List.of(ShardIteratorType.AT_SEQUENCE_NUMBER, ShardIteratorType.AFTER_SEQUENCE_NUMBER)) {
            assertStreamsError("ValidationException", "SequenceNumber is required for ShardIteratorType " + type,
                    () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId()).shardIteratorType(type)));
        }
        String start = shard.sequenceNumberRange().startingSequenceNumber();
        for (ShardIteratorType type : List.of(ShardIteratorType.TRIM_HORIZON, ShardIteratorType.LATEST)) {
            assertStreamsError("ValidationException", "SequenceNumber must not be given with ShardIteratorType " + type,
                    () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId()).shardIteratorType(type)
                            .sequenceNumber(start)));
        }
    }

    @Test
    void aSequenceNumberThatIsNoNumberIsAValidationError() {
        String garbage = "sdfsafglldfngjdafnasdflgnaldklk";
        assertStreamsError("ValidationException", "Invalid SequenceNumber: " + garbage,
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(garbage)));
        assertStreamsError("ValidationException", "1 validation error detected: Value '12' at 'sequenceNumber' failed to "
                + "satisfy constraint: Member must have length greater than or equal to 21",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber("12")));
    }

    @Test
    void aSequenceNumberOutsideTheShardIsAValidationError() {
        String before = "000000000000000000001";
        assertStreamsError("ValidationException", "Invalid SequenceNumber " + before + " for shard " + shard.shardId()
                        + ": outside the shard's SequenceNumberRange",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(before)));
    }

    @Test
    void anIteratorTheStoreDidNotIssueIsInvalidShardIterator() {
        String it = trimHorizon();
        for (String bad : List.of("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg", it + "x",
                it.substring(0, it.length() - 4), arn + "|1|")) {
            assertStreamsError("ValidationException", "Invalid ShardIterator", () -> streams.getRecords(b -> b.shardIterator(bad)));
        }
    }

    @Test
    void describeStreamFromAShardIdItDoesNotHoldIsNoError() {
        List<String> ids = StreamReading.shards(streams, arn).stream().map(Shard::shardId).toList();
        assertTrue(ids.size() >= 2, ids.toString());
        StreamDescription after = streams.describeStream(b -> b.streamArn(arn)
                .exclusiveStartShardId("zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfsfsdjfjks")).streamDescription();
        assertEquals(List.of(), after.shards(), "nothing sorts after it");
        StreamDescription fromBefore = streams.describeStream(b -> b.streamArn(arn)
                .exclusiveStartShardId("shardId-00000000000000000000-00000000")).streamDescription();
        assertEquals(ids, fromBefore.shards().stream().map(Shard::shardId).toList(), "every shard sorts after it");
        StreamDescription afterLast = streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(ids.getLast()))
                .streamDescription();
        assertEquals(List.of(), afterLast.shards());
    }
}
