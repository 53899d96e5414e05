package dev.weir.store.transact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.api.DetailedDynamoException;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.index.IndexEntries;
import dev.weir.store.item.ConditionFailures;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemRef;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.item.UpdateItem;
import dev.weir.store.item.WriteSession;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemValidator;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TransactWriteItems: up to 100 ConditionChecks, Puts, Updates and Deletes, all or nothing.
 * The locks of every item (and of the ClientRequestToken) are taken in one fixed order, every
 * condition is evaluated against the current items, and only if all hold are the writes
 * committed, in one synced RocksDB write batch; otherwise TransactionCanceledException names
 * the reason of each action.
 */
public final class TransactWriteItems implements OperationHandler {
    static final int MAX_ACTIONS = 100;
    private static final String CANCELED = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";

    private final TableCatalog catalog;
    private final ItemStore items;
    private final ClientTokens tokens;
    private final Clock clock;

    public TransactWriteItems(TableCatalog catalog, ItemStore items, ClientTokens tokens, Clock clock) {
        this.catalog = catalog;
        this.items = items;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        List<JsonNode> actions = RequestFields.list(request, "TransactItems");
        String token = RequestFields.text(request, "ClientRequestToken");
        for (JsonNode action : actions) kindOf(action);

        List<TransactAction> parsed = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (JsonNode a : actions) {
            TransactAction action = parse(a);
            if (!seen.add(action.ref().identity())) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
            parsed.add(action);
        }

        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        byte[] digest = token == null ? null : ClientTokens.digest(request.get("TransactItems").toString());
        List<byte[]> tokenLock = token == null ? List.of() : List.of(ClientTokens.lockKey(token));
        WriteSession[] session = new WriteSession[1];
        try {
            items.atomically(parsed.stream().map(TransactAction::ref).toList(), tokenLock, consumed, s -> {
                session[0] = s;
                long now = clock.millis();
                if (token != null && tokens.check(token, digest, now) == ClientTokens.Seen.REPLAY) return null;
                apply(s, parsed, consumed);
                if (token != null) tokens.record(s, token, digest, now);
                return null;
            });
        } catch (DynamoException e) {
            if (session[0] == null || !e.error().shortType().equals(COLLECTION_TOO_LARGE)) throw e;
            // as in DynamoDB: the transaction is cancelled, the action on the collection that is too large says why
            List<ObjectNode> reasons = new ArrayList<>();
            for (TransactAction a : parsed) {
                ObjectNode reason = JsonNodeFactory.instance.objectNode();
                if (a.kind() != TransactAction.Kind.CONDITION_CHECK && session[0].inOversizedCollection(a.ref())) {
                    reason.put("Code", "ItemCollectionSizeLimitExceeded").put("Message", e.error().message());
                } else {
                    reason.put("Code", "None");
                }
                reasons.add(reason);
            }
            throw canceled(reasons);
        }
        consumed.doubled();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        consumed.addAllTo(response);
        return response;
    }

    /** Evaluates every action, then either stages all writes or cancels with one reason per action. */
    private void apply(WriteSession s, List<TransactAction> actions, Consumed consumed) {
        List<ObjectNode> reasons = new ArrayList<>();
        List<Map<String, AttributeValue>> results = new ArrayList<>();
        boolean failed = false;
        for (TransactAction a : actions) {
            Map<String, AttributeValue> current = s.current(a.ref());
            ObjectNode reason = JsonNodeFactory.instance.objectNode();
            Map<String, AttributeValue> result = null;
            if (a.condition() != null && !a.condition().test(current)) {
                reason.put("Code", "ConditionalCheckFailed").put("Message", ConditionFailures.MESSAGE);
                if (a.returnItemOnFailure() && current != null) reason.set("Item", AttributeValueJson.toJson(current));
                failed = true;
            } else if (a.kind() == TransactAction.Kind.UPDATE) {
                try {
                    result = UpdateItem.apply(s.table(a.ref()), a.update(), current, a.keyItem());
                    reason.put("Code", "None");
                } catch (DynamoException e) {
                    reason.put("Code", "ValidationError").put("Message", e.error().message());
                    failed = true;
                }
            } else {
                reason.put("Code", "None");
            }
            reasons.add(reason);
            results.add(result);
        }
        if (failed) throw canceled(reasons);
        for (int i = 0; i < actions.size(); i++) {
            TransactAction a = actions.get(i);
            switch (a.kind()) {
                case PUT -> s.put(a.ref(), a.item());
                case DELETE -> s.delete(a.ref());
                case UPDATE -> s.put(a.ref(), results.get(i));
                case CONDITION_CHECK -> consumed.tableWrite(a.ref().table().name(), 1);
            }
        }
    }

    private static final String COLLECTION_TOO_LARGE = "ItemCollectionSizeLimitExceededException";

    private static DetailedDynamoException canceled(List<ObjectNode> reasons) {
        List<String> codes = reasons.stream().map(r -> r.get("Code").asText()).toList();
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        ArrayNode list = details.putArray("CancellationReasons");
        reasons.forEach(list::add);
        return new DetailedDynamoException(new DynamoError(CANCELED,
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + String.join(", ", codes) + "]",
                400), "Message", details);
    }

    /** Exactly one of the four actions per element (the members' own constraints are the request validator's). */
    private static void kindOf(JsonNode action) {
        int kinds = 0;
        for (String k : List.of("ConditionCheck", "Put", "Delete", "Update")) {
            if (RequestFields.object(action, k) != null) kinds++;
        }
        if (kinds != 1) {
            throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
    }

    private TransactAction parse(JsonNode action) {
        String kindName = null;
        JsonNode body = null;
        for (String k : List.of("ConditionCheck", "Put", "Delete", "Update")) {
            if (RequestFields.object(action, k) != null) {
                kindName = k;
                body = action.get(k);
            }
        }
        TransactAction.Kind kind = switch (kindName) {
            case "ConditionCheck" -> TransactAction.Kind.CONDITION_CHECK;
            case "Put" -> TransactAction.Kind.PUT;
            case "Delete" -> TransactAction.Kind.DELETE;
            default -> TransactAction.Kind.UPDATE;
        };
        ItemRequests.rejectLegacy(body, "TransactWriteItems");
        RequestExpressions expressions = RequestExpressions.of(body);
        Update update = kind == TransactAction.Kind.UPDATE ? expressions.update() : null;
        Condition condition = expressions.condition("ConditionExpression");
        expressions.finish();
        TableDefinition table = catalog.require(RequestFields.text(body, "TableName"));
        boolean returnItem = ItemRequests.returnItemOnFailure(body);
        if (kind == TransactAction.Kind.PUT) {
            Map<String, AttributeValue> item = ItemRequests.item(RequestFields.object(body, "Item"), "item");
            ItemRef ref = ItemRef.of(table, ItemKeys.ofItem(table.keySchema(), item));
            IndexEntries.validate(table, item);
            ItemValidator.checkSize(item, false);
            return new TransactAction(kind, ref, null, item, null, condition, returnItem);
        }
        Map<String, AttributeValue> key = ItemRequests.item(RequestFields.object(body, "Key"), "key");
        ItemRef ref = ItemRef.of(table, ItemKeys.ofKey(table.keySchema(), key));
        if (update != null) UpdateItem.checkKeyNotUpdated(table, update);
        return new TransactAction(kind, ref, key, null, update, condition, returnItem);
    }
}
