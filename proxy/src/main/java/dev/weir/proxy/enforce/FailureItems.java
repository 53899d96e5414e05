package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The stored item a failed write returns with {@code ReturnValuesOnConditionCheckFailure:
 * ALL_OLD}: the {@code Item} of a ConditionalCheckFailedException, or the {@code Item} of each
 * entry of a TransactionCanceledException's {@code CancellationReasons}. Each is shown through
 * the field plan of its table, and dropped unless it satisfies the caller's write filter
 * ({@link Allowed#requirements()}, which implies its row filter): a write that failed on an
 * item outside the caller's rows, for instance the condition weir adds, returns no item.
 * Error bodies are small, so they are read as a tree.
 */
final class FailureItems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FailureItems() {}

    /** The decision that covers one item of the error (the request's, or a transaction part's). */
    record Covering(Allowed allowed, DecisionRequest request) {}

    /**
     * The body with its items filtered; the same array when it returns none.
     *
     * @param coveringEntry the decision for the request (-1) or for cancellation reason i
     */
    static byte[] filter(byte[] body, IntFunction<Covering> coveringEntry) throws IOException {
        if (!contains(body, "\"Item\"")) return body;
        JsonNode tree = JSON.readTree(body);
        if (!(tree instanceof ObjectNode error)) throw new IOException("an error body that is not an object");
        if (error.has("Item")) show(error, coveringEntry.apply(-1));
        if (error.get("CancellationReasons") instanceof JsonNode reasons && reasons.isArray()) {
            for (int i = 0; i < reasons.size(); i++) {
                if (reasons.get(i) instanceof ObjectNode reason && reason.has("Item")) show(reason, coveringEntry.apply(i));
            }
        }
        return JSON.writeValueAsBytes(error);
    }

    private static void show(ObjectNode holder, Covering covering) {
        Map<String, AttributeValue> item = AttributeValueJson.item(holder.get("Item"), "Item");
        if (covering == null || !covering.allowed().requirements().test(covering.request(), item)) {
            holder.remove("Item");
            return;
        }
        holder.set("Item", AttributeValueJson.toJson(covering.allowed().fields().redact(item)));
    }

    private static boolean contains(byte[] body, String needle) {
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= body.length; i++) {
            for (int j = 0; j < n.length; j++) if (body[i + j] != n[j]) continue outer;
            return true;
        }
        return false;
    }

    /** The operations whose errors may carry a stored item. */
    static final List<dev.weir.protocol.model.Operation> WRITES = List.of(dev.weir.protocol.model.Operation.PutItem,
            dev.weir.protocol.model.Operation.UpdateItem, dev.weir.protocol.model.Operation.DeleteItem,
            dev.weir.protocol.model.Operation.TransactWriteItems);
}
