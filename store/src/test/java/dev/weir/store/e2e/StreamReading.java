package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The SDK's DynamoDB Streams client against a store on loopback, and reading a whole stream with it. */
final class StreamReading {
    private StreamReading() {}

    static DynamoDbStreamsClient client(InetSocketAddress address) {
        return client(address, StoreTestCredentials.CREDENTIALS.accessKeyId(), StoreTestCredentials.CREDENTIALS.secretAccessKey());
    }

    static DynamoDbStreamsClient client(InetSocketAddress address, String keyId, String secret) {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + address.getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** Every shard of a stream, all pages. */
    static List<Shard> shards(DynamoDbStreamsClient streams, String arn) {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            StreamDescription d = streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(from)).streamDescription();
            all.addAll(d.shards());
            start = d.lastEvaluatedShardId();
        } while (start != null);
        return all;
    }

    /** The records of one shard from TRIM_HORIZON until no more come (an open shard: until a page is empty). */
    static List<Record> readShard(DynamoDbStreamsClient streams, String arn, String shardId) {
        String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return readFrom(streams, it);
    }

    static List<Record> readFrom(DynamoDbStreamsClient streams, String iterator) {
        List<Record> out = new ArrayList<>();
        String it = iterator;
        while (it != null) {
            String current = it;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
            out.addAll(page.records());
            if (page.records().isEmpty()) break;
            it = page.nextShardIterator();
        }
        return out;
    }

    /** Every record of a stream, shard by shard, parents before children; within a shard in sequence order. */
    static List<Record> readAll(DynamoDbStreamsClient streams, String arn) {
        List<Record> out = new ArrayList<>();
        for (Shard s : shards(streams, arn)) out.addAll(readShard(streams, arn, s.shardId()));
        return out;
    }

    /** The records sorted by sequence number (their numeric order equals their string order). */
    static List<Record> bySequence(List<Record> records) {
        List<Record> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(r -> r.dynamodb().sequenceNumber()));
        return sorted;
    }
}
