package dev.weir.protocol.wire;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

/**
 * The {@code X-Amz-Target} header of the DynamoDB JSON 1.0 protocol: {@code DynamoDB_20120810.}
 * for DynamoDB's operations, {@code DynamoDBStreams_20120810.} for the Streams operations; an
 * operation under the other API's prefix is unknown, as it is to DynamoDB.
 */
public final class Target {
    public static final String HEADER = "X-Amz-Target";
    public static final String PREFIX = Operation.Api.DYNAMODB.prefix();
    public static final String STREAMS_PREFIX = Operation.Api.STREAMS.prefix();
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private Target() {}

    /** The operation a target names, or an UnknownOperationException as DynamoDB sends it. */
    public static Operation parse(String target) {
        Operation op = named(target);
        if (op == null) throw new DynamoException(DynamoError.unknownOperation(""));
        return op;
    }

    /** The operation a target names under its own API's prefix, or null. */
    public static Operation named(String target) {
        if (target == null) return null;
        for (Operation.Api api : Operation.Api.values()) {
            if (target.startsWith(api.prefix())) {
                Operation op = Operation.byName(target.substring(api.prefix().length()));
                return op != null && op.api() == api ? op : null;
            }
        }
        return null;
    }

    public static String of(Operation op) {
        return op.api().prefix() + op.name();
    }
}
