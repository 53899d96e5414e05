package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.expr.Projection;
import dev.weir.proxy.enforce.request.Part;

import java.util.Map;

/**
 * Projections under a row filter. The filter is tested on the items the store returns, so a
 * projection that leaves out an attribute the filter reads would hide rows the caller may
 * see, and one that leaves out the key would lose the page's {@code LastEvaluatedKey}
 * (weir rebuilds it from the last row it returns). So weir forwards the read without the
 * projection (whole items: the store reads whole items anyway, and its page and
 * {@code Limit} semantics do not depend on the projection), tests each returned item, then
 * cuts it down to the client's projection before the field plan shows it: the answer is
 * exactly the client's projection of the rows it may see.
 */
final class Projections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Projections() {}

    /**
     * The client's projection (ProjectionExpression or AttributesToGet) when the part must be
     * read whole under {@code rows}, else null (no projection, or the filter passes every row).
     */
    static Projection readWhole(Part part, RowFilter rows) {
        return rows.isAll() ? null : part.expressions().anyProjection();
    }

    /**
     * Removes a read's projection from {@code read} (a copy being built for the store, its
     * expressions already rendered without the ProjectionExpression and with only the names
     * they use, {@link dev.weir.proxy.enforce.rewrite.Render}): its AttributesToGet and
     * {@code Select: SPECIFIC_ATTRIBUTES}.
     */
    static void removeFrom(ObjectNode read) {
        read.remove("AttributesToGet");
        read.remove("ProjectionExpression");
        if (read.get("Select") != null && "SPECIFIC_ATTRIBUTES".equals(read.get("Select").asText())) read.remove("Select");
    }

    /**
     * A BatchGetItem answer's {@code UnprocessedKeys} repeat the reads as weir sent them; a
     * table whose projection weir widened gets the client's own read back (its keys kept), so
     * that a client retrying them asks for what it asked for. Answers without unprocessed
     * keys (nearly all) are returned as they are.
     *
     * @param clientReads per table (as the store names it), the client's read as it sent it
     */
    static byte[] restoreUnprocessed(byte[] body, Map<String, ObjectNode> clientReads) throws java.io.IOException {
        JsonNode tree = JSON.readTree(body);
        JsonNode unprocessed = tree.path("UnprocessedKeys");
        if (!unprocessed.isObject() || unprocessed.isEmpty()) return body;
        boolean changed = false;
        for (Map.Entry<String, ObjectNode> e : clientReads.entrySet()) {
            JsonNode read = unprocessed.get(e.getKey());
            if (!(read instanceof ObjectNode r)) continue;
            ObjectNode restored = e.getValue().deepCopy();
            restored.set("Keys", r.get("Keys"));
            ((ObjectNode) unprocessed).set(e.getKey(), restored);
            changed = true;
        }
        return changed ? JSON.writeValueAsBytes(tree) : body;
    }
}
