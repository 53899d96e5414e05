package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

import java.util.List;

/** Checks that the item operations share. */
final class ItemRequests {
    static final List<String> RETURN_VALUES = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
    static final List<String> RETURN_CONSUMED_CAPACITY = List.of("INDEXES", "TOTAL", "NONE");
    static final List<String> RETURN_ITEM_COLLECTION_METRICS = List.of("SIZE", "NONE");

    private ItemRequests() {}

    static void checkCapacityMembers(JsonNode request, ValidationErrors errors) {
        errors.oneOf(RequestFields.text(request, "ReturnConsumedCapacity"), "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
    }

    /** Expression names and values are refused while the request has no expression, as DynamoDB does. */
    static void noExpressionParameters(JsonNode request) {
        if (RequestFields.present(request, "ExpressionAttributeNames")) {
            throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        if (RequestFields.present(request, "ExpressionAttributeValues")) {
            throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
    }
}
