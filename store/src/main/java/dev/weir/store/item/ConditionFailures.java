package dev.weir.store.item;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.api.DetailedDynamoException;

import java.util.Map;

/** The ConditionalCheckFailedException of a write whose condition is false. */
public final class ConditionFailures {
    public static final String MESSAGE = "The conditional request failed";

    private ConditionFailures() {}

    /** The failure, carrying the current item when ReturnValuesOnConditionCheckFailure is ALL_OLD and it exists. */
    public static RuntimeException failed(Map<String, AttributeValue> current, boolean returnItem) {
        DynamoError error = DynamoError.conditionalCheckFailed(MESSAGE);
        if (returnItem && current != null) {
            ObjectNode details = JsonNodeFactory.instance.objectNode();
            details.set("Item", AttributeValueJson.toJson(current));
            return new DetailedDynamoException(error, "message", details);
        }
        return new DynamoException(error);
    }
}
