package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.stream.StreamCatalog;
import dev.weir.store.api.RequestFields;

/**
 * DeleteTable: the table and all its items and index entries are gone when the call returns;
 * its stream is disabled and stays readable for the retention period, as in DynamoDB.
 */
public final class DeleteTable implements OperationHandler {
    private final TableCatalog catalog;
    private final TableStats stats;
    private final StreamCatalog streams;

    public DeleteTable(TableCatalog catalog, TableStats stats, StreamCatalog streams) {
        this.streams = streams;
        this.catalog = catalog;
        this.stats = stats;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        TableDefinition table = catalog.delete(name);
        if (table.streaming()) streams.disable(table.stream().streamNo());
        ObjectNode description = TableDescriptions.describe(table, stats, "DELETING");
        stats.forget(table.id());
        table.indexes().forEach(i -> stats.forget(i.id()));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("TableDescription", description);
        return response;
    }
}
