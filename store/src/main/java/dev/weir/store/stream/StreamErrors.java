package dev.weir.store.stream;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;

/** The errors of the DynamoDB Streams API, with DynamoDB's types (the SDKs match the part after '#'). */
final class StreamErrors {
    private static final String NS = "com.amazonaws.dynamodb.v20120810#";

    private StreamErrors() {}

    static DynamoException streamNotFound(String arn) {
        return new DynamoException(DynamoError.resourceNotFound("Requested resource not found: Stream: " + arn + " not found"));
    }

    static DynamoException shardNotFound(String shardId) {
        return new DynamoException(DynamoError.resourceNotFound("Requested resource not found: Shard: " + shardId + " not found"));
    }

    static DynamoException expired() {
        return new DynamoException(new DynamoError(NS + "ExpiredIteratorException", "Shard iterator has expired", 400));
    }

    static DynamoException trimmed() {
        return new DynamoException(new DynamoError(NS + "TrimmedDataAccessException",
                "The data you are trying to access has been trimmed.", 400));
    }
}
