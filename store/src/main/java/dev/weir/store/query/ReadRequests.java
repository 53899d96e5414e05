package dev.weir.store.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.api.RequestFields;
import dev.weir.store.item.ItemStore;
import dev.weir.store.table.TableDefinition;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** What Query and Scan share: Select and its rules, how entries become response items, the response. */
final class ReadRequests {

    private ReadRequests() {}

    /** The member that projects: ProjectionExpression, or its legacy twin AttributesToGet, or null. */
    static String projectionMember(JsonNode request) {
        if (RequestFields.present(request, "ProjectionExpression")) return "ProjectionExpression";
        if (RequestFields.present(request, "AttributesToGet")) return "AttributesToGet";
        return null;
    }

    /**
     * DynamoDB's rules relating Select, the projection ({@code projectionMember}, null for none)
     * and IndexName; Query wraps some messages, Scan does not.
     */
    static void checkSelect(String select, String projectionMember, String indexName, boolean query) {
        String envelope = query ? "1 validation error detected: " : "";
        boolean hasProjection = projectionMember != null;
        if (hasProjection && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
            String what = select.equals("COUNT") ? "only the Count" : select;
            throw DynamoException.validation(envelope + "Cannot specify the " + projectionMember + " when choosing to get " + what);
        }
        if ("SPECIFIC_ATTRIBUTES".equals(select) && !hasProjection) {
            throw DynamoException.validation(envelope
                    + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && indexName == null) {
            throw DynamoException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
    }

    /**
     * How an entry becomes the item the filter and the response see: itself, or for a local
     * secondary index whose projection lacks what the request needs, the table's item (as
     * DynamoDB fetches it). Global secondary indexes never fetch.
     */
    static UnaryOperator<Map<String, AttributeValue>> resolver(ReadTarget target, String select, Projection projection,
                                                               Condition filter, ItemStore items) {
        if (!target.isIndex() || target.hasAllAttributes()) return null;
        if ("ALL_ATTRIBUTES".equals(select) && target.index().isGlobal()) {
            throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                    + "supported for global secondary index " + target.index().name()
                    + " because its projection type is not ALL");
        }
        if (target.index().isGlobal()) return null;
        Set<String> projected = target.index().projectedAttributes(target.table().keySchema());
        boolean fetch = "ALL_ATTRIBUTES".equals(select)
                || (projection != null && !covered(projection.paths(), projected))
                || (filter != null && !covered(filter.paths(), projected));
        if (!fetch) return null;
        TableDefinition table = target.table();
        return entry -> items.stored(target.primaryKey(entry).encode(table));
    }

    private static boolean covered(Collection<Path> paths, Set<String> projected) {
        for (Path p : paths) if (!projected.contains(p.attribute())) return false;
        return true;
    }

    static UnaryOperator<Map<String, AttributeValue>> output(String select, Projection projection) {
        if ("COUNT".equals(select)) return null;
        if (projection != null) return projection::apply;
        return UnaryOperator.identity();
    }

    static void respond(ObjectNode response, PageScanner.Page page, String select) {
        if (!"COUNT".equals(select)) {
            ArrayNode items = response.putArray("Items");
            for (Map<String, AttributeValue> item : page.items()) items.add(AttributeValueJson.toJson(item));
        }
        response.put("Count", page.count());
        response.put("ScannedCount", page.scanned());
        if (page.lastEvaluatedKey() != null) {
            response.set("LastEvaluatedKey", AttributeValueJson.toJson(page.lastEvaluatedKey()));
        }
    }
}
