package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.render.ExpressionWriter;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.rewrite.Conjoin;
import dev.weir.proxy.enforce.rewrite.Render;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request weir forwards, composed as trees: the policy's conjunct joined to the client's
 * condition as a node ({@code And(client, policy)}: the ConditionExpression of a write, the
 * FilterExpression of a Query or Scan; GetItem has no place for one), and every expression of
 * the request written by one {@link ExpressionWriter}, so they share its placeholders.
 *
 * <p>Writes and GetItem are composed by the firewall's own code: {@link Conjoin} and
 * {@link Render#into}, exactly as {@code Enforcer} forwards a part (weir refuses a part whose
 * rendered expression is over DynamoDB's limits, 4 KB or 300 operators, itself: {@link #refusedForSize}). A Query or Scan is paged by
 * weir ({@code read/StoreRead} sends the key condition and the policy's residual, and weir
 * applies the client's filter itself), so for those this class composes the model
 * {@code And(filter, policy)} with the same writer: a check of the writer and the trees, not of
 * the read path ({@code PagerStoreTest} covers that).
 *
 * @param expected       the trees the written texts must read back as
 * @param texts          member name → written text
 * @param refusedForSize weir refused the part because a rendered expression is over 4 KB or 300 operators
 */
record Composition(ExpressionTrees expected, Map<String, String> texts, Map<String, String> names,
                   Map<String, AttributeValue> values, boolean refusedForSize) {
    private static final Refusals REFUSE = Refusals.of("fuzz", Operation.UpdateItem, "t");

    /**
     * @param body   the client's request body
     * @param parsed weir's parse of its expressions (the request parser's)
     */
    static Composition of(Operation op, ExpressionTrees client, ConditionExpr policy, ObjectNode body, Expressions parsed) {
        boolean write = PolicyConjuncts.isWrite(op);
        ExpressionTrees expected = client;
        if (policy != null && op != Operation.GetItem) {
            ConditionExpr own = client.guarded(write);
            expected = client.withGuarded(write, Conjoin.and(own, policy));
        }
        if (write || op == Operation.GetItem) return rendered(op, expected, policy, body, parsed);
        return modelled(expected);
    }

    /** The firewall's own rendering of a write or GetItem part. */
    private static Composition rendered(Operation op, ExpressionTrees expected, ConditionExpr policy, ObjectNode body,
                                        Expressions parsed) {
        ObjectNode node = body.deepCopy();
        try {
            Render.into(node, parsed, op == Operation.GetItem ? null : policy, false, REFUSE);
        } catch (Refusal r) {
            if (r.kind() == Verdict.Kind.UNENFORCEABLE
                    && (r.error().message().contains("4 KB") || r.error().message().contains("300 operators"))) {
                Composition m = modelled(expected);
                return new Composition(m.expected, m.texts, m.names, m.values, true);
            }
            throw r;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String m : ClientFragment.MEMBERS) if (node.hasNonNull(m)) texts.put(m, node.get(m).textValue());
        Map<String, String> names = new LinkedHashMap<>();
        if (node.get("ExpressionAttributeNames") instanceof ObjectNode n) n.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().textValue()));
        Map<String, AttributeValue> values = node.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
        return new Composition(expected, texts, Map.copyOf(names), Map.copyOf(values), false);
    }

    /** The model: every expression of {@code expected} written by one writer. */
    private static Composition modelled(ExpressionTrees expected) {
        ExpressionWriter writer = new ExpressionWriter();
        Map<String, String> texts = new LinkedHashMap<>();
        if (expected.keyCondition() != null) texts.put("KeyConditionExpression", writer.condition(expected.keyCondition()));
        if (expected.filter() != null) texts.put("FilterExpression", writer.condition(expected.filter()));
        if (expected.condition() != null) texts.put("ConditionExpression", writer.condition(expected.condition()));
        if (expected.update() != null) texts.put("UpdateExpression", writer.update(expected.update()));
        if (expected.projection() != null) texts.put("ProjectionExpression", writer.projection(expected.projection()));
        return new Composition(expected, texts, Map.copyOf(writer.names()), Map.copyOf(writer.values()), false);
    }

    /** Whether some text is over DynamoDB's limits per expression: 4 KB, 300 operators. */
    boolean overLimit() {
        return texts.entrySet().stream().anyMatch(e -> e.getValue().getBytes(StandardCharsets.UTF_8).length > 4096
                || !switch (e.getKey()) {
                    case "UpdateExpression" -> ExpressionParser.updateWithinLimits(e.getValue());
                    case "ProjectionExpression" -> ExpressionParser.projectionWithinLimits(e.getValue());
                    default -> ExpressionParser.conditionWithinLimits(e.getValue());
                });
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
