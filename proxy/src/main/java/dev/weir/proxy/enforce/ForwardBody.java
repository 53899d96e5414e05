package dev.weir.proxy.enforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.predicate.StoreCondition;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds the body weir forwards from the client's request and the plan: a copy of the
 * client's body with its table ARNs replaced by table names, the metadata the caller may not
 * get not asked for ({@link Plan#withheld()}), and each part's rewrite applied (its projection
 * removed, weir's conditions AND-ed in). The client's decoded body is never
 * changed. A request nothing changes is forwarded as the client's own bytes.
 */
final class ForwardBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForwardBody() {}

    /** The body to forward, or null to forward the client's bytes unchanged. */
    static byte[] of(ParsedRequest request, Plan plan) {
        boolean renamed = !request.namesAsSent().isEmpty();
        boolean withheld = plan.withheld().stream().anyMatch(request.body()::has);
        if (!renamed && !withheld && plan.rewrites().values().stream().allMatch(Rewrite::isNone)) return null;
        ObjectNode copy = request.body().deepCopy();
        if (renamed) canonicalTables(request, copy);
        copy.remove(plan.withheld());
        for (Part part : request.parts()) {
            Rewrite r = plan.of(part.index());
            if (r.isNone()) continue;
            ObjectNode node = nodeOf(request, part, copy);
            if (r.readWhole() != null) Projections.removeFrom(node);
            if (r.condition() != null) merge(node, "ConditionExpression", r.condition());
            if (r.filter() != null) merge(node, "FilterExpression", r.filter());
        }
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a part's members live in the copy (its tables already canonical). */
    private static ObjectNode nodeOf(ParsedRequest request, Part part, ObjectNode copy) {
        return switch (request.operation()) {
            case BatchGetItem -> (ObjectNode) copy.get("RequestItems").get(part.table());
            case TransactGetItems, TransactWriteItems -> {
                ObjectNode item = (ObjectNode) copy.get("TransactItems").get(part.index());
                yield (ObjectNode) item.get(item.fieldNames().next());
            }
            case BatchWriteItem -> throw new IllegalStateException("BatchWriteItem parts are never rewritten");
            default -> copy;
        };
    }

    /** Every table the client named by its ARN, named by its name. */
    private static void canonicalTables(ParsedRequest request, ObjectNode copy) {
        switch (request.operation()) {
            case BatchGetItem, BatchWriteItem -> {
                Map<String, String> canonical = new HashMap<>();
                request.namesAsSent().forEach((name, asSent) -> canonical.put(asSent, name));
                ObjectNode items = (ObjectNode) copy.get("RequestItems");
                ObjectNode renamed = copy.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = items.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    renamed.set(canonical.getOrDefault(e.getKey(), e.getKey()), e.getValue());
                }
                copy.set("RequestItems", renamed);
            }
            case TransactGetItems, TransactWriteItems -> {
                for (Part part : request.parts()) {
                    ObjectNode item = (ObjectNode) copy.get("TransactItems").get(part.index());
                    ((ObjectNode) item.get(item.fieldNames().next())).put("TableName", part.table());
                }
            }
            default -> copy.put("TableName", request.table());
        }
    }

    /** AND-s a conjunct into {@code member} and merges the placeholders it uses. */
    private static void merge(ObjectNode node, String member, Conjunct c) {
        JsonNode own = node.get(member);
        node.put(member, own != null && own.isTextual() && !own.textValue().isBlank()
                ? StoreCondition.and(own.textValue(), c.expression()) : c.expression().text());
        ObjectNode names = node.get("ExpressionAttributeNames") instanceof ObjectNode n ? n : node.putObject("ExpressionAttributeNames");
        c.names().forEach(names::put);
        if (!c.values().isEmpty()) {
            ObjectNode values = node.get("ExpressionAttributeValues") instanceof ObjectNode v ? v : node.putObject("ExpressionAttributeValues");
            c.values().forEach((k, v) -> values.set(k, AttributeValueJson.toJson(v)));
        }
    }
}
