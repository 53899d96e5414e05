package dev.weir.store.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemSize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchGetItem: up to 100 keys over several tables. The items returned never add up to more
 * than 16 MB (by DynamoDB's item size): the key of the first item that would go past it, and
 * every key after it, are returned in UnprocessedKeys with their table's read parameters, for
 * the client to ask again (as DynamoDB does, e.g. 100 items of 300 KB come back in two calls).
 */
public final class BatchGetItem implements OperationHandler {
    static final int MAX_KEYS = 100;
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private record TableRead(TableDefinition table, JsonNode node, List<JsonNode> keyNodes, List<PrimaryKey> keys,
                             Projection projection, boolean consistent) {}

    private final TableCatalog catalog;
    private final ItemStore items;

    public BatchGetItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        JsonNode requestItems = RequestFields.object(request, "RequestItems");
        int total = 0;
        for (var e : requestItems.properties()) total += e.getValue().get("Keys").size();
        if (total > MAX_KEYS) throw DynamoException.validation("Too many items requested for the BatchGetItem call");

        List<TableRead> reads = new ArrayList<>();
        for (var e : requestItems.properties()) {
            JsonNode t = e.getValue();
            LegacyParameters.checkNotMixed(Operation.BatchGetItem, t);
            RequestExpressions expressions = RequestExpressions.of(t);
            Projection projectionExpression = expressions.projection();
            expressions.finish();
            Projection projection = LegacyParameters.either(projectionExpression, LegacyParameters.reader(t)
                    .attributesToGet("requestItems." + e.getKey() + ".member.attributesToGet"));
            TableDefinition table = catalog.require(e.getKey());
            List<JsonNode> keyNodes = RequestFields.list(t, "Keys");
            List<PrimaryKey> keys = new ArrayList<>();
            Set<ByteBuffer> seen = new HashSet<>();
            for (JsonNode k : keyNodes) {
                PrimaryKey key = ItemKeys.ofKey(table.keySchema(), ItemRequests.item(RequestFields.requireObject(k), "key"));
                if (!seen.add(ByteBuffer.wrap(key.encode(table)))) {
                    throw DynamoException.validation("Provided list of item keys contains duplicates");
                }
                keys.add(key);
            }
            reads.add(new TableRead(table, t, keyNodes, keys, projection,
                    Boolean.TRUE.equals(RequestFields.bool(t, "ConsistentRead"))));
        }

        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode responses = response.putObject("Responses");
        ObjectNode unprocessed = JsonNodeFactory.instance.objectNode();
        long size = 0;
        boolean full = false;
        for (TableRead read : reads) {
            ArrayNode found = responses.putArray(read.table().name());
            ArrayNode left = null;
            for (int i = 0; i < read.keys().size(); i++) {
                Map<String, AttributeValue> item = full ? null : items.get(read.table(), read.keys().get(i));
                long itemSize = item == null ? 0 : ItemSize.of(item);
                // an item that would take the response past 16 MB is left, with every key after it
                full = full || size + itemSize > MAX_RESPONSE_BYTES;
                if (full) {
                    if (left == null) left = unprocessedFor(unprocessed, read);
                    left.add(read.keyNodes().get(i));
                    continue;
                }
                consumed.tableRead(read.table().name(), Consumed.readUnits(itemSize, read.consistent()));
                if (item == null) continue;
                size += itemSize;
                found.add(AttributeValueJson.toJson(read.projection() == null ? item : read.projection().apply(item)));
            }
        }
        response.set("UnprocessedKeys", unprocessed);
        consumed.addAllTo(response);
        return response;
    }

    /** The UnprocessedKeys entry of a table: its read parameters as the request gave them, and an empty key list. */
    private static ArrayNode unprocessedFor(ObjectNode unprocessed, TableRead read) {
        ObjectNode t = unprocessed.putObject(read.table().name());
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        read.node().properties().forEach(e -> copy.put(e.getKey(), e.getValue()));
        copy.remove("Keys");
        copy.forEach(t::set);
        return t.putArray("Keys");
    }
}
