package dev.weir.lifecycle.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.Objects;

/**
 * A request weir permitted and the store answered with 200, as API-call triggers see it
 * before the cut (the appliance builds it from proxy's {@code SucceededRequest}; lifecycle
 * does not depend on proxy).
 *
 * @param key the request's {@code Key} in DynamoDB JSON, uncut; null when it names none
 */
public record RequestEvent(String requestId, Operation operation, String table, String principal, ObjectNode key) {
    public RequestEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(principal, "principal");
    }
}
