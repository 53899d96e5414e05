package dev.weir.store.e2e;

import dev.weir.store.BundledStore;
import dev.weir.store.StoreOptions;
import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What depends on time, with the store's clock moved by hand: deletions by time to live carry
 * the service's identity, iterators expire after 15 minutes, shards roll with lineage, retention
 * trims records, shards and disabled streams, and a consumer in the Kinesis Client Library's
 * pattern (parents before children, checkpoints) resumes after a restart without loss.
 */
class StreamsTimeSdkTest {
    private static final Duration SHARD_LIFETIME = Duration.ofHours(4);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private BundledStore store;
    private DynamoDbClient ddb;
    private DynamoDbStreamsClient streams;

    private void open(int shards) {
        store = BundledStore.open(dir, StoreTestCredentials.options().withClock(clock)
                .withTtlSweepInterval(Duration.ofMillis(50)).withStreamShards(shards, SHARD_LIFETIME));
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        ddb = SdkClients.to(address);
        streams = StreamReading.client(address);
    }

    @AfterEach
    void close() {
        if (ddb != null) ddb.close();
        if (streams != null) streams.close();
        if (store != null) store.close();
    }

    private String table(String name, StreamViewType view) {
        ddb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(view)));
        return ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
    }

    private void put(String table, String pk, long v) {
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromN(Long.toString(v)))));
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void deletionsByTimeToLiveCarryTheServiceIdentity() throws InterruptedException {
        open(1);
        String arn = table("ttl", StreamViewType.OLD_IMAGE);
        ddb.updateTimeToLive(b -> b.tableName("ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("exp")));
        long soon = clock.millis() / 1000 + 60;
        ddb.putItem(b -> b.tableName("ttl").item(Map.of("pk", AttributeValue.fromS("gone"), "exp", AttributeValue.fromN(Long.toString(soon)))));
        ddb.deleteItem(b -> b.tableName("ttl").key(Map.of("pk", AttributeValue.fromS("gone-by-hand"))));
        clock.advance(Duration.ofMinutes(2));
        eventually("the sweeper deletes the expired item", () -> StreamReading.readAll(streams, arn).size() == 2);
        List<Record> records = StreamReading.readAll(streams, arn);
        assertEquals(OperationType.INSERT, records.get(0).eventName());
        assertNull(records.get(0).userIdentity());
        Record removed = records.get(1);
        assertEquals(OperationType.REMOVE, removed.eventName());
        assertEquals("dynamodb.amazonaws.com", removed.userIdentity().principalId());
        assertEquals("Service", removed.userIdentity().type());
        assertEquals("gone", removed.dynamodb().oldImage().get("pk").s());
    }

    @Test
    void iteratorsExpireAfterFifteenMinutes() {
        open(1);
        String arn = table("expiry", StreamViewType.KEYS_ONLY);
        put("expiry", "a", 1);
        Shard shard = StreamReading.shards(streams, arn).getFirst();
        String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        clock.advance(Duration.ofMinutes(14));
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(it));
        assertEquals(1, page.records().size());
        clock.advance(Duration.ofMinutes(2));
        StreamsSdkTest.assertStreamsError("ExpiredIteratorException", "Shard iterator has expired",
                () -> streams.getRecords(b -> b.shardIterator(it)));
        // the iterator GetRecords returned was issued 2 minutes ago: still good
        assertNotNull(streams.getRecords(b -> b.shardIterator(page.nextShardIterator())).nextShardIterator());
    }

    @Test
    void shardsRollOnTimeWithLineageAndEachItemStaysInOrder() {
        open(2);
        String arn = table("lineage", StreamViewType.NEW_IMAGE);
        for (int k = 0; k < 8; k++) put("lineage", "k" + k, 1);
        clock.advance(SHARD_LIFETIME.plusSeconds(1));
        for (int k = 0; k < 8; k++) put("lineage", "k" + k, 2);

        List<Shard> shards = StreamReading.shards(streams, arn);
        assertEquals(4, shards.size());
        Map<String, Shard> byId = new HashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        int children = 0;
        for (Shard s : shards) {
            if (s.parentShardId() == null) {
                assertNotNull(s.sequenceNumberRange().endingSequenceNumber(), "the parent is closed");
                continue;
            }
            children++;
            Shard parent = byId.get(s.parentShardId());
            assertNotNull(parent);
            assertNull(s.sequenceNumberRange().endingSequenceNumber());
            assertTrue(parent.sequenceNumberRange().endingSequenceNumber().compareTo(s.sequenceNumberRange().startingSequenceNumber()) < 0);
            assertTrue(shards.indexOf(parent) < shards.indexOf(s), "parents are listed before their children");
            // a closed shard read to its end has no next iterator
            String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(parent.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(it));
            assertNull(page.nextShardIterator());
        }
        assertEquals(2, children);

        Map<String, List<String>> perKey = new LinkedHashMap<>();
        Map<String, String> shardOfKey = new HashMap<>();
        for (Shard s : shards) {
            for (Record r : StreamReading.readShard(streams, arn, s.shardId())) {
                String k = r.dynamodb().keys().get("pk").s();
                perKey.computeIfAbsent(k, x -> new ArrayList<>()).add(r.dynamodb().newImage().get("v").n());
                // the child's records of a key follow its parent's: one shard chain per key
                String chain = s.parentShardId() == null ? s.shardId() : s.parentShardId();
                assertEquals(shardOfKey.computeIfAbsent(k, x -> chain), chain);
            }
        }
        assertEquals(8, perKey.size());
        for (List<String> values : perKey.values()) assertEquals(List.of("1", "2"), values);
    }

    @Test
    void retentionTrimsRecordsClosedShardsAndDisabledStreams() throws InterruptedException {
        open(1);
        String arn = table("kept", StreamViewType.KEYS_ONLY);
        put("kept", "old", 1);
        Shard first = StreamReading.shards(streams, arn).getFirst();
        String oldSeq = StreamReading.readShard(streams, arn, first.shardId()).getFirst().dynamodb().sequenceNumber();

        clock.advance(Duration.ofHours(25));
        put("kept", "new", 1);
        eventually("the old record is trimmed", () -> StreamReading.readAll(streams, arn).size() == 1);
        assertEquals("new", StreamReading.readAll(streams, arn).getFirst().dynamodb().keys().get("pk").s());
        StreamsSdkTest.assertStreamsError("TrimmedDataAccessException", "The data you are trying to access has been trimmed.",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(first.shardId())
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(oldSeq)));
        // the first shard closed when it rolled; once it is older than the retention period it is gone
        clock.advance(Duration.ofHours(25));
        eventually("the closed shard is dropped", () -> StreamReading.shards(streams, arn).stream()
                .noneMatch(s -> s.shardId().equals(first.shardId())));

        ddb.updateTable(b -> b.tableName("kept").streamSpecification(s -> s.streamEnabled(false)));
        assertEquals(1, streams.listStreams(b -> b.tableName("kept")).streams().size());
        clock.advance(Duration.ofHours(23));
        assertEquals("DISABLED", streams.describeStream(b -> b.streamArn(arn)).streamDescription().streamStatusAsString());
        clock.advance(Duration.ofHours(2));
        eventually("the disabled stream is gone", () -> streams.listStreams(b -> b.tableName("kept")).streams().isEmpty());
        StreamsSdkTest.assertStreamsError("ResourceNotFoundException", "Requested resource not found: Stream: " + arn + " not found",
                () -> streams.describeStream(b -> b.streamArn(arn)));
    }

    /**
     * The Kinesis Client Library's way of reading a stream, done with the SDK's streams client:
     * list the shards, read a child only after its parent is read to its end, checkpoint the last
     * sequence number processed per shard, and after a restart resume AFTER_SEQUENCE_NUMBER the
     * checkpoint. Every record is processed; only those after the last checkpoint twice.
     */
    @Test
    void aKclStyleConsumerFollowsLineageAndResumesFromItsCheckpoints() {
        open(2);
        String arn = table("kcl", StreamViewType.NEW_IMAGE);
        Map<String, String> checkpoints = new HashMap<>();
        Set<String> finished = new HashSet<>();
        List<String> processed = new ArrayList<>();
        for (int i = 0; i < 30; i++) put("kcl", "k" + (i % 7), i);
        consume(arn, checkpoints, finished, processed, 3);  // stops after 3 batches, uncheckpointed batch lost
        clock.advance(SHARD_LIFETIME.plusSeconds(1));
        for (int i = 30; i < 60; i++) put("kcl", "k" + (i % 7), i);

        // restart the store and the consumer: only the checkpoints survive
        close();
        open(2);
        List<String> afterRestart = new ArrayList<>();
        consume(arn, checkpoints, finished, afterRestart, Integer.MAX_VALUE);
        List<String> all = new ArrayList<>(processed);
        all.addAll(afterRestart);

        Set<String> everything = new HashSet<>();
        for (Record r : StreamReading.readAll(streams, arn)) everything.add(r.eventID());
        assertEquals(60, everything.size());
        assertEquals(everything, new HashSet<>(all), "every record processed");
        // duplicates: only the one batch processed but not checkpointed before the restart
        assertTrue(all.size() - everything.size() <= 5, "duplicated beyond the last checkpoint: " + (all.size() - everything.size()));
        // per key the values arrive in write order
        Map<String, List<Long>> perKey = new HashMap<>();
        for (Record r : StreamReading.readAll(streams, arn)) {
            perKey.computeIfAbsent(r.dynamodb().keys().get("pk").s(), x -> new ArrayList<>())
                    .add(Long.parseLong(r.dynamodb().newImage().get("v").n()));
        }
        for (List<Long> values : perKey.values()) assertEquals(values.stream().sorted().toList(), values);
    }

    /**
     * Reads batches of up to 5 records, parents first; checkpoints after each batch except the
     * last one before stopping (a crash between processing and checkpointing). Returns when every
     * shard is read to its end (open shards: to an empty page) or after {@code maxBatches}.
     */
    private void consume(String arn, Map<String, String> checkpoints, Set<String> finished, List<String> processed, int maxBatches) {
        int batches = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            List<Shard> shards = StreamReading.shards(streams, arn);
            Set<String> listed = new HashSet<>();
            shards.forEach(s -> listed.add(s.shardId()));
            for (Shard s : shards) {
                if (finished.contains(s.shardId())) continue;
                if (s.parentShardId() != null && listed.contains(s.parentShardId()) && !finished.contains(s.parentShardId())) continue;
                String checkpoint = checkpoints.get(s.shardId());
                String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(s.shardId())
                        .shardIteratorType(checkpoint == null ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .sequenceNumber(checkpoint)).shardIterator();
                while (it != null) {
                    String current = it;
                    GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(5));
                    for (Record r : page.records()) processed.add(r.eventID());
                    batches++;
                    if (batches == maxBatches) return;  // crashed before this batch's checkpoint
                    if (!page.records().isEmpty()) {
                        checkpoints.put(s.shardId(), page.records().getLast().dynamodb().sequenceNumber());
                        progress = true;
                    }
                    it = page.nextShardIterator();
                    if (it == null) {
                        finished.add(s.shardId());
                        progress = true;
                    } else if (page.records().isEmpty()) {
                        break;
                    }
                }
            }
        }
        assertFalse(finished.isEmpty() && processed.isEmpty());
    }
}
