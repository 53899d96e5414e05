package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projections;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.index.IndexEntries;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemValidator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UpdateItem: reads the item, tests the ConditionExpression (or Expected), applies the
 * UpdateExpression (or AttributeUpdates) and writes the result, all under the item's lock, so
 * counters and conditional claims are exact under any concurrency. A missing item is created
 * from its key.
 */
public final class UpdateItem implements OperationHandler {
    private final TableCatalog catalog;
    private final ItemStore items;

    /** Old and new item of one update. */
    private record Change(Map<String, AttributeValue> old, Map<String, AttributeValue> next) {}

    public UpdateItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        JsonNode keyNode = RequestFields.object(request, "Key");
        String returnValues = RequestFields.text(request, "ReturnValues");
        LegacyParameters.checkNotMixed(Operation.UpdateItem, request);
        RequestExpressions expressions = RequestExpressions.of(request);
        Update updateExpression = expressions.update();
        Condition conditionExpression = expressions.condition("ConditionExpression");
        expressions.finish();
        LegacyRequest legacy = LegacyParameters.of(Operation.UpdateItem, request);
        Update update = LegacyParameters.either(updateExpression, legacy.update());
        Condition condition = LegacyParameters.either(conditionExpression, legacy.condition());

        Map<String, AttributeValue> keyItem = ItemRequests.item(keyNode, "key");
        TableDefinition table = catalog.require(tableName);
        PrimaryKey key = ItemKeys.ofKey(table.keySchema(), keyItem);
        checkKeyNotUpdated(table, update);
        ItemRef ref = ItemRef.of(table, key);
        boolean returnOnFailure = ItemRequests.returnItemOnFailure(request);
        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        Change change = items.atomically(List.of(ref), consumed, s -> {
            Map<String, AttributeValue> current = s.current(ref);
            if (condition != null && !condition.test(current)) throw ConditionFailures.failed(current, returnOnFailure);
            Map<String, AttributeValue> next = apply(s.table(ref), update, current, keyItem);
            s.put(ref, next);
            return new Change(current, next);
        });

        ObjectNode response = JsonNodeFactory.instance.objectNode();
        Map<String, AttributeValue> attributes = switch (returnValues == null ? "NONE" : returnValues) {
            case "ALL_OLD" -> change.old();
            case "ALL_NEW" -> change.next();
            case "UPDATED_OLD" -> updated(update, change.old());
            case "UPDATED_NEW" -> updated(update, change.next());
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) response.set("Attributes", AttributeValueJson.toJson(attributes));
        consumed.addTo(response, table.name());
        ItemRequests.addItemCollectionMetrics(request, response, table, key, items);
        return response;
    }

    /** The item after the update: validated like a written item, sized with UpdateItem's message. */
    public static Map<String, AttributeValue> apply(TableDefinition table, Update update, Map<String, AttributeValue> current,
                                                    Map<String, AttributeValue> keyItem) {
        Map<String, AttributeValue> base = current != null ? current : new LinkedHashMap<>(keyItem);
        if (update == null) return base;
        Map<String, AttributeValue> next = ItemValidator.canonicalItem(update.apply(base));
        IndexEntries.validate(table, next);
        ItemValidator.checkSize(next, true);
        return next;
    }

    /** Refuses an UpdateExpression that writes a key attribute, as DynamoDB does before reading the item. */
    public static void checkKeyNotUpdated(TableDefinition table, Update update) {
        if (update == null) return;
        for (Path p : update.writePaths()) {
            for (KeyElement k : table.keySchema().elements()) {
                if (p.attribute().equals(k.name())) {
                    throw DynamoException.validation("One or more parameter values were invalid: Cannot update attribute "
                            + k.name() + ". This attribute is part of the key");
                }
            }
        }
    }

    private static Map<String, AttributeValue> updated(Update update, Map<String, AttributeValue> item) {
        if (update == null || item == null) return null;
        return Projections.of(update.writePaths()).apply(item);
    }
}
