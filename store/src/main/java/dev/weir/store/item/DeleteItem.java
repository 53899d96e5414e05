package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;

import java.util.List;
import java.util.Map;

/** DeleteItem, optionally under a ConditionExpression (or Expected), with ReturnValues NONE or ALL_OLD. */
public final class DeleteItem implements OperationHandler {
    private final TableCatalog catalog;
    private final ItemStore items;

    public DeleteItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        JsonNode keyNode = RequestFields.object(request, "Key");
        String returnValues = RequestFields.text(request, "ReturnValues");
        ItemRequests.onlyNoneOrAllOld(returnValues);
        Condition condition = ItemRequests.condition(Operation.DeleteItem, request);

        Map<String, AttributeValue> keyItem = ItemRequests.item(keyNode, "key");
        TableDefinition table = catalog.require(tableName);
        PrimaryKey key = ItemKeys.ofKey(table.keySchema(), keyItem);
        ItemRef ref = ItemRef.of(table, key);
        boolean returnOnFailure = ItemRequests.returnItemOnFailure(request);
        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        Map<String, AttributeValue> old = items.atomically(List.of(ref), consumed, s -> {
            Map<String, AttributeValue> current = s.current(ref);
            if (condition != null && !condition.test(current)) throw ConditionFailures.failed(current, returnOnFailure);
            s.delete(ref);
            return current;
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if ("ALL_OLD".equals(returnValues) && old != null) response.set("Attributes", AttributeValueJson.toJson(old));
        consumed.addTo(response, table.name());
        ItemRequests.addItemCollectionMetrics(request, response, table, key, items);
        return response;
    }
}
