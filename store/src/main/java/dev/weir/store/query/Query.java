package dev.weir.store.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.KeyCondition;
import dev.weir.protocol.expr.KeyConditions;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.capacity.Consumed;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.item.ItemRequests;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableDefinition;

import java.util.Arrays;

/**
 * Query on a table or a secondary index: one partition, narrowed by the range key
 * condition, read in key order either way, then filtered and projected. KeyConditions,
 * QueryFilter and AttributesToGet are their expressions' legacy twins.
 */
public final class Query implements OperationHandler {
    private final TableCatalog catalog;
    private final ItemStore items;
    private final PageScanner scanner;

    public Query(TableCatalog catalog, ItemStore items, PageScanner scanner) {
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
        boolean consistent = Boolean.TRUE.equals(RequestFields.bool(request, "ConsistentRead"));
        Boolean forward = RequestFields.bool(request, "ScanIndexForward");
        JsonNode startNode = RequestFields.object(request, "ExclusiveStartKey");
        LegacyParameters.checkNotMixed(Operation.Query, request);
        ReadRequests.checkSelect(select, ReadRequests.projectionMember(request), indexName, true);
        if (!RequestFields.present(request, "KeyConditionExpression") && !RequestFields.present(request, "KeyConditions")) {
            throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        RequestExpressions expressions = RequestExpressions.of(request);
        Condition keyConditionExpression = expressions.condition("KeyConditionExpression");
        Condition filterExpression = expressions.condition("FilterExpression");
        Projection projectionExpression = expressions.projection();
        expressions.finish();
        LegacyRequest legacy = LegacyParameters.of(Operation.Query, request);
        Condition keyExpression = LegacyParameters.either(keyConditionExpression, legacy.keyCondition());
        Projection projection = LegacyParameters.either(projectionExpression, legacy.projection());
        Condition filter = LegacyParameters.either(filterExpression, legacy.filter());
        String filterMember = filterExpression != null ? "Filter Expression" : "QueryFilter";

        TableDefinition table = catalog.require(tableName);
        ReadTarget target = ReadTarget.of(table, indexName, consistent);
        KeyCondition key = KeyConditions.analyze(keyExpression, target.keySchema().hashes().stream().map(KeyElement::name).toList(),
                target.keySchema().ranges().stream().map(KeyElement::name).toList());
        if (filter != null) {
            for (Path p : filter.paths()) {
                for (KeyElement k : target.keySchema().elements()) {
                    if (p.attribute().equals(k.name())) {
                        throw DynamoException.validation(filterMember + " can only contain non-primary key attributes: "
                                + "Primary key attribute: " + k.name());
                    }
                }
            }
        }
        KeyBounds bounds = KeyBounds.of(target, key);
        byte[] start = startNode == null ? null
                : target.startKey(ItemRequests.item(startNode, "exclusiveStartKey"));
        if (start != null && (Arrays.compareUnsigned(start, bounds.start()) < 0 || Arrays.compareUnsigned(start, bounds.end()) >= 0)) {
            throw DynamoException.validation("The provided starting key is outside query boundaries based on provided conditions");
        }

        PageScanner.Page page = scanner.read(new PageScanner.Request(target, bounds.start(), bounds.end(),
                forward == null || forward, start, limit == null ? null : limit.intValue(), filter,
                ReadRequests.resolver(target, select, projection, filter, items),
                ReadRequests.output(select, projection), 0, 1));

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
