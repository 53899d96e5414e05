package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;

import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

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
    private static final List<String> EXPRESSIONS = List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression");

    private Projections() {}

    /**
     * Removes the request's ProjectionExpression or AttributesToGet (and the names only it
     * used, and {@code Select: SPECIFIC_ATTRIBUTES}).
     *
     * @return the client's own projection, to cut returned items down with; null when the
     *         request has none or the filter passes every row (nothing was changed)
     */
    static UnaryOperator<Map<String, AttributeValue>> widen(DecodedRequest req, RowFilter rows) {
        ObjectNode body = req.body();
        boolean expression = body.hasNonNull("ProjectionExpression"), legacy = body.hasNonNull("AttributesToGet");
        if (rows.isAll() || (!expression && !legacy)) return null;
        UnaryOperator<Map<String, AttributeValue>> own;
        if (legacy) {
            JsonNode list = body.get("AttributesToGet");
            if (!list.isArray()) throw DynamoException.validation("AttributesToGet must be a list");
            Set<String> asked = new LinkedHashSet<>();
            list.forEach(n -> asked.add(n.asText()));
            own = item -> {
                Map<String, AttributeValue> out = new LinkedHashMap<>();
                for (String name : asked) if (item.containsKey(name)) out.put(name, item.get(name));
                return out;
            };
            body.remove("AttributesToGet");
        } else {
            JsonNode text = body.get("ProjectionExpression");
            if (!text.isTextual()) throw DynamoException.validation("ProjectionExpression must be a string");
            Projection projection = new ExpressionContext(AccessCheck.names(body), AccessCheck.values(body))
                    .projection(text.textValue());
            own = projection::apply;
            body.remove("ProjectionExpression");
            if (body.get("ExpressionAttributeNames") instanceof ObjectNode names) {
                for (Iterator<String> it = names.fieldNames(); it.hasNext(); ) {
                    String placeholder = it.next();
                    if (EXPRESSIONS.stream().noneMatch(m -> body.get(m) != null && uses(body.get(m).asText(), placeholder))) {
                        it.remove();
                    }
                }
                if (names.isEmpty()) body.remove("ExpressionAttributeNames");
            }
        }
        if (body.get("Select") != null && "SPECIFIC_ATTRIBUTES".equals(body.get("Select").asText())) body.remove("Select");
        return own;
    }

    private static boolean uses(String expression, String placeholder) {
        for (int i = expression.indexOf(placeholder); i >= 0; i = expression.indexOf(placeholder, i + 1)) {
            int end = i + placeholder.length();
            if (end == expression.length() || !(Character.isLetterOrDigit(expression.charAt(end)) || expression.charAt(end) == '_')) {
                return true;
            }
        }
        return false;
    }

    /**
     * A BatchGetItem answer's {@code UnprocessedKeys} repeat the reads as weir sent them; a
     * table whose projection weir widened gets the client's own read back (its keys kept), so
     * that a client retrying them asks for what it asked for. Answers without unprocessed
     * keys (nearly all) are returned as they are.
     */
    static byte[] restoreUnprocessed(byte[] body, Map<String, ObjectNode> clientReads) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode tree = json.readTree(body);
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
        return changed ? json.writeValueAsBytes(tree) : body;
    }
}
