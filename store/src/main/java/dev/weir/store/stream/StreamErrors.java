package dev.weir.store.stream;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;

/**
 * The errors of the DynamoDB Streams API, with DynamoDB's types (the SDKs match the part after
 * '#') and HTTP 400. Which texts are confirmed from public sources and which are this store's
 * own is listed in docs/streams.md ("Errors").
 */
final class StreamErrors {
    private static final String NS = "com.amazonaws.dynamodb.v20120810#";
    /** arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL: anything else is not a stream ARN. */
    private static final java.util.regex.Pattern STREAM_ARN =
            java.util.regex.Pattern.compile("arn:[^:]+:dynamodb:[^:]*:[^:]*:table/[^/]+/stream/[^/]+");

    private StreamErrors() {}

    /** A StreamArn member that is not the ARN of a stream: DynamoDB's ValidationException "Invalid StreamArn". */
    static void checkArn(String arn) {
        if (arn != null && (arn.length() > 1024 || !STREAM_ARN.matcher(arn).matches())) {
            throw new DynamoException(DynamoError.invalidStreamArn());
        }
    }

    /** GetRecords with a Limit above 1000: DynamoDB answers LimitExceededException, not a validation error. */
    static DynamoException limitExceeded() {
        return new DynamoException(DynamoError.getRecordsLimitExceeded());
    }

    static DynamoException streamNotFound(String arn) {
        return new DynamoException(DynamoError.resourceNotFound("Requested resource not found: Stream: " + arn + " not found"));
    }

    static DynamoException shardNotFound() {
        return new DynamoException(DynamoError.resourceNotFound("Requested resource not found: Shard does not exist"));
    }

    static DynamoException expired() {
        return new DynamoException(new DynamoError(NS + "ExpiredIteratorException", "Shard iterator has expired", 400));
    }

    static DynamoException trimmed() {
        return new DynamoException(new DynamoError(NS + "TrimmedDataAccessException",
                "The data you are trying to access has been trimmed.", 400));
    }
}
