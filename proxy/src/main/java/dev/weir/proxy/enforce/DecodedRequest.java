package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

/**
 * A request the proxy has read: its operation, the table it names (null for operations on
 * no table, such as ListTables) and its JSON body.
 */
public record DecodedRequest(Operation operation, String table, ObjectNode body) {
    /** The table name policies match against; operations on no table match only {@code *}. */
    public String policyTable() {
        return table == null ? "*" : table;
    }
}
