package dev.weir.store.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.index.IndexEntries;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.ItemRef;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.IndexKind;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemValidator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchWriteItem: up to 25 puts and deletes over several tables, validated together before
 * anything is written, then written in one synced batch under the items' locks. The store is
 * never throttled, so UnprocessedItems is always empty.
 */
public final class BatchWriteItem implements OperationHandler {
    static final int MAX_REQUESTS = 25;

    /** One put (item set) or delete (item null). */
    private record Write(ItemRef ref, Map<String, AttributeValue> item) {}

    private final TableCatalog catalog;
    private final ItemStore items;

    public BatchWriteItem(TableCatalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        JsonNode requestItems = RequestFields.object(request, "RequestItems");
        int total = 0;
        for (var e : requestItems.properties()) total += e.getValue().size();
        if (total > MAX_REQUESTS) throw DynamoException.validation("Too many items requested for the BatchWriteItem call");

        List<Write> writes = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (var e : requestItems.properties()) {
            TableDefinition table = catalog.require(e.getKey());
            for (JsonNode w : e.getValue()) {
                RequestFields.requireObject(w);
                JsonNode put = RequestFields.object(w, "PutRequest");
                JsonNode delete = RequestFields.object(w, "DeleteRequest");
                if ((put == null) == (delete == null)) {
                    throw DynamoException.validation("A WriteRequest must contain exactly one of PutRequest or DeleteRequest");
                }
                Write write;
                if (put != null) {
                    Map<String, AttributeValue> item = ItemRequests.item(RequestFields.object(put, "Item"), "item");
                    ItemRef ref = ItemRef.of(table, ItemKeys.ofItem(table.keySchema(), item));
                    IndexEntries.validate(table, item);
                    ItemValidator.checkSize(item, false);
                    write = new Write(ref, item);
                } else {
                    Map<String, AttributeValue> key = ItemRequests.item(RequestFields.object(delete, "Key"), "key");
                    write = new Write(ItemRef.of(table, ItemKeys.ofKey(table.keySchema(), key)), null);
                }
                if (!seen.add(write.ref().identity())) {
                    throw DynamoException.validation("Provided list of item keys contains duplicates");
                }
                writes.add(write);
            }
        }

        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        items.atomically(writes.stream().map(Write::ref).toList(), consumed, s -> {
            for (Write w : writes) {
                if (w.item() != null) s.put(w.ref(), w.item());
                else s.delete(w.ref());
            }
            return null;
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.putObject("UnprocessedItems");
        consumed.addAllTo(response);
        if ("SIZE".equals(RequestFields.text(request, "ReturnItemCollectionMetrics"))) addItemCollectionMetrics(response, writes);
        return response;
    }

    /** One ItemCollectionMetrics per item collection written (tables with a local secondary index), grouped by table. */
    private void addItemCollectionMetrics(ObjectNode response, List<Write> writes) {
        Set<ByteBuffer> done = new HashSet<>();
        ObjectNode metrics = null;
        for (Write w : writes) {
            TableDefinition table = w.ref().table();
            if (table.indexes(IndexKind.LOCAL).isEmpty()) continue;
            PrimaryKey key = w.ref().key();
            if (!done.add(ByteBuffer.wrap(new PrimaryKey(key.hash(), null).encode(table)))) continue;
            if (metrics == null) metrics = response.putObject("ItemCollectionMetrics");
            ArrayNode list = metrics.has(table.name()) ? (ArrayNode) metrics.get(table.name()) : metrics.putArray(table.name());
            list.add(ItemRequests.itemCollectionMetrics(table, key, items.itemCollectionSize(table, key.hash())));
        }
    }
}
