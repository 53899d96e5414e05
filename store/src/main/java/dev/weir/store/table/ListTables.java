package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;

import java.util.List;

/** ListTables, paginated by ExclusiveStartTableName and Limit (1 to 100, default 100). */
public final class ListTables implements OperationHandler {
    private static final int MAX_LIMIT = 100;
    private final TableCatalog catalog;

    public ListTables(TableCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String start = RequestFields.text(request, "ExclusiveStartTableName");
        Long limit = RequestFields.integer(request, "Limit");

        int max = limit == null ? MAX_LIMIT : limit.intValue();
        List<String> names = catalog.names(start, max);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode array = response.putArray("TableNames");
        names.forEach(array::add);
        if (names.size() == max && catalog.hasNamesAfter(names.getLast())) {
            response.put("LastEvaluatedTableName", names.getLast());
        }
        return response;
    }
}
