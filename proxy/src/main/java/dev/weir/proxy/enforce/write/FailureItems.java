package dev.weir.proxy.enforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.read.ReadView;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The stored item a failed write returns with {@code ReturnValuesOnConditionCheckFailure:
 * ALL_OLD}: the {@code Item} of a ConditionalCheckFailedException, or the {@code Item} of each
 * entry of a TransactionCanceledException's {@code CancellationReasons}. Each goes through the
 * caller's read view of its table, like every value that leaves toward the caller: withheld
 * unless the view admits the whole stored item, else shown as the view shows it. The write
 * rule never decides what is shown. Error bodies are small, so they are read as a tree.
 */
public final class FailureItems {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    /** The operations whose errors may carry a stored item. */
    public static final List<Operation> WRITES = List.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem,
            Operation.TransactWriteItems);

    private FailureItems() {}

    /**
     * The body with its items filtered; the same array when it carries none.
     *
     * @param viewOfEntry the view of the request's table (-1) or of the part of cancellation reason i (null: none, withhold)
     */
    public static byte[] filter(byte[] body, IntFunction<ReadView> viewOfEntry) throws IOException {
        if (!dev.weir.protocol.wire.JsonBodies.mayName(body, "Item")) return body;  // an escaped name is read whole too
        JsonNode tree = JSON.readTree(body);
        if (!(tree instanceof ObjectNode error)) throw new IOException("an error body that is not an object");
        if (error.has("Item")) show(error, viewOfEntry.apply(-1));
        if (error.get("CancellationReasons") instanceof JsonNode reasons && reasons.isArray()) {
            for (int i = 0; i < reasons.size(); i++) {
                if (reasons.get(i) instanceof ObjectNode reason && reason.has("Item")) show(reason, viewOfEntry.apply(i));
            }
        }
        return JSON.writeValueAsBytes(error);
    }

    private static void show(ObjectNode holder, ReadView view) {
        Map<String, AttributeValue> item = AttributeValueJson.item(holder.get("Item"), "Item");
        if (view == null || !view.admits(item)) {
            holder.remove("Item");
            return;
        }
        holder.set("Item", AttributeValueJson.toJson(view.show(item)));
    }
}
