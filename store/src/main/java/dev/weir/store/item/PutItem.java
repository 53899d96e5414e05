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
import dev.weir.store.index.IndexEntries;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemValidator;

import java.util.List;
import java.util.Map;

/** PutItem: a whole item, optionally under a ConditionExpression (or Expected), with ReturnValues NONE or ALL_OLD. */
public final class PutItem implements OperationHandler {
    private final TableCatalog catalog;
    private final ItemStore items;

    public PutItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        JsonNode itemNode = RequestFields.object(request, "Item");
        String returnValues = RequestFields.text(request, "ReturnValues");
        ItemRequests.onlyNoneOrAllOld(returnValues);
        Condition condition = ItemRequests.condition(Operation.PutItem, request);

        Map<String, AttributeValue> item = ItemRequests.item(itemNode, "item");
        TableDefinition table = catalog.require(tableName);
        PrimaryKey key = ItemKeys.ofItem(table.keySchema(), item);
        IndexEntries.validate(table, item);
        ItemValidator.checkSize(item, false);
        ItemRef ref = ItemRef.of(table, key);
        boolean returnOnFailure = ItemRequests.returnItemOnFailure(request);
        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        Map<String, AttributeValue> old = items.atomically(List.of(ref), consumed, s -> {
            Map<String, AttributeValue> current = s.current(ref);
            if (condition != null && !condition.test(current)) throw ConditionFailures.failed(current, returnOnFailure);
            s.put(ref, item);
            return current;
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if ("ALL_OLD".equals(returnValues) && old != null) response.set("Attributes", AttributeValueJson.toJson(old));
        consumed.addTo(response, table.name());
        ItemRequests.addItemCollectionMetrics(request, response, table, key, items);
        return response;
    }
}
