package dev.weir.protocol.wire;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

/** The {@code X-Amz-Target} header of the DynamoDB JSON 1.0 protocol. */
public final class Target {
    public static final String HEADER = "X-Amz-Target";
    public static final String PREFIX = "DynamoDB_20120810.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private Target() {}

    /** The operation a target names, or an UnknownOperationException as DynamoDB sends it. */
    public static Operation parse(String target) {
        if (target == null || !target.startsWith(PREFIX)) {
            throw new DynamoException(DynamoError.unknownOperation(""));
        }
        Operation op = Operation.byName(target.substring(PREFIX.length()));
        if (op == null) throw new DynamoException(DynamoError.unknownOperation(""));
        return op;
    }

    public static String of(Operation op) {
        return PREFIX + op.name();
    }
}
