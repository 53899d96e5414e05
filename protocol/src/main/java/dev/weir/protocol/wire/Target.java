package dev.weir.protocol.wire;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

import java.util.HashMap;
import java.util.Map;

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
        return target == null ? null : BY_TARGET.get(target);
    }

    /** Every operation by its target (its API's prefix and its name): one lookup per request, no substring. */
    private static final Map<String, Operation> BY_TARGET = byTarget();

    private static Map<String, Operation> byTarget() {
        Map<String, Operation> all = new HashMap<>();
        for (Operation op : Operation.values()) all.put(op.api().prefix() + op.name(), op);
        return Map.copyOf(all);
    }

    public static String of(Operation op) {
        return op.api().prefix() + op.name();
    }
}
