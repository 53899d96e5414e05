package dev.weir.proxy.enforce.succeeded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request weir permitted and forwarded (whatever the store answered), as a
 * {@link RequestListener} hears of it: per table it names, the keys of the items it names
 * there. The keys are the client's, unfiltered: a listener that passes them on must cut them
 * through the view of whoever receives them.
 *
 * @param requestId the request's id (its audit records carry the same)
 * @param principal who sent it
 * @param tables    each table the request names, once, in the order first named
 */
public record SucceededRequest(String requestId, Operation operation, String principal, List<String> roles,
                               List<TableKeys> tables) {
    public SucceededRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(principal, "principal");
        roles = List.copyOf(roles);
        tables = List.copyOf(tables);
    }

    /**
     * The items a request names in one table.
     *
     * <ul>
     *   <li>GetItem, UpdateItem, DeleteItem: the {@code Key};</li>
     *   <li>PutItem: the item's key attributes, by the table's key schema;</li>
     *   <li>BatchGetItem: the table's {@code Keys}; BatchWriteItem: each PutRequest's and
     *       DeleteRequest's key, in request order;</li>
     *   <li>TransactGetItems: each Get's key; TransactWriteItems: each Put's, Update's and
     *       Delete's key. A ConditionCheck changes nothing and names no key here, so a table
     *       named only by ConditionChecks is not listed.</li>
     * </ul>
     *
     * @param table    canonical table name
     * @param keys     in DynamoDB JSON ({@code {"id":{"S":"p-1"}}}), in request order
     * @param unnamed  how many put items of this table have no key here: weir could not read the
     *                 table's key schema, or the item lacks its key attributes
     */
    public record TableKeys(String table, List<ObjectNode> keys, int unnamed) {
        public TableKeys {
            Objects.requireNonNull(table, "table");
            List<ObjectNode> copies = new ArrayList<>(keys.size());
            for (ObjectNode k : keys) copies.add(k.deepCopy());
            keys = List.copyOf(copies);
            if (unnamed < 0) throw new IllegalArgumentException("unnamed " + unnamed);
        }
    }
}
