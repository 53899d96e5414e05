package dev.weir.proxy.enforce.succeeded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.List;
import java.util.Objects;

/**
 * A single-table request weir permitted and forwarded (whatever the store answered), as a
 * {@link RequestListener} hears of it. It carries the key the client named, unfiltered: a
 * listener that passes it on must cut it through the view of whoever receives it.
 *
 * @param requestId the request's id (its audit records carry the same)
 * @param table     canonical table name
 * @param principal who sent it
 * @param key       the request's {@code Key} in DynamoDB JSON ({@code {"id":{"S":"p-1"}}}), or null when it names none
 */
public record SucceededRequest(String requestId, Operation operation, String table, String principal, List<String> roles,
                               ObjectNode key) {
    public SucceededRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(principal, "principal");
        roles = List.copyOf(roles);
        key = key == null ? null : key.deepCopy();
    }
}
