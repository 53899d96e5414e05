package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak test of issue 15: with the SDK's DynamoDbStreamsClient through weir in front of the
 * bundled store, an analyst with a mask and a row filter sees only its view in stream records,
 * rows moving into and out of its view show as INSERT and REMOVE, and an admin sees every
 * record. Needs the store's Streams support (branch {@code streams}): until the store accepts a
 * StreamSpecification the test is skipped, not failed.
 */
class StreamsLeakEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static DynamoDbClient admin;
    static DynamoDbStreamsClient adminStreams, analystStreams;
    static String streamArn;

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("streams.weir"), """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("read") allow analyst on table people op read
                  rows where item.region == principal.region
                  fields [id, region, name, ssn]
                  mask ssn show_last(4)
                """);
        weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
        admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
        adminStreams = streams("AKIAWEIRADMIN0000001", "weir-admin-secret");
        analystStreams = streams("AKIAWEIRANALYST00001", "weir-analyst-secret");
        try {
            admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        } catch (DynamoDbException e) {
            Assumptions.assumeTrue(false, "the store has no Streams support yet: " + e.getMessage());
        }
        streamArn = admin.describeTable(b -> b.tableName("people")).table().latestStreamArn();
        put("a", "us", "Alice Ames", "111-22-3333", 90_000);     // hidden from the eu analyst
        put("b", "eu", "Bob Brown", "222-33-4444", 80_000);      // visible
        put("a", "eu", "Alice Ames", "111-22-3333", 90_000);     // moves into view: INSERT
        put("b", "us", "Bob Brown", "222-33-4444", 80_000);      // moves out of view: REMOVE
        admin.deleteItem(b -> b.tableName("people").key(Map.of("id", s("a"))));    // visible REMOVE
        put("c", "us", "Carl Cole", "333-44-5555", 70_000);      // hidden
        admin.deleteItem(b -> b.tableName("people").key(Map.of("id", s("c"))));    // hidden
    }

    private static void put(String id, String region, String name, String ssn, int salary) {
        admin.putItem(b -> b.tableName("people").item(Map.of("id", s(id), "region", s(region), "name", s(name), "ssn", s(ssn),
                "salary", AttributeValue.fromN(Integer.toString(salary)))));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static DynamoDbStreamsClient streams(String key, String secret) {
        return DynamoDbStreamsClient.builder().endpointOverride(URI.create(weir.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /** Every record of every shard, parents first, read with Limit 1 pages until a page is empty or the shard ends. */
    static List<Record> readAll(DynamoDbStreamsClient client) {
        List<Record> out = new ArrayList<>();
        List<Shard> shards = client.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        for (Shard shard : shards) {
            String it = client.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            assertTrue(it.startsWith("weir1:"), "weir's sealed iterator");
            while (it != null) {
                String at = it;
                GetRecordsResponse page = client.getRecords(b -> b.shardIterator(at).limit(1));
                assertTrue(page.records().size() <= 1);
                out.addAll(page.records());
                if (page.records().isEmpty()) break;
                it = page.nextShardIterator();
            }
        }
        return out;
    }

    @Test
    void theAnalystSeesOnlyItsViewInStreamRecords() {
        List<Record> records = readAll(analystStreams);
        List<String> seen = records.stream().map(r -> r.eventNameAsString() + ":" + r.dynamodb().keys().get("id").s()).toList();
        assertEquals(List.of("INSERT:b", "INSERT:a", "REMOVE:b", "REMOVE:a"), seen);
        String all = records.toString();
        assertFalse(all.contains("salary") || all.contains("90000") || all.contains("80000"), all);
        assertFalse(all.contains("111-22-3333") || all.contains("222-33-4444"), "ssn masked");
        assertFalse(all.contains("Carl") || all.contains("\"us\"") || all.contains("S=us"), "nothing of a us row: " + all);
        Record in = records.get(1);
        assertTrue(in.dynamodb().oldImage().isEmpty(), "the image before the row moved into view is not shown");
        Record out = records.get(2);
        assertTrue(out.dynamodb().newImage().isEmpty(), "the image after the row moved out of view is not shown");
        assertTrue(records.get(0).dynamodb().newImage().get("ssn").s().endsWith("4444"));
    }

    @Test
    void theAdminSeesEveryRecord() {
        List<Record> records = readAll(adminStreams);
        assertEquals(7, records.size());
        assertEquals("90000", records.get(0).dynamodb().newImage().get("salary").n());
    }

    @Test
    void listStreamsAndForgedIterators() {
        assertEquals(1, analystStreams.listStreams(b -> b.tableName("people")).streams().size());
        assertThrows(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                () -> analystStreams.getRecords(b -> b.shardIterator("weir1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (weir != null) weir.close();
    }
}
