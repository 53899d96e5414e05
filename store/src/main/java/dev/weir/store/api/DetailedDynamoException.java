package dev.weir.store.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A DynamoDB error whose body carries more than a type and a message: the item of a
 * ConditionalCheckFailedException (ReturnValuesOnConditionCheckFailure), the
 * CancellationReasons of a TransactionCanceledException.
 */
public final class DetailedDynamoException extends RuntimeException {
    private final DynamoError error;
    private final String messageMember;
    private final ObjectNode details;

    /** {@code messageMember} is {@code message} for most errors, {@code Message} where DynamoDB capitalizes it. */
    public DetailedDynamoException(DynamoError error, String messageMember, ObjectNode details) {
        super(error.shortType() + ": " + error.message(), null, false, false);
        this.error = error;
        this.messageMember = messageMember;
        this.details = details;
    }

    public DynamoError error() {
        return error;
    }

    public ObjectNode details() {
        return details;
    }

    public ApiResponse toResponse(ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        body.put("__type", error.type());
        body.put(messageMember, error.message());
        body.setAll(details);
        try {
            return new ApiResponse(error.status(), mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
