package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

import java.util.List;

/**
 * UpdateTable's ReplicaUpdates (global tables). The store is one process with one region: it
 * cannot keep replicas in other regions, so it checks the member's shape as DynamoDB does and
 * then refuses every replica change with a ValidationException that says so, rather than
 * answer as if a replica had been created.
 */
final class ReplicaUpdates {
    static final String REFUSED = "ReplicaUpdates are not supported: this store has a single region (us-east-1) "
            + "and cannot create, update or delete replicas of a global table";
    private static final int MAX_UPDATES = 50;

    private ReplicaUpdates() {}

    static void refuse(JsonNode request) {
        if (!RequestFields.present(request, "ReplicaUpdates")) return;
        List<JsonNode> updates = RequestFields.list(request, "ReplicaUpdates");
        // at least one update, each naming its region: the validator's (RequestValidator); the cap is the store's
        ValidationErrors errors = new ValidationErrors();
        if (updates != null && updates.size() > MAX_UPDATES) {
            errors.add(updates.size() + " elements", "replicaUpdates", "Member must have length less than or equal to " + MAX_UPDATES);
        }
        errors.throwIfAny();
        throw DynamoException.validation(REFUSED);
    }
}
