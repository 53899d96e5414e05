package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;

/** DescribeTable. */
public final class DescribeTable implements OperationHandler {
    private final TableCatalog catalog;
    private final TableStats stats;

    public DescribeTable(TableCatalog catalog, TableStats stats) {
        this.catalog = catalog;
        this.stats = stats;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        TableDefinition table = catalog.requireNamed(name);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("Table", TableDescriptions.describe(table, stats));
        return response;
    }
}
