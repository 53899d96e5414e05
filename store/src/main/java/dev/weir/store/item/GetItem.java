package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemSize;

import java.util.Map;

/**
 * GetItem with an optional ProjectionExpression (or AttributesToGet). Every read is strongly consistent;
 * ConsistentRead only changes the capacity reported.
 */
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
        Boolean consistent = RequestFields.bool(request, "ConsistentRead");
        LegacyParameters.checkNotMixed(Operation.GetItem, request);
        RequestExpressions expressions = RequestExpressions.of(request);
        Projection projectionExpression = expressions.projection();
        expressions.finish();
        Projection projection = LegacyParameters.either(projectionExpression,
                LegacyParameters.of(Operation.GetItem, request).projection());

        Map<String, AttributeValue> key = ItemRequests.item(keyNode, "key");
        TableDefinition table = catalog.require(tableName);
        Map<String, AttributeValue> item = items.get(table, ItemKeys.ofKey(table.keySchema(), key));

        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        if (consumed.wanted()) {
            // sizing an item walks all of it: only when the capacity is reported
            consumed.tableRead(table.name(), Consumed.readUnits(item == null ? 0 : ItemSize.of(item), Boolean.TRUE.equals(consistent)));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            response.set("Item", AttributeValueJson.toJson(projection == null ? item : projection.apply(item)));
        }
        consumed.addTo(response, table.name());
        return response;
    }
}
