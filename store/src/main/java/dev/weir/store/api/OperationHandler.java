package dev.weir.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One DynamoDB operation: a request body in, a response body out, or a
 * {@link dev.weir.protocol.error.DynamoException} for a DynamoDB error. Runs on a worker
 * thread, may block on storage.
 */
@FunctionalInterface
public interface OperationHandler {
    ObjectNode handle(JsonNode request);
}
