package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.stream.StreamCatalog;

import java.time.Clock;

/** CreateTable: the table (and its change stream, if asked for) is ACTIVE as soon as the call returns. */
public final class CreateTable implements OperationHandler {
    private final TableCatalog catalog;
    private final TableStats stats;
    private final Clock clock;
    private final StreamCatalog streams;

    public CreateTable(TableCatalog catalog, TableStats stats, Clock clock, StreamCatalog streams) {
        this.streams = streams;
        this.catalog = catalog;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        TableSpec spec = CreateTableRequest.parse(request);
        TableDefinition table = catalog.create(spec, clock.instant());
        if (spec.stream() != null) {
            TableStream stream = streams.create(table, spec.stream());
            table = catalog.update(table.name(), t -> t.withStream(stream));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("TableDescription", TableDescriptions.describe(table, stats));
        return response;
    }
}
