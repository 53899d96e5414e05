package dev.weir.store.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;

/**
 * Scan of a table or a secondary index, in key order, optionally one segment of a parallel
 * scan: segments split the partitions by a hash of the partition key, so each item belongs to
 * exactly one segment.
 */
public final class Scan implements OperationHandler {

    private final TableCatalog catalog;
    private final ItemStore items;
    private final PageScanner scanner;

    public Scan(TableCatalog catalog, ItemStore items, PageScanner scanner) {
        this.catalog = catalog;
        this.items = items;
        this.scanner = scanner;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        String indexName = RequestFields.text(request, "IndexName");
        String select = RequestFields.text(request, "Select");
        Long limit = RequestFields.integer(request, "Limit");
        Long segment = RequestFields.integer(request, "Segment");
        Long totalSegments = RequestFields.integer(request, "TotalSegments");
        boolean consistent = Boolean.TRUE.equals(RequestFields.bool(request, "ConsistentRead"));
        JsonNode startNode = RequestFields.object(request, "ExclusiveStartKey");
        if (segment != null && totalSegments == null) {
            throw DynamoException.validation("The TotalSegments parameter is required but was not present in the request "
                    + "when Segment parameter is present");
        }
        if (totalSegments != null && segment == null) {
            throw DynamoException.validation("The Segment parameter is required but was not present in the request "
                    + "when parameter TotalSegments is present");
        }
        if (segment != null && segment >= totalSegments) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
        }
        LegacyParameters.checkNotMixed(Operation.Scan, request);
        ReadRequests.checkSelect(select, ReadRequests.projectionMember(request), indexName, false);
        RequestExpressions expressions = RequestExpressions.of(request);
        Condition filterExpression = expressions.condition("FilterExpression");
        Projection projectionExpression = expressions.projection();
        expressions.finish();
        LegacyRequest legacy = LegacyParameters.of(Operation.Scan, request);
        Condition filter = LegacyParameters.either(filterExpression, legacy.filter());
        Projection projection = LegacyParameters.either(projectionExpression, legacy.projection());

        TableDefinition table = catalog.require(tableName);
        ReadTarget target = ReadTarget.of(table, indexName, consistent);
        byte[] prefix = target.prefix();
        byte[] start = startNode == null ? null
                : target.startKey(ItemRequests.item(startNode, "exclusiveStartKey"));

        PageScanner.Page page = scanner.read(new PageScanner.Request(target, prefix, KeyCodec.successor(prefix), true,
                start, limit == null ? null : limit.intValue(), filter,
                ReadRequests.resolver(target, select, projection, filter, items),
                ReadRequests.output(select, projection),
                segment == null ? 0 : segment.intValue(), totalSegments == null ? 1 : totalSegments.intValue()));

        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ReadRequests.respond(response, page, select);
        Consumed consumed = Consumed.of(RequestFields.text(request, "ReturnConsumedCapacity"));
        double units = Consumed.readUnits(page.bytesRead(), consistent);
        if (target.isIndex()) consumed.indexRead(table.name(), target.index().name(), target.index().isGlobal(), units);
        else consumed.tableRead(table.name(), units);
        consumed.addTo(response, table.name());
        return response;
    }
}
