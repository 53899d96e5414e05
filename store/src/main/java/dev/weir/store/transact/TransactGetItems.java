package dev.weir.store.transact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemRef;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemSize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TransactGetItems: up to 100 items read together under their locks, so the answer never
 * shows half of a concurrent transaction.
 */
public final class TransactGetItems implements OperationHandler {
    private record Get(ItemRef ref, Projection projection) {}

    private final TableCatalog catalog;
    private final ItemStore items;

    public TransactGetItems(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        List<JsonNode> actions = RequestFields.list(request, "TransactItems");

        List<Get> gets = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (JsonNode a : actions) {
            JsonNode get = a.get("Get");
            ItemRequests.rejectLegacy(get, "TransactGetItems");
            RequestExpressions expressions = RequestExpressions.of(get);
            Projection projection = expressions.projection();
            expressions.finish();
            TableDefinition table = catalog.require(RequestFields.text(get, "TableName"));
            Map<String, AttributeValue> key = ItemRequests.item(RequestFields.object(get, "Key"), "key");
            ItemRef ref = ItemRef.of(table, ItemKeys.ofKey(table.keySchema(), key));
            if (!seen.add(ref.identity())) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
            gets.add(new Get(ref, projection));
        }

        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        List<Map<String, AttributeValue>> found = items.atomically(gets.stream().map(Get::ref).toList(), consumed, s -> {
            List<Map<String, AttributeValue>> out = new ArrayList<>();
            for (Get g : gets) out.add(s.current(g.ref()));
            return out;
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode responses = response.putArray("Responses");
        for (int i = 0; i < gets.size(); i++) {
            Map<String, AttributeValue> item = found.get(i);
            Get g = gets.get(i);
            consumed.tableRead(g.ref().table().name(), 2 * Consumed.readUnits(item == null ? 0 : ItemSize.of(item), true));
            ObjectNode r = responses.addObject();
            if (item != null) r.set("Item", AttributeValueJson.toJson(g.projection() == null ? item : g.projection().apply(item)));
        }
        consumed.addAllTo(response);
        return response;
    }
}
