package dev.weir.proxy.enforce.rewrite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.render.ExpressionWriter;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.Decisions;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarded part is rendered from trees: what the store parses back is exactly
 * {@code And(client, policy)}, whatever the client's text, and the names and values sent are
 * exactly those the texts use.
 */
class RenderTest {
    private static final Refusals REFUSE = Refusals.of("p", Operation.UpdateItem, "t");
    /** weir's part: region = "eu" (a tree, as a Residual gives it). */
    private static final ConditionExpr POLICY = new ConditionExpr.Compare(Comparator.EQ,
            new Operand.PathOperand(Path.of("region")), new Operand.ValueOperand(":p", new AttributeValue.S("eu")));

    @Test
    void theStoreReadsBackExactlyTheClientsConditionAndThePolicys() {
        List<String> tricky = List.of("attribute_exists(id) or#i = :v", "attribute_exists(id) or:v = #i",
                "(attribute_exists(id)) OR (#i = :v)", "NOT attribute_exists(id) OR #i = :v", "#i = :v OR #i = :v AND #i <> :v",
                "attribute_exists(id)OR#i=:v", "( (#i = :v) )", "#i IN (:v, :v) or  begins_with ( #i , :v )");
        for (String own : tricky) {
            ObjectNode node = rendered("UpdateItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET x = :v\","
                    + "\"ConditionExpression\":\"" + own + "\",\"ExpressionAttributeNames\":{\"#i\":\"owner\"},"
                    + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"me\"}}}", POLICY);
            Part part = Decisions.parse("UpdateItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET x = :v\","
                    + "\"ConditionExpression\":\"" + own + "\",\"ExpressionAttributeNames\":{\"#i\":\"owner\"},"
                    + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"me\"}}}").single();
            ExpressionContext back = context(node);
            assertEquals(canonical(new ConditionExpr.And(part.expressions().condition().expression(), POLICY)),
                    canonical(back.condition("ConditionExpression", node.get("ConditionExpression").asText()).expression()), own);
            assertEquals(new ExpressionWriter().update(part.expressions().update().expression()),
                    new ExpressionWriter().update(back.update(node.get("UpdateExpression").asText()).expression()));
            back.requireAllUsed();
            assertFalse(back.condition("ConditionExpression", node.get("ConditionExpression").asText())
                    .test(Map.of("id", new AttributeValue.S("1"), "owner", new AttributeValue.S("me"), "region", new AttributeValue.S("us"))),
                    "another region's item never passes: " + own);
        }
    }

    @Test
    void randomConditionsRoundTrip() {
        Random random = new Random(13);
        String[] atoms = {"#a = :x", "#b <> :y", "attribute_exists(#a)", "attribute_not_exists(c.d[1])", "begins_with(#b, :x)",
                "contains(#a, :y)", "size(#b) > :n", "#a BETWEEN :x AND :y", "#b IN (:x, :y)", "attribute_type(#a, :t)"};
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            String own = expression(random, atoms, 3);
            java.util.List<String> names = new java.util.ArrayList<>(), values = new java.util.ArrayList<>();
            for (String n : List.of("a", "b")) if (own.contains("#" + n)) names.add("\"#" + n + "\":\"" + n + "\"");
            Map<String, String> pool = Map.of("x", "{\"S\":\"x\"}", "y", "{\"S\":\"y\"}", "n", "{\"N\":\"2\"}", "t", "{\"S\":\"S\"}");
            pool.forEach((k, v) -> { if (own.matches(".*:" + k + "\\b.*")) values.add("\":" + k + "\":" + v); });
            String json = "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},\"ConditionExpression\":\"" + own + "\""
                    + (names.isEmpty() ? "" : ",\"ExpressionAttributeNames\":{" + String.join(",", names) + "}")
                    + (values.isEmpty() ? "" : ",\"ExpressionAttributeValues\":{" + String.join(",", values) + "}") + "}";
            Part part;
            try { // redundant parentheses and unused placeholders are the client's mistakes: skip those drawings
                part = Decisions.parse("DeleteItem", json).single();
                Render.checkAsTheStoreWould(part.body().deepCopy());
            } catch (Refusal mistake) {
                continue;
            }
            checked++;
            ObjectNode node = rendered("DeleteItem", json, POLICY);
            assertEquals(canonical(new ConditionExpr.And(part.expressions().condition().expression(), POLICY)),
                    canonical(context(node).condition("ConditionExpression", node.get("ConditionExpression").asText()).expression()), own);
        }
        assertTrue(checked > 100, "enough drawings were valid: " + checked);
    }

    /** A tree as one canonical text with its names and values: equal exactly when the trees are, placeholder names aside. */
    private static String canonical(ConditionExpr tree) {
        ExpressionWriter w = new ExpressionWriter();
        return w.condition(tree) + " " + w.names() + " " + w.values();
    }

    @Test
    void aClientsMistakeIsRefusedAsTheStoreWouldNotRepaired() {
        Refusal unused = assertThrows(Refusal.class, () -> rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"attribute_exists(a)\",\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}", POLICY));
        assertEquals(Verdict.Kind.INVALID, unused.kind());
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}", unused.error().message());
        Refusal alone = assertThrows(Refusal.class, () -> rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ExpressionAttributeNames\":{\"#a\":\"a\"}}", POLICY));
        assertEquals("ExpressionAttributeNames can only be specified when using expressions", alone.error().message());
        Refusal empty = assertThrows(Refusal.class, () -> rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"attribute_exists(a)\",\"ExpressionAttributeValues\":{}}", POLICY));
        assertEquals("ExpressionAttributeValues must not be empty", empty.error().message());
    }

    @Test
    void namesAndValuesAreExactlyThoseUsedAndSentOnlyWhenThereAreAny() {
        ObjectNode node = rendered("Scan", "{\"TableName\":\"t\",\"ProjectionExpression\":\"#a, #b\",\"FilterExpression\":\"#a = :x\","
                + "\"ExpressionAttributeNames\":{\"#a\":\"a\",\"#b\":\"b\"},\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}", null);
        assertEquals("#n0, #n1", node.get("ProjectionExpression").asText());
        ObjectNode whole = Decisions.parse("Scan", "{\"TableName\":\"t\",\"ProjectionExpression\":\"#b\",\"FilterExpression\":\"a = :x\","
                + "\"ExpressionAttributeNames\":{\"#b\":\"b\"},\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}}}").body().deepCopy();
        Part scan = Decisions.parse("Scan", whole.toString()).single();
        Render.into(whole, scan.expressions(), null, true, REFUSE);
        assertFalse(whole.has("ProjectionExpression"));
        assertEquals("{\"#n0\":\"a\"}", whole.get("ExpressionAttributeNames").toString(), "b only served the projection");
        ObjectNode plain = Decisions.parse("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}}}").body().deepCopy();
        Render.into(plain, Decisions.parse("DeleteItem", plain.toString()).single().expressions(),
                new ConditionExpr.AttributeExists(Path.of("id")), false, REFUSE);
        assertEquals("attribute_exists(#n0)", plain.get("ConditionExpression").asText());
        assertFalse(plain.has("ExpressionAttributeValues"), "DynamoDB refuses an empty map");
    }

    @Test
    void anExpressionOverDynamoDbsLimitIsRefused() {
        ConditionExpr big = POLICY;
        for (int i = 0; i < 300; i++) {
            big = new ConditionExpr.Or(big, new ConditionExpr.Compare(Comparator.EQ, new Operand.PathOperand(Path.of("region")),
                    new Operand.ValueOperand(":p", new AttributeValue.S("r" + i))));
        }
        ConditionExpr tooBig = big;
        Refusal r = assertThrows(Refusal.class, () -> rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}}}",
                tooBig));
        assertEquals(Verdict.Kind.UNENFORCEABLE, r.kind());
        assertTrue(r.getMessage().contains("4 KB"), r.getMessage());
    }

    /**
     * A client's condition of 299 operators joined with the policy's (one comparison and the
     * AND) is 301: within 4 KB, over DynamoDB's 300 operators, so weir cannot send it.
     */
    @Test
    void anExpressionOverDynamoDbsOperatorsIsRefused() {
        String own = "a < b" + " or a < b".repeat(149);
        Refusal r = assertThrows(Refusal.class, () -> rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"" + own + "\"}", POLICY));
        assertEquals(Verdict.Kind.UNENFORCEABLE, r.kind());
        assertTrue(r.getMessage().contains("300 operators"), r.getMessage());
        ObjectNode fits = rendered("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
                + "\"ConditionExpression\":\"" + own.substring("a < b or ".length()) + "\"}", POLICY);
        assertTrue(fits.get("ConditionExpression").asText().contains("#n"), "297 and the policy's 2 fit: " + fits);
    }

    private static String expression(Random random, String[] atoms, int depth) {
        if (depth == 0 || random.nextInt(3) == 0) return atoms[random.nextInt(atoms.length)];
        String l = expression(random, atoms, depth - 1), r = expression(random, atoms, depth - 1);
        return switch (random.nextInt(5)) {
            case 0 -> l + " AND " + r;
            case 1 -> l + " or" + r;
            case 2 -> "(" + l + ") OR (" + r + ")";
            case 3 -> "NOT " + (random.nextBoolean() ? "(" + l + ")" : atoms[random.nextInt(atoms.length)]);
            default -> "(" + l + " AND " + r + ")";
        };
    }

    private static ObjectNode rendered(String op, String json, ConditionExpr condition) {
        Part part = Decisions.parse(op, json).single();
        ObjectNode node = part.body().deepCopy();
        Render.into(node, part.expressions(), condition, false, REFUSE);
        return node;
    }

    private static ExpressionContext context(ObjectNode body) {
        Map<String, String> names = new LinkedHashMap<>();
        if (body.get("ExpressionAttributeNames") instanceof ObjectNode n) n.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        Map<String, AttributeValue> values = body.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
        return new ExpressionContext(names, values);
    }
}
