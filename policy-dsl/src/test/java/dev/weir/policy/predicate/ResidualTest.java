package dev.weir.policy.predicate;

import dev.weir.policy.ast.Condition;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.parse.Substitutions;
import dev.weir.protocol.expr.render.ExpressionWriter;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The residual of a random policy condition, for a random request and random known values,
 * decides every random stored item exactly as the compiled policy condition does (or the
 * condition is refused as unexpressible), both as a tree and as the text the writer makes of
 * it, read back by the store's own parser.
 */
class ResidualTest {
    private static final int CASES = 4000;
    private static final int ITEMS = 12;

    @Test
    void residualsDecideEveryItemExactlyAsThePolicy() {
        RandomConditions g = new RandomConditions(2025);
        int expressible = 0, trees = 0, heldSome = 0, refusedSome = 0;
        for (int i = 0; i < CASES; i++) {
            Condition condition = g.condition(3);
            CompiledCondition compiled = RandomConditions.COMPILER.compile(condition);
            DecisionRequest request = g.request();
            Map<String, Optional<AttributeValue>> known = g.known();
            Residual residual;
            try {
                residual = Residual.of(compiled, request, known);
            } catch (Unexpressible e) {
                continue;
            }
            expressible++;
            ConditionEvaluator rendered = null;
            String text = null;
            if (residual instanceof Residual.Tree t) {
                trees++;
                ExpressionWriter w = new ExpressionWriter();
                text = w.condition(t.condition());
                rendered = new ConditionEvaluator(ExpressionParser.condition("ConditionExpression", text, of(w)));
            }
            boolean held = false, refused = false;
            for (int j = 0; j < ITEMS; j++) {
                Map<String, AttributeValue> item = g.storedItem();
                boolean policy = compiled.test(RandomConditions.merged(item, known), request);
                String written = text;
                java.util.function.Supplier<String> what = () -> ConditionText.of(condition) + " for " + request + " known "
                        + known + " -> " + residual + " written " + written + " on " + item;
                assertEquals(policy, residual.test(item), what);
                if (rendered != null) assertEquals(policy, rendered.test(item), what);
                held |= policy;
                refused |= !policy;
            }
            if (held) heldSome++;
            if (refused) refusedSome++;
        }
        // most conditions have an exact form, and the items are not beside the point
        assertTrue(expressible > CASES * 8 / 10, "expressible " + expressible + " of " + CASES);
        assertTrue(trees > CASES / 3, "trees " + trees);
        assertTrue(heldSome > CASES / 4 && refusedSome > CASES / 4, heldSome + " held, " + refusedSome + " refused");
    }

    @Test
    void rowFiltersOfSeveralAllowsAndDeniesAreExactToo() {
        RandomConditions g = new RandomConditions(77);
        int expressible = 0;
        for (int i = 0; i < CASES / 2; i++) {
            List<CompiledCondition> allows = new ArrayList<>(), denies = new ArrayList<>();
            int a = 1 + g.random.nextInt(3), d = g.random.nextInt(3);
            for (int k = 0; k < a; k++) allows.add(g.chance(0.1) ? CompiledCondition.TRUE : RandomConditions.COMPILER.compile(g.condition(2)));
            for (int k = 0; k < d; k++) denies.add(RandomConditions.COMPILER.compile(g.condition(2)));
            RowFilter filter = new RowFilter(allows, denies);
            DecisionRequest request = g.request();
            Map<String, Optional<AttributeValue>> known = g.known();
            Residual residual;
            try {
                residual = Residual.of(filter, request, known);
            } catch (Unexpressible e) {
                continue;
            }
            expressible++;
            for (int j = 0; j < ITEMS; j++) {
                Map<String, AttributeValue> item = g.storedItem();
                Residual r = residual;
                assertEquals(filter.test(request, RandomConditions.merged(item, known)), residual.test(item),
                        () -> filter + " for " + request + " known " + known + " -> " + r + " on " + item);
            }
            // the paths the filter reads decide it: an item cut to their attributes is decided the same
            Set<String> attributes = new LinkedHashSet<>();
            filter.itemPaths().forEach(p -> attributes.add(p.attribute()));
            for (int j = 0; j < ITEMS; j++) {
                Map<String, AttributeValue> item = g.storedItem(), cut = new LinkedHashMap<>(item);
                cut.keySet().retainAll(attributes);
                assertEquals(filter.test(request, item), filter.test(request, cut), () -> filter + " reads more than " + attributes);
            }
        }
        assertTrue(expressible > CASES / 4, "expressible " + expressible);
    }

    private static Substitutions of(ExpressionWriter w) {
        return new Substitutions() {
            @Override public String name(String ref) { return w.names().get(ref); }

            @Override public AttributeValue value(String ref) { return w.values().get(ref); }
        };
    }
}
