package dev.weir.lifecycle.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request weir permitted and forwarded (whatever the store answered), as the API-call triggers
 * of one table see it before the cut: the appliance builds one per table the request names from
 * proxy's {@code SucceededRequest} (lifecycle does not depend on proxy).
 *
 * @param keys    the keys of the items the request names in this table, in DynamoDB JSON, uncut, in request order
 * @param unnamed how many put items of this table weir could not name a key for (no key schema), so the
 *                event is not sent: a partial list of keys would misstate the request
 */
public record RequestEvent(String requestId, Operation operation, String table, String principal, List<ObjectNode> keys,
                           int unnamed) {
    public RequestEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(principal, "principal");
        List<ObjectNode> copies = new ArrayList<>(keys.size());
        for (ObjectNode k : keys) copies.add(Objects.requireNonNull(k, "key"));
        keys = List.copyOf(copies);
        if (unnamed < 0) throw new IllegalArgumentException("unnamed " + unnamed);
    }

    /** A request naming its items by these keys, every one named. */
    public RequestEvent(String requestId, Operation operation, String table, String principal, List<ObjectNode> keys) {
        this(requestId, operation, table, principal, keys, 0);
    }
}
