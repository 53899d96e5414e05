package dev.weir.proxy.enforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.rewrite.Render;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds the body weir forwards from the client's request and the plan: a copy of the
 * client's body with its table ARNs replaced by table names, the metadata the caller may not
 * get not asked for ({@link Plan#withheld()}), and each part's rewrite applied: its
 * expressions rendered again from trees with weir's conditions joined as nodes
 * ({@link Render}: never text spliced into the client's), its projection removed, its
 * ReturnValues replaced. The client's decoded body is never changed. A request nothing changes
 * is forwarded as the client's own bytes.
 */
final class ForwardBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForwardBody() {}

    /**
     * The body to forward, or null to forward the client's bytes unchanged.
     *
     * @param principal the caller, for a refusal (a rendered expression over DynamoDB's limit)
     */
    static byte[] of(ParsedRequest request, Plan plan, String principal) {
        boolean renamed = !request.namesAsSent().isEmpty();
        boolean withheld = false;
        for (String member : plan.withheld()) withheld |= request.body().has(member);
        if (!renamed && !withheld && noRewrite(plan)) return null;
        ObjectNode copy = request.body().deepCopy();
        if (renamed) canonicalTables(request, copy);
        copy.remove(plan.withheld());
        for (Part part : request.parts()) {
            Rewrite r = plan.of(part.index());
            if (r.isNone()) continue;
            ObjectNode node = nodeOf(request, part, copy);
            if (r.rendersExpressions()) {
                Render.into(node, part.expressions(), r.condition(), r.readWhole() != null,
                        Refusals.of(principal, part.acts(), part.policyTable()));
            }
            if (r.readWhole() != null) Projections.removeFrom(node);
            if (r.returnValues() != null) node.put("ReturnValues", r.returnValues());
        }
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when no part is rewritten (a loop: this runs for every request). */
    private static boolean noRewrite(Plan plan) {
        if (plan.rewrites().isEmpty()) return true; // the planner keeps only rewrites that are not none
        for (Rewrite r : plan.rewrites().values()) if (!r.isNone()) return false;
        return true;
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
}
