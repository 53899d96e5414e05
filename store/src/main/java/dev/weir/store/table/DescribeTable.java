package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

/** DescribeTable. */
public final class DescribeTable implements OperationHandler {
    private final TableCatalog catalog;

    public DescribeTable(TableCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        ValidationErrors errors = new ValidationErrors();
        TableNames.check(errors, name, "tableName");
        errors.throwIfAny();
        TableDefinition table = catalog.find(name).orElseThrow(() -> new DynamoException(
                DynamoError.resourceNotFound("Requested resource not found: Table: " + name + " not found")));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("Table", TableDescriptions.describe(table));
        return response;
    }
}
