package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One part of a batch or transaction: the table it names, what it does ({@code acts}: GetItem,
 * PutItem, UpdateItem, DeleteItem, or ConditionCheck as a read) and its own members shaped like
 * that single-item request, so that it is checked exactly as that request would be. Each
 * part is decided under the container's operation name (a policy grants BatchGetItem or
 * TransactWriteItems on a table), and one refused part refuses the whole request.
 */
record Part(int index, String table, Operation acts, ObjectNode body) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> GET = Set.of("Keys", "ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead",
            "AttributesToGet");
    private static final Set<String> TX_GET = Set.of("TableName", "Key", "ProjectionExpression", "ExpressionAttributeNames");
    private static final Set<String> TX_WRITE = Set.of("TableName", "Key", "Item", "UpdateExpression", "ConditionExpression",
            "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnValuesOnConditionCheckFailure");

    /** The parts of a batch or transaction request; refuses members the proxy does not know. */
    static List<Part> of(DecodedRequest req) {
        ObjectNode body = req.body();
        List<Part> parts = new ArrayList<>();
        switch (req.operation()) {
            case BatchGetItem -> {
                for (Map.Entry<String, JsonNode> t : fields(body, "RequestItems")) {
                    only(t.getValue(), GET, "RequestItems." + t.getKey());
                    ObjectNode part = ((ObjectNode) t.getValue()).deepCopy();
                    part.put("TableName", t.getKey());
                    parts.add(new Part(parts.size(), t.getKey(), Operation.GetItem, part));
                }
            }
            case BatchWriteItem -> {
                for (Map.Entry<String, JsonNode> t : fields(body, "RequestItems")) {
                    if (!t.getValue().isArray()) throw DynamoException.validation("RequestItems." + t.getKey() + " must be a list");
                    for (JsonNode w : t.getValue()) {
                        ObjectNode part = NODES.objectNode().put("TableName", t.getKey());
                        if (w.has("PutRequest") && w.size() == 1) {
                            only(w.get("PutRequest"), Set.of("Item"), "PutRequest");
                            part.set("Item", w.get("PutRequest").get("Item"));
                            parts.add(new Part(parts.size(), t.getKey(), Operation.PutItem, part));
                        } else if (w.has("DeleteRequest") && w.size() == 1) {
                            only(w.get("DeleteRequest"), Set.of("Key"), "DeleteRequest");
                            part.set("Key", w.get("DeleteRequest").get("Key"));
                            parts.add(new Part(parts.size(), t.getKey(), Operation.DeleteItem, part));
                        } else {
                            throw DynamoException.validation("each write request needs exactly one of PutRequest or DeleteRequest");
                        }
                    }
                }
            }
            case TransactGetItems, TransactWriteItems -> {
                JsonNode items = body.get("TransactItems");
                if (items == null || !items.isArray()) throw DynamoException.validation("TransactItems must be a list");
                for (JsonNode item : items) {
                    if (!item.isObject() || item.size() != 1) {
                        throw DynamoException.validation("each TransactItem needs exactly one action");
                    }
                    Map.Entry<String, JsonNode> action = item.fields().next();
                    Operation acts = switch (action.getKey()) {
                        case "Get" -> req.operation() == Operation.TransactGetItems ? Operation.GetItem : null;
                        case "ConditionCheck" -> Operation.GetItem;
                        case "Put" -> Operation.PutItem;
                        case "Update" -> Operation.UpdateItem;
                        case "Delete" -> Operation.DeleteItem;
                        default -> null;
                    };
                    if (acts == null || (req.operation() == Operation.TransactGetItems) != action.getKey().equals("Get")) {
                        throw DynamoException.validation("weir does not support the action '" + action.getKey() + "' of "
                                + req.operation() + ", so the request was refused rather than forwarded unchecked");
                    }
                    only(action.getValue(), action.getKey().equals("Get") ? TX_GET : TX_WRITE, action.getKey());
                    ObjectNode part = ((ObjectNode) action.getValue()).deepCopy();
                    JsonNode table = part.get("TableName");
                    if (table == null || !table.isTextual()) throw DynamoException.validation("TableName is required");
                    parts.add(new Part(parts.size(), table.textValue(), acts, part));
                }
            }
            default -> throw new IllegalArgumentException(req.operation() + " has no parts");
        }
        if (parts.isEmpty()) throw DynamoException.validation("the request names no items");
        return parts;
    }

    /** This part as the single-item request it stands for. */
    DecodedRequest asRequest() {
        return new DecodedRequest(acts, table, body);
    }

    /** Puts this part's (rewritten) body back into its batch's or transaction's body. */
    void writeBack(ObjectNode container) {
        if (container.has("RequestItems")) {
            ObjectNode read = body.deepCopy();
            read.remove("TableName");
            ((ObjectNode) container.get("RequestItems")).set(table, read);
            return;
        }
        ObjectNode item = (ObjectNode) container.get("TransactItems").get(index);
        item.set(item.fieldNames().next(), body);
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(ObjectNode body, String member) {
        JsonNode n = body.get(member);
        if (n == null || !n.isObject()) throw DynamoException.validation(member + " must be a map of table name to requests");
        return n::fields;
    }

    private static void only(JsonNode node, Set<String> known, String where) {
        if (node == null || !node.isObject()) throw DynamoException.validation(where + " must be a structure");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String m = it.next();
            if (!known.contains(m)) {
                throw DynamoException.validation("weir does not support the parameter '" + m + "' in " + where
                        + ", so the request was refused rather than forwarded unchecked");
            }
        }
    }
}
