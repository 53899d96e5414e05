package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.render.ExpressionWriter;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request weir forwards, composed as trees: the policy's conjunct joined to the client's
 * condition as a node ({@code And(client, policy)}: the ConditionExpression of a write, the
 * FilterExpression of a Query or Scan; GetItem has no place for one), and every expression of
 * the request written by one {@link ExpressionWriter}, so they share its placeholders.
 *
 * @param expected the trees the written texts must read back as
 * @param texts    member name → written text
 */
record Composition(ExpressionTrees expected, Map<String, String> texts, Map<String, String> names,
                   Map<String, AttributeValue> values) {

    static Composition of(Operation op, ExpressionTrees client, ConditionExpr policy) {
        boolean write = PolicyConjuncts.isWrite(op);
        ExpressionTrees expected = client;
        if (policy != null && op != Operation.GetItem) {
            ConditionExpr own = client.guarded(write);
            expected = client.withGuarded(write, own == null ? policy : new ConditionExpr.And(own, policy));
        }
        ExpressionWriter writer = new ExpressionWriter();
        Map<String, String> texts = new LinkedHashMap<>();
        if (expected.keyCondition() != null) texts.put("KeyConditionExpression", writer.condition(expected.keyCondition()));
        if (expected.filter() != null) texts.put("FilterExpression", writer.condition(expected.filter()));
        if (expected.condition() != null) texts.put("ConditionExpression", writer.condition(expected.condition()));
        if (expected.update() != null) texts.put("UpdateExpression", writer.update(expected.update()));
        if (expected.projection() != null) texts.put("ProjectionExpression", writer.projection(expected.projection()));
        return new Composition(expected, texts, Map.copyOf(writer.names()), Map.copyOf(writer.values()));
    }

    /** Whether some text is over DynamoDB's limit of 4 KB per expression. */
    boolean overLimit() {
        return texts.values().stream().anyMatch(t -> t.getBytes(StandardCharsets.UTF_8).length > 4096);
    }

    /** The client's body with its expressions, names and values replaced by the composed ones (maps only when not empty). */
    ObjectNode body(ObjectNode client) {
        ObjectNode body = client.deepCopy();
        for (String m : ClientFragment.MEMBERS) body.remove(m);
        body.remove("ExpressionAttributeNames");
        body.remove("ExpressionAttributeValues");
        texts.forEach(body::put);
        if (!names.isEmpty()) {
            ObjectNode n = body.putObject("ExpressionAttributeNames");
            names.forEach(n::put);
        }
        if (!values.isEmpty()) body.set("ExpressionAttributeValues", AttributeValueJson.toJson(values));
        return body;
    }
}
