package dev.weir.policy.predicate;

import dev.weir.policy.Policies;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.L;
import dev.weir.protocol.model.AttributeValue.M;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.NS;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValue.SS;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row filters rendered as store conditions are checked with the store's own expression
 * engine: over a grid of awkward items (absent attributes, one-element lists, sets, maps,
 * NULL, numbers written differently), whenever the store finds the rendered condition true
 * the policy finds the filter true (soundness), and on plain scalar items the two agree.
 */
class StoreConditionTest {
    private static final DecisionRequest REQ = new DecisionRequest("ada", Set.of("a"),
            Map.of("region", List.of("eu"), "regions", List.of("eu", "us"), "odd", List.of("a\") OR (#x = :y")),
            "t", Operation.UpdateItem, Context.NONE);

    private static RowFilter rows(String condition) {
        var t = Policies.table("role a\n@id(\"r\") allow a on table t op * rows where " + condition + "\n");
        return ((Allowed) t.decide(REQ)).rows();
    }

    private static final List<String> CONDITIONS = List.of(
            "item.region == principal.region",
            "item.region != \"eu\"",
            "not (item.region == principal.region)",
            "item.region in principal.regions",
            "not (item.region in principal.regions)",
            "item.region in [\"eu\", \"apac\", 3]",
            "item.n > 2", "item.n <= 2.50", "not (item.n < 2)", "2 < item.n",
            "item.n between 1 and 3", "not (item.n between 1 and 3)", "item.n between 3 and 1",
            "item.region between \"a\" and \"f\"",
            "exists(item.address.city)", "not exists(item.region)",
            "begins_with(item.region, \"e\")", "not begins_with(item.region, \"e\")",
            "contains(item.tags, \"x\")", "not contains(item.tags, \"x\")", "contains(item.region, \"u\")",
            "\"x\" in item.tags", "not (\"x\" in item.tags)",
            "contains(principal.regions, item.region)",
            "item.address.city == \"Paris\"", "item.list[1] == \"b\"",
            "item.\"we.ird\" == \"v\" or item.\"#weir0\" == \"v\"",
            "item.region == principal.odd",
            "item.region == principal.missing", "item.region != principal.missing",
            "item.region == principal.region and (item.n > 1 or not exists(item.tags)) and not (item.flag == true)",
            "ctx.operation == \"UpdateItem\" and item.region == \"eu\"",
            "ctx.operation == \"GetItem\" or item.region == \"us\"",
            "item.flag == true", "item.nul == null");

    private static List<Map<String, AttributeValue>> items() {
        List<AttributeValue> values = List.of(new S("eu"), new S("us"), new S("x"), new S("Paris"), new S("b"), new S("v"),
                new S("a\") OR (#x = :y"), new N("2"), new N("2.50"), new N("3"), new N("1.0"),
                new L(List.of(new S("eu"))), new L(List.of(new S("x"))), new L(List.of(new L(List.of(new S("x"))))),
                new SS(List.of("x")), new SS(List.of("eu", "x")), new NS(List.of("2")), new L(List.of(new N("2"))),
                new M(Map.of("city", new S("Paris"))), new AttributeValue.Bool(true), new AttributeValue.Null(),
                new L(List.of(new S("a"), new S("b"))));
        List<String> names = List.of("region", "n", "tags", "address", "list", "we.ird", "#weir0", "flag", "nul");
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        out.add(Map.of());
        for (String name : names) {
            for (AttributeValue v : values) {
                out.add(Map.of(name, v));
                Map<String, AttributeValue> with = new LinkedHashMap<>(Map.of("region", new S("eu"), "n", new N("2")));
                with.put(name, v);
                out.add(with);
            }
        }
        return out;
    }

    @Test
    void theStoreNeverAcceptsAnItemThePolicyRefuses() {
        List<Map<String, AttributeValue>> items = items();
        for (String condition : CONDITIONS) {
            RowFilter filter = rows(condition);
            StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
            StoreCondition.Rendered r = StoreCondition.render(filter, REQ, Map.of(), ph);
            int storeTrue = 0;
            for (Map<String, AttributeValue> item : items) {
                boolean policy = filter.test(REQ, item);
                boolean store = switch (r) {
                    case StoreCondition.Rendered.Always a -> a.value();
                    case StoreCondition.Rendered.Expression e ->
                            new ExpressionContext(ph.names(), ph.values()).condition("ConditionExpression", e.text()).test(item);
                };
                if (store) {
                    storeTrue++;
                    assertTrue(policy, condition + " -> " + r + " accepts " + item + " which the policy refuses");
                }
                if (policy && plain(item)) assertTrue(store, condition + " -> " + r + " refuses the plain item " + item);
            }
            if (!(r instanceof StoreCondition.Rendered.Always)) assertTrue(storeTrue > 0, condition + " accepts nothing: " + r);
        }
    }

    @Test
    void thePushedDownFilterKeepsEveryItemThePolicyKeeps() {
        List<Map<String, AttributeValue>> items = items();
        List<String> all = new ArrayList<>(CONDITIONS);
        all.addAll(List.of("size(item.name) < 3 or item.region == \"eu\"", "not (item.a == item.b)", "item.a == item.b"));
        for (String condition : all) {
            RowFilter filter = rows(condition);
            StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
            StoreCondition.Rendered r = StoreCondition.renderComplete(filter, REQ, ph);
            int dropped = 0;
            for (Map<String, AttributeValue> item : items) {
                boolean store = switch (r) {
                    case StoreCondition.Rendered.Always a -> a.value();
                    case StoreCondition.Rendered.Expression e ->
                            new ExpressionContext(ph.names(), ph.values()).condition("FilterExpression", e.text()).test(item);
                };
                if (filter.test(REQ, item)) assertTrue(store, condition + " -> " + r + " drops " + item + " which the policy keeps");
                if (!store) dropped++;
            }
            if (r instanceof StoreCondition.Rendered.Expression) assertTrue(dropped > 0, condition + " drops nothing: " + r);
        }
    }

    private static boolean plain(Map<String, AttributeValue> item) {
        return item.values().stream().allMatch(v -> v instanceof S || v instanceof N || v instanceof M);
    }

    @Test
    void namesAndValuesOnlyEverAppearAsPlaceholders() {
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        var r = (StoreCondition.Rendered.Expression) StoreCondition.render(
                rows("item.\"we.ird\" == principal.odd and item.address.city == \"x\" and item.list[1] == 1"), REQ, Map.of(), ph);
        assertEquals("#weir0 = :weir0 AND #weir1.#weir2 = :weir1 AND #weir3[1] = :weir2", r.text());
        assertEquals(Map.of("#weir0", "we.ird", "#weir1", "address", "#weir2", "city", "#weir3", "list"), ph.names());
        assertEquals(new S("a\") OR (#x = :y"), ph.values().get(":weir0"));
        assertEquals(new N("1"), ph.values().get(":weir2"));
    }

    @Test
    void disjunctionsInsideConjunctionsAreParenthesisedOnce() {
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        var r = (StoreCondition.Rendered.Expression) StoreCondition.render(
                rows("(item.a == 1 or item.b == 2) and not (item.c == 3 and item.d == 4)"), REQ, Map.of(), ph);
        assertFalse(r.text().contains("(("), r.text());
        new ExpressionContext(ph.names(), ph.values()).condition("ConditionExpression", r.text());
    }

    @Test
    void principalAttributesAreBoundAndConstantsFolded() {
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        var r = (StoreCondition.Rendered.Expression) StoreCondition.render(rows("item.region in principal.regions"), REQ, Map.of(), ph);
        assertEquals("#weir0 IN (:weir0, :weir1)", r.text());
        assertEquals(List.of(new S("eu"), new S("us")), List.copyOf(ph.values().values()));
        assertEquals(new StoreCondition.Rendered.Always(false),
                StoreCondition.render(rows("ctx.operation == \"GetItem\" and item.region == \"eu\""), REQ, Map.of(), ph));
        assertEquals(new StoreCondition.Rendered.Always(true), StoreCondition.render(rows("true"), REQ, Map.of(), ph));
    }

    @Test
    void knownNewValuesAreDecidedHere() {
        RowFilter f = rows("item.region in principal.regions and item.n > 1");
        Map<String, Optional<AttributeValue>> setEu = new LinkedHashMap<>();
        setEu.put("region", Optional.of(new S("eu")));
        var r = StoreCondition.render(f, REQ, setEu, new StoreCondition.Placeholders());
        assertInstanceOf(StoreCondition.Rendered.Expression.class, r);
        assertFalse(((StoreCondition.Rendered.Expression) r).text().contains("IN"), r.toString());
        assertEquals(new StoreCondition.Rendered.Always(false),
                StoreCondition.render(f, REQ, Map.of("region", Optional.of(new S("apac"))), new StoreCondition.Placeholders()));
        assertEquals(new StoreCondition.Rendered.Always(false),
                StoreCondition.render(f, REQ, Map.of("region", Optional.empty()), new StoreCondition.Placeholders()));
        assertEquals(Set.of("n", "region"), StoreCondition.attributes(f));
    }

    @Test
    void whatHasNoSoundStoreFormIsRefused() {
        for (String c : List.of("size(item.name) < 3", "item.a == item.b", "item.a in item.b",
"contains(\"abc\", item.a)")) {
            assertThrows(StoreCondition.Unexpressible.class,
                    () -> StoreCondition.render(rows(c), REQ, Map.of(), new StoreCondition.Placeholders()), c);
        }
    }
}
