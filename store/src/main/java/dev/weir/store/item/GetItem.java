package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** GetItem; every read is strongly consistent, so ConsistentRead is accepted and has no effect. */
public final class GetItem implements OperationHandler {
    private final TableCatalog catalog;
    private final ItemStore items;

    public GetItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        JsonNode keyNode = RequestFields.object(request, "Key");
        RequestFields.bool(request, "ConsistentRead");
        ValidationErrors errors = new ValidationErrors();
        TableNames.check(errors, tableName, "tableName");
        errors.notNull(keyNode, "key");
        ItemRequests.checkCapacityMembers(request, errors);
        errors.throwIfAny();
        Unsupported.reject(request, "ProjectionExpression", "AttributesToGet");
        ItemRequests.noExpressionParameters(request);

        Map<String, AttributeValue> key = ItemValidator.canonicalItem(AttributeValueJson.item(keyNode, "key"));
        TableDefinition table = catalog.require(tableName);
        Map<String, AttributeValue> item = items.get(ItemKeys.ofKey(table.keySchema(), key).encode(table));

        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (item != null) response.set("Item", AttributeValueJson.toJson(item));
        return response;
    }
}
