package dev.weir.store.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.api.OperationHandler;

import java.util.Map;

/** The DynamoDB Streams operations, by the name after {@code DynamoDBStreams_20120810.} in X-Amz-Target. */
public final class StreamsApi {
    public static final String TARGET_PREFIX = "DynamoDBStreams_20120810.";

    private StreamsApi() {}

    public static Map<String, OperationHandler> handlers(StreamCatalog streams, ObjectMapper mapper) {
        return Map.of(
                "ListStreams", new ListStreams(streams),
                "DescribeStream", new DescribeStream(streams),
                "GetShardIterator", new GetShardIterator(streams),
                "GetRecords", new GetRecords(streams, mapper));
    }
}
