package dev.weir.protocol.expr.render;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.expr.eval.UpdateApplier;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.parse.Substitutions;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's text is read back by the store's own parser as exactly the tree written, for
 * random trees of every node kind and for random client texts, it evaluates the same, and it
 * never opens two parentheses in a row however deep the nesting.
 */
class ExpressionWriterTest {
    private static final int CASES = 2000;

    private static Substitutions of(ExpressionWriter w) {
        return of(w.names(), w.values());
    }

    private static Substitutions of(Map<String, String> names, Map<String, AttributeValue> values) {
        return new Substitutions() {
            @Override public String name(String ref) { return names.get(ref); }

            @Override public AttributeValue value(String ref) { return values.get(ref); }
        };
    }

    private static ConditionExpr reparsed(ConditionExpr tree) {
        ExpressionWriter w = new ExpressionWriter();
        String text = w.condition(tree);
        assertFalse(text.contains("(("), text);
        ExpressionContext ctx = new ExpressionContext(w.names(), w.values());
        ConditionExpr back = ctx.condition("ConditionExpression", text).expression();
        ctx.requireAllUsed();
        return back;
    }

    @Test
    void randomTreesOfEveryKindReadBackAsTheSameTree() {
        RandomTrees g = new RandomTrees(13);
        for (int i = 0; i < CASES; i++) {
            ConditionExpr condition = g.condition(4);
            UpdateExpr update = g.update();
            List<Path> projection = g.projection();
            // one writer for the request: the three texts share one namespace, every placeholder is used
            ExpressionWriter w = new ExpressionWriter();
            String c = w.condition(condition), u = w.update(update), p = w.projection(projection);
            String all = c + " | " + u + " | " + p + " with " + w.names() + " " + w.values();
            ExpressionContext ctx = new ExpressionContext(w.names(), w.values());
            assertEquals(Trees.normal(condition), Trees.normal(ctx.condition("ConditionExpression", c).expression()), all);
            assertEquals(Trees.normal(Trees.regrouped(update)), Trees.normal(ctx.update(u).expression()), all);
            assertEquals(projection, ctx.projection(p).paths(), all);
            ctx.requireAllUsed();
            assertFalse(c.contains("(("), c);
            assertTrue(w.names().keySet().stream().allMatch(k -> k.matches("#n[0-9]+")), all);
            assertTrue(w.values().keySet().stream().allMatch(k -> k.matches(":v[0-9]+")), all);
        }
    }

    @Test
    void everyNameAndValueGoesThroughAPlaceholder() {
        RandomTrees g = new RandomTrees(7);
        for (int i = 0; i < CASES; i++) {
            ExpressionWriter w = new ExpressionWriter();
            String text = w.condition(g.condition(3)) + " " + w.update(g.update());
            // what is left after removing placeholders is only keywords, functions, operators and indexes
            String rest = text.replaceAll("#n[0-9]+|:v[0-9]+", "");
            assertTrue(rest.matches("[A-Za-z_ ]*([=<>+\\-,.()\\[\\]0-9 ]|AND|OR|NOT|BETWEEN|IN|SET|REMOVE|ADD|DELETE"
                    + "|attribute_exists|attribute_not_exists|attribute_type|begins_with|contains|size|if_not_exists"
                    + "|list_append)*"), text);
            assertEquals(w.names().size(), w.names().values().stream().distinct().count(), "one placeholder per name");
        }
    }

    @Test
    void randomClientTextsReadBackAsTheTreeTheyMean() {
        Random random = new Random(42);
        RandomTrees g = new RandomTrees(43);
        for (int i = 0; i < CASES; i++) {
            SloppyText client = new SloppyText(random);
            ConditionExpr condition = g.condition(4);
            String text = client.condition(condition);
            ConditionExpr parsed = ExpressionParser.condition("ConditionExpression", text, of(client.names(), client.values()));
            assertEquals(Trees.normal(condition), Trees.normal(parsed), text);
            assertEquals(Trees.normal(parsed), Trees.normal(reparsed(parsed)), text);

            UpdateExpr update = g.update();
            String updateText = client.update(update);
            UpdateExpr parsedUpdate = ExpressionParser.update(updateText, of(client.names(), client.values()));
            ExpressionWriter w = new ExpressionWriter();
            String written = w.update(parsedUpdate);
            assertEquals(Trees.normal(Trees.regrouped(parsedUpdate)), Trees.normal(ExpressionParser.update(written, of(w))),
                    updateText + " -> " + written);

            List<Path> projection = g.projection();
            String projectionText = client.projection(projection);
            assertEquals(projection, ExpressionParser.projection(projectionText, of(client.names(), client.values())));
        }
    }

    @Test
    void clientTextsThatHideTheirTopLevelOr() {
        Map<String, String> names = Map.of("#i", "region", "#o", "owner");
        Map<String, AttributeValue> values = Map.of(":v", new AttributeValue.S("eu"), ":w", new AttributeValue.S("x"));
        ConditionExpr policy = new ConditionExpr.Compare(Comparator.EQ, new Operand.PathOperand(Path.of("owner")),
                new Operand.ValueOperand(":p", new AttributeValue.S("ada")));
        Map<String, AttributeValue> foreign = Map.of("id", new AttributeValue.S("1"), "region", new AttributeValue.S("eu"),
                "owner", new AttributeValue.S("bob"));
        for (String text : List.of("attribute_exists(id) or#i = :v", "attribute_exists(id)OR#i = :v",
                "attribute_exists(id) oR(#i = :v)", "(attribute_exists(id)) or #i = :v", "NOT#o = :w or#i=:v",
                "attribute_exists(id) AND(#i = :v) or #i IN(:v,:w)", "#i BETWEEN :v AND :w or#i = :v",
                "size(#i)>:v or#i = :v", "contains(#i,:v)or#i = :v")) {
            ConditionExpr client = ExpressionParser.condition("ConditionExpression", text, of(names, values));
            assertTrue(new ConditionEvaluator(client).test(foreign), text);
            ConditionExpr both = new ConditionExpr.And(client, policy);
            ExpressionWriter w = new ExpressionWriter();
            String written = w.condition(both);
            ConditionExpr back = ExpressionParser.condition("ConditionExpression", written, of(w));
            assertEquals(Trees.normal(both), Trees.normal(back), written);
            assertFalse(new ConditionEvaluator(back).test(foreign), text + " escapes the policy's conjunct as " + written);
        }
    }

    @Test
    void renderedTextsEvaluateAsTheTreesOnRandomItems() {
        RandomTrees g = new RandomTrees(99);
        int held = 0, changed = 0;
        for (int i = 0; i < CASES; i++) {
            ConditionExpr condition = g.condition(4);
            ConditionExpr back = reparsed(condition);
            ConditionEvaluator original = new ConditionEvaluator(condition), rendered = new ConditionEvaluator(back);
            UpdateExpr update = g.update();
            ExpressionWriter w = new ExpressionWriter();
            UpdateApplier originalUpdate = new UpdateApplier(update);
            UpdateApplier renderedUpdate = new UpdateApplier(ExpressionParser.update(w.update(update), of(w)));
            for (int j = 0; j < 5; j++) {
                Map<String, AttributeValue> item = g.item();
                boolean result = original.test(item);
                assertEquals(result, rendered.test(item), condition + " on " + item);
                if (result) held++;
                Object before = outcome(originalUpdate::apply, item), after = outcome(renderedUpdate::apply, item);
                assertEquals(before, after, update + " on " + item);
                if (!(before instanceof DynamoException) && !before.equals(item)) changed++;
            }
        }
        // the items are not all beside the point: conditions hold and updates apply on some of them
        assertTrue(held > CASES / 2, "held " + held);
        assertTrue(changed > CASES, "changed " + changed);
    }

    /** The updated item, or the refusal's kind (both orders must refuse; which message comes first may differ). */
    private static Object outcome(Function<Map<String, AttributeValue>, Map<String, AttributeValue>> update,
                                  Map<String, AttributeValue> item) {
        try {
            return update.apply(item);
        } catch (DynamoException e) {
            return "refused";
        }
    }

    @Test
    void deepNestingNeverOpensTwoParenthesesAndTheStoreAcceptsIt() {
        Random random = new Random(5);
        RandomTrees g = new RandomTrees(6);
        for (int i = 0; i < 400; i++) {
            ConditionExpr c = g.predicate();
            int depth = 1 + random.nextInt(40);
            for (int d = 0; d < depth; d++) {
                ConditionExpr leaf = new ConditionExpr.AttributeExists(Path.of("a" + random.nextInt(3)));
                ConditionExpr next = switch (random.nextInt(7)) {
                    case 0 -> new ConditionExpr.And(c, leaf);
                    case 1 -> new ConditionExpr.And(leaf, c);
                    case 2 -> new ConditionExpr.Or(c, leaf);
                    case 3 -> new ConditionExpr.Or(leaf, c);
                    case 4 -> new ConditionExpr.Not(c);
                    case 5 -> new ConditionExpr.And(c, c);
                    default -> new ConditionExpr.Or(c, new ConditionExpr.Not(c));
                };
                String written = new ExpressionWriter().condition(next);
                // within DynamoDB's limits (4 KB, 300 operators), which the store enforces
                if (written.length() > 4000 || !ExpressionParser.conditionWithinLimits(written)) break;
                c = next;
            }
            ExpressionWriter w = new ExpressionWriter();
            String text = w.condition(c);
            assertFalse(text.contains("(("), text);
            assertEquals(Trees.normal(c), Trees.normal(ExpressionParser.condition("FilterExpression", text, of(w))), text);
        }
    }

    @Test
    void precedenceAndGrouping() {
        Operand a = new Operand.PathOperand(Path.of("a")), b = new Operand.PathOperand(Path.of("b"));
        ConditionExpr x = new ConditionExpr.AttributeExists(Path.of("x"));
        ConditionExpr y = new ConditionExpr.AttributeExists(Path.of("y"));
        ConditionExpr z = new ConditionExpr.Compare(Comparator.LT, a, b);
        assertEquals("attribute_exists(#n0) AND attribute_exists(#n1) AND #n2 < #n3",
                new ExpressionWriter().condition(new ConditionExpr.And(new ConditionExpr.And(x, y), z)));
        assertEquals("attribute_exists(#n0) AND (attribute_exists(#n1) AND #n2 < #n3)",
                new ExpressionWriter().condition(new ConditionExpr.And(x, new ConditionExpr.And(y, z))));
        assertEquals("attribute_exists(#n0) OR attribute_exists(#n1) AND #n2 < #n3",
                new ExpressionWriter().condition(new ConditionExpr.Or(x, new ConditionExpr.And(y, z))));
        assertEquals("NOT ( (attribute_exists(#n0) OR attribute_exists(#n1)) AND #n2 < #n3)",
                new ExpressionWriter().condition(new ConditionExpr.Not(new ConditionExpr.And(new ConditionExpr.Or(x, y), z))));
        assertEquals("NOT NOT attribute_exists(#n0)", new ExpressionWriter().condition(new ConditionExpr.Not(new ConditionExpr.Not(x))));
    }

    @Test
    void updatesComeOutOneSectionEach() {
        Path a = Path.of("a"), b = Path.of("m", "k", 2);
        AttributeValue one = new AttributeValue.N("1");
        UpdateExpr u = new UpdateExpr(List.of(
                new UpdateAction.Remove(Path.of("r")),
                new UpdateAction.Set(a, new Operand.Arithmetic(new Operand.IfNotExists(a, new Operand.ValueOperand(":z", one)),
                        Operand.Operator.PLUS, new Operand.ValueOperand(":o", one))),
                new UpdateAction.Add(Path.of("n"), new Operand.ValueOperand(":o", one)),
                new UpdateAction.Set(b, new Operand.ListAppend(new Operand.PathOperand(b),
                        new Operand.ValueOperand(":l", new AttributeValue.L(List.of(one)))))));
        ExpressionWriter w = new ExpressionWriter();
        assertEquals("SET #n0 = if_not_exists(#n0, :v0) + :v0, #n1.#n2[2] = list_append(#n1.#n2[2], :v1) REMOVE #n3 ADD #n4 :v0",
                w.update(u));
        assertEquals(Map.of("#n0", "a", "#n1", "m", "#n2", "k", "#n3", "r", "#n4", "n"), w.names());
        assertEquals(Map.of(":v0", one, ":v1", new AttributeValue.L(List.of(one))), w.values());
        assertEquals("#n1.#n2, #n0[3]", w.projection(List.of(Path.of("m", "k"), Path.of("a", 3))));
    }

    @Test
    void aTreeNoTextCanExpressIsRefusedAndLeavesNoPlaceholders() {
        ExpressionWriter w = new ExpressionWriter();
        Operand nested = new Operand.Arithmetic(new Operand.PathOperand(Path.of("a")), Operand.Operator.PLUS,
                new Operand.ValueOperand(":v", new AttributeValue.N("1")));
        assertThrows(IllegalArgumentException.class, () -> w.condition(new ConditionExpr.Compare(Comparator.EQ,
                new Operand.PathOperand(Path.of("b")), nested)));
        assertThrows(IllegalArgumentException.class, () -> w.update(new UpdateExpr(List.of(new UpdateAction.Set(Path.of("c"),
                new Operand.ListAppend(nested, new Operand.PathOperand(Path.of("d"))))))));
        assertThrows(IllegalArgumentException.class, () -> w.update(new UpdateExpr(List.of())));
        assertThrows(IllegalArgumentException.class, () -> w.projection(List.of()));
        assertEquals(Map.of(), w.names());
        assertEquals(Map.of(), w.values());
    }
}
