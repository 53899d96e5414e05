package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.Unsupported;
import dev.weir.store.api.ValidationErrors;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableNames;
import dev.weir.store.value.ItemValidator;

import java.util.Map;

/** PutItem with ReturnValues NONE or ALL_OLD. */
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
        ValidationErrors errors = new ValidationErrors();
        TableNames.check(errors, tableName, "tableName");
        errors.notNull(itemNode, "item");
        errors.oneOf(returnValues, "returnValues", ItemRequests.RETURN_VALUES);
        ItemRequests.checkCapacityMembers(request, errors);
        errors.oneOf(RequestFields.text(request, "ReturnItemCollectionMetrics"), "returnItemCollectionMetrics",
                ItemRequests.RETURN_ITEM_COLLECTION_METRICS);
        errors.throwIfAny();
        if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        Unsupported.reject(request, "ConditionExpression", "Expected", "ConditionalOperator");
        ItemRequests.noExpressionParameters(request);

        Map<String, AttributeValue> item = ItemValidator.canonicalItem(AttributeValueJson.item(itemNode, "item"));
        TableDefinition table = catalog.require(tableName);
        byte[] key = ItemKeys.ofItem(table.keySchema(), item).encode(table);

        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if ("ALL_OLD".equals(returnValues)) {
            Map<String, AttributeValue> old = items.update(key, ignored -> item);
            if (old != null) response.set("Attributes", AttributeValueJson.toJson(old));
        } else {
            items.put(key, item);
        }
        return response;
    }
}
