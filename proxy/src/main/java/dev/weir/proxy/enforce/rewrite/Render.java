package dev.weir.proxy.enforce.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one part of a request weir changes, from trees: every expression of the part
 * (KeyConditionExpression, FilterExpression, ConditionExpression, UpdateExpression,
 * ProjectionExpression) is rendered again by one {@link dev.weir.protocol.expr.render.ExpressionWriter},
 * with weir's conditions joined as nodes ({@link Conjoin}), and the part's
 * ExpressionAttributeNames and ExpressionAttributeValues replaced by exactly the placeholders
 * the texts use (sent only when not empty). No client text is ever spliced into what is sent,
 * and a client may use any placeholder names.
 *
 * <p>Before it replaces the client's names and values, it checks them as DynamoDB would (names
 * and values only with expressions, never empty, every one used), so a request the store would
 * refuse is refused with the store's own message rather than repaired. A rendered expression
 * longer than DynamoDB's limit (4 KB) or with more than its 300 operators is refused: weir
 * cannot state the policy in it.
 */
public final class Render {
    /** DynamoDB's limit on the length of one expression, in bytes. */
    public static final int MAX_EXPRESSION_BYTES = 4096;

    private static final List<String> CONDITIONS = List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression");

    private Render() {}

    /**
     * Renders the part into {@code node} (a copy of the part's members being built for the
     * store), joining weir's trees to the client's.
     *
     * @param client         the part's expressions as parsed from the client's request
     * @param addedCondition joined to the ConditionExpression (null: nothing)
     * @param dropProjection whether the client's projection is left out (weir reads whole items)
     */
    public static void into(ObjectNode node, Expressions client, ConditionExpr addedCondition, boolean dropProjection,
                            Refusals refuse) {
        checkAsTheStoreWould(node);
        var writer = new dev.weir.protocol.expr.render.ExpressionWriter();
        condition(node, writer, "KeyConditionExpression", tree(client.keyCondition()), refuse);
        condition(node, writer, "FilterExpression", tree(client.filter()), refuse);
        condition(node, writer, "ConditionExpression", Conjoin.and(tree(client.condition()), addedCondition), refuse);
        if (client.update() != null) {
            String update = limited("UpdateExpression", writer.update(client.update().expression()), refuse);
            if (!ExpressionParser.updateWithinLimits(update)) throw tooManyOperators("UpdateExpression", refuse);
            node.put("UpdateExpression", update);
        }
        Projection projection = client.projection();
        if (projection != null && !dropProjection) {
            List<Path> paths = projection.paths();
            String text = limited("ProjectionExpression", writer.projection(paths), refuse);
            if (!ExpressionParser.projectionWithinLimits(text)) throw tooManyOperators("ProjectionExpression", refuse);
            node.put("ProjectionExpression", text);
        } else {
            node.remove("ProjectionExpression");
        }
        if (writer.names().isEmpty()) {
            node.remove("ExpressionAttributeNames");
        } else {
            ObjectNode names = node.putObject("ExpressionAttributeNames");
            writer.names().forEach(names::put);
        }
        if (writer.values().isEmpty()) {
            node.remove("ExpressionAttributeValues");
        } else {
            ObjectNode values = node.putObject("ExpressionAttributeValues");
            writer.values().forEach((k, v) -> values.set(k, AttributeValueJson.toJson(v)));
        }
    }

    private static void condition(ObjectNode node, dev.weir.protocol.expr.render.ExpressionWriter writer, String member,
                                  ConditionExpr tree, Refusals refuse) {
        if (tree == null) {
            node.remove(member);
            return;
        }
        String text = limited(member, writer.condition(tree), refuse);
        if (!ExpressionParser.conditionWithinLimits(text)) throw tooManyOperators(member, refuse);
        node.put(member, text);
    }

    /**
     * A rendered expression over DynamoDB's 300 operators (or weir's nesting bound, which only
     * redundant parentheses reach): the policy's condition cannot be added within the limit.
     */
    private static RuntimeException tooManyOperators(String member, Refusals refuse) {
        return refuse.unenforceable("the " + member + " with the condition the policy adds has more than DynamoDB's limit "
                + "of 300 operators, so weir cannot send it; simplify the request's own expressions");
    }

    private static ConditionExpr tree(dev.weir.protocol.expr.Condition c) {
        return c == null ? null : c.expression();
    }

    private static String limited(String member, String text, Refusals refuse) {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_EXPRESSION_BYTES) {
            throw refuse.unenforceable("the " + member + " with the condition the policy adds is longer than DynamoDB's limit of "
                    + "4 KB, so weir cannot send it; shorten the request's own expressions");
        }
        return text;
    }

    /**
     * The store's checks of the client's own names and values (RequestExpressions.finish in the
     * bundled store, DynamoDB's messages): weir's rendering replaces both maps, so it must not
     * hide a mistake the store would have refused.
     */
    static void checkAsTheStoreWould(ObjectNode node) {
        boolean hasNames = node.hasNonNull("ExpressionAttributeNames");
        boolean hasValues = node.hasNonNull("ExpressionAttributeValues");
        if (!hasNames && !hasValues) return;
        boolean anyExpression = false;
        for (String m : List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression", "UpdateExpression",
                "ProjectionExpression")) {
            anyExpression |= node.hasNonNull(m);
        }
        try {
            if (!anyExpression) {
                if (hasNames) throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
                throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
            }
            if (hasNames && node.get("ExpressionAttributeNames").isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeNames must not be empty");
            }
            if (hasValues && node.get("ExpressionAttributeValues").isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeValues must not be empty");
            }
            ExpressionContext ctx = new ExpressionContext(names(node), values(node));
            for (String m : CONDITIONS) if (node.get(m) instanceof JsonNode t && t.isTextual()) ctx.condition(m, t.textValue());
            if (node.get("UpdateExpression") instanceof JsonNode u && u.isTextual()) ctx.update(u.textValue());
            if (node.get("ProjectionExpression") instanceof JsonNode p && p.isTextual()) ctx.projection(p.textValue());
            ctx.requireAllUsed();
        } catch (DynamoException e) {
            throw Refusals.invalid(e.error());
        }
    }

    private static Map<String, String> names(ObjectNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.get("ExpressionAttributeNames") instanceof ObjectNode n) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    private static Map<String, AttributeValue> values(ObjectNode node) {
        return node.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
    }
}
