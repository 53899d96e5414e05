package dev.weir.policy.predicate;

import dev.weir.policy.Policies;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.parse.Substitutions;
import dev.weir.protocol.expr.render.ExpressionWriter;
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

/** The residuals of the conditions policies are written with, as the store will read them. */
class ResidualExamplesTest {
    private static final DecisionRequest ADA = new DecisionRequest("ada", Set.of("a"),
            Map.of("region", List.of("eu"), "regions", List.of("eu", "us"), "odd", List.of("a\") OR (#x = :y")),
            "t", Operation.UpdateItem, Context.NONE);

    private static RowFilter rows(String condition) {
        var t = Policies.table("role a\n@id(\"r\") allow a on table t op * rows where " + condition + "\n");
        return ((Allowed) t.decide(ADA)).rows();
    }

    /** The residual as the store reads it: written, then parsed with the store's grammar. */
    private static String written(Residual r) {
        ExpressionWriter w = new ExpressionWriter();
        String text = w.condition(((Residual.Tree) r).condition());
        ExpressionParser.condition("ConditionExpression", text, new Substitutions() {
            @Override public String name(String ref) { return w.names().get(ref); }

            @Override public AttributeValue value(String ref) { return w.values().get(ref); }
        });
        return text + " " + w.names() + " " + w.values();
    }

    private static Operand path(String name) {
        return new Operand.PathOperand(Path.of(name));
    }

    private static Operand value(AttributeValue v) {
        return new Operand.ValueOperand(":policy", v);
    }

    @Test
    void principalAttributesBecomeValues() {
        assertEquals(new Residual.Tree(new ConditionExpr.Compare(Comparator.EQ, path("region"), value(new S("eu")))),
                Residual.of(rows("item.region == principal.region"), ADA));
        assertEquals(new Residual.Tree(new ConditionExpr.In(path("region"), List.of(value(new S("eu")), value(new S("us"))))),
                Residual.of(rows("item.region in principal.regions"), ADA));
        assertEquals("#n0 = :v0 {#n0=region} {:v0=S[value=a\") OR (#x = :y]}",
                written(Residual.of(rows("item.region == principal.odd"), ADA)));
        assertEquals(Residual.FALSE, Residual.of(rows("item.region == principal.missing"), ADA));
        assertEquals(Residual.TRUE, Residual.of(rows("item.region != principal.missing"), ADA));
    }

    /** Conditions as policies write them, awkward names and values included. */
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
            "item.\"we.ird\" == \"v\" or item.\"#n0\" == \"v\"",
            "item.region == principal.odd",
            "item.region == principal.missing", "item.region != principal.missing",
            "item.region == principal.region and (item.n > 1 or not exists(item.tags)) and not (item.flag == true)",
            "ctx.operation == \"UpdateItem\" and item.region == \"eu\"",
            "ctx.operation == \"GetItem\" or item.region == \"us\"",
            "item.flag == true", "item.nul == null", "item.a == item.b", "not (item.a == item.b)", "item.a in item.b");

    /**
     * Items where a store and a policy could part: absent attributes, one-element lists, sets,
     * nested lists, maps, NULL, numbers written differently, a value that looks like syntax.
     */
    private static List<Map<String, AttributeValue>> awkwardItems() {
        List<AttributeValue> values = List.of(new S("eu"), new S("us"), new S("x"), new S("Paris"), new S("b"), new S("v"),
                new S("a\") OR (#x = :y"), new N("2"), new N("2.50"), new N("3"), new N("1.0"),
                new L(List.of(new S("eu"))), new L(List.of(new S("x"))), new L(List.of(new L(List.of(new S("x"))))),
                new SS(List.of("x")), new SS(List.of("eu", "x")), new NS(List.of("2")), new L(List.of(new N("2"))),
                new M(Map.of("city", new S("Paris"))), new AttributeValue.Bool(true), new AttributeValue.Null(),
                new L(List.of(new S("a"), new S("b"))));
        List<String> names = List.of("region", "n", "tags", "address", "list", "we.ird", "#n0", "flag", "nul", "a", "b");
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        out.add(Map.of());
        for (String name : names) {
            for (AttributeValue v : values) {
                out.add(Map.of(name, v));
                Map<String, AttributeValue> with = new LinkedHashMap<>(Map.of("region", new S("eu"), "n", new N("2"), "a", new S("x")));
                with.put(name, v);
                out.add(with);
            }
        }
        return out;
    }

    @Test
    void residualsAreExactOnAwkwardItemsAsTheStoreReadsThem() {
        List<Map<String, AttributeValue>> items = awkwardItems();
        for (String condition : CONDITIONS) {
            RowFilter filter = rows(condition);
            Residual r = Residual.of(filter, ADA);
            java.util.function.Predicate<Map<String, AttributeValue>> store = r::test;
            if (r instanceof Residual.Tree t) {
                ExpressionWriter w = new ExpressionWriter();
                String text = w.condition(t.condition());
                var read = new dev.weir.protocol.expr.eval.ConditionEvaluator(ExpressionParser.condition("ConditionExpression", text,
                        new Substitutions() {
                            @Override public String name(String ref) { return w.names().get(ref); }

                            @Override public AttributeValue value(String ref) { return w.values().get(ref); }
                        }));
                store = read::test;
            }
            int held = 0;
            for (Map<String, AttributeValue> item : items) {
                boolean policy = filter.test(ADA, item);
                assertEquals(policy, store.test(item), condition + " -> " + r + " on " + item);
                if (policy) held++;
            }
            if (r instanceof Residual.Tree) assertTrue(held > 0 && held < items.size(), condition + " decides nothing: " + r);
        }
    }

    @Test
    void namesAndValuesOnlyEverAppearAsPlaceholders() {
        assertEquals("#n0 = :v0 AND #n1.#n2 = :v1 AND #n3[1] = :v2 AND #n4 = :v3 {#n0=we.ird, #n1=address, #n2=city, #n3=list, "
                        + "#n4=#v0} {:v0=S[value=a\") OR (#x = :y], :v1=S[value=x], :v2=N[value=1], :v3=S[value=:v0]}",
                written(Residual.of(rows("item.\"we.ird\" == principal.odd and item.address.city == \"x\" and item.list[1] == 1 "
                        + "and item.\"#v0\" == \":v0\""), ADA)));
    }

    @Test
    void anItemListIsNotItsSingleElement() {
        RowFilter eq = rows("item.region == \"eu\"");
        Map<String, AttributeValue> list = Map.of("region", new L(List.of(new S("eu"))));
        assertFalse(eq.test(ADA, list));
        assertFalse(Residual.of(eq, ADA).test(list));
        assertTrue(eq.test(ADA, Map.of("region", new S("eu"))));

        RowFilter member = rows("\"x\" in item.tags");
        for (AttributeValue tags : List.<AttributeValue>of(new S("x"), new S("xy"), new SS(List.of("x")), new L(List.of(new S("x"))),
                new L(List.of(new L(List.of(new S("x"))))))) {
            Map<String, AttributeValue> item = Map.of("tags", tags);
            boolean expected = tags instanceof SS || tags instanceof L l && l.value().getFirst() instanceof S;
            assertEquals(expected, member.test(ADA, item), tags.toString());
            assertEquals(expected, Residual.of(member, ADA).test(item), tags.toString());
        }
        assertEquals("contains(#n0, :v0) AND NOT attribute_type(#n0, :v1) {#n0=tags} {:v0=S[value=x], :v1=S[value=S]}",
                written(Residual.of(member, ADA)));
    }

    @Test
    void knownNewValuesDecideHere() {
        RowFilter filter = rows("item.region in principal.regions and item.owner == principal.name");
        assertEquals(Residual.TRUE, Residual.of(filter, ADA,
                Map.of("region", Optional.of(new S("us")), "owner", Optional.of(new S("ada")))));
        assertEquals(Residual.FALSE, Residual.of(filter, ADA, Map.of("region", Optional.empty())));
        assertEquals(new Residual.Tree(new ConditionExpr.Compare(Comparator.EQ, path("owner"), value(new S("ada")))),
                Residual.of(filter, ADA, Map.of("region", Optional.of(new S("eu")))));
    }

    @Test
    void whatHasNoExactFormIsRefused() {
        for (String condition : List.of("size(item.name) < 3", "contains(\"abc\", item.x)", "contains(principal.name, item.x)",
                "begins_with(principal.region, item.x)", "item.a == \"x\" or size(item.tags) == 2")) {
            assertThrows(Unexpressible.class, () -> Residual.of(rows(condition), ADA), condition);
        }
        // unless the rest decides without it
        assertEquals(Residual.FALSE, Residual.of(rows("size(item.name) < 3 and principal.region == \"us\""), ADA));
        assertEquals(Residual.TRUE, Residual.of(rows("size(item.name) < 3 or principal.region == \"eu\""), ADA));
        var t = Policies.table("""
                role a
                @id("r") allow a on table t op * rows where item.region == principal.region
                @id("d") deny a on table t op * rows where size(item.name) > 3 or ctx.operation == "UpdateItem"
                """);
        assertEquals(Residual.FALSE, Residual.of(((Allowed) t.decide(ADA)).rows(), ADA));
    }

    @Test
    void longValueListsAreSplitIntoInsOfAtMostOneHundred() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) many.add("r" + i);
        DecisionRequest request = new DecisionRequest("ada", Set.of("a"), Map.of("regions", many), "t", Operation.Scan, Context.NONE);
        Residual r = Residual.of(rows("item.region in principal.regions"), request);
        String text = written(r);
        assertEquals(3, text.split(" IN ").length - 1, text);
        assertTrue(r.test(Map.of("region", new S("r249"))));
        assertFalse(r.test(Map.of("region", new S("r250"))));
    }

    @Test
    void samePathOnBothSides() {
        // DynamoDB refuses `a = a`; the residual says what it means
        assertEquals(new Residual.Tree(new ConditionExpr.AttributeExists(Path.of("a"))), Residual.of(rows("item.a == item.a"), ADA));
        assertEquals(Residual.FALSE, Residual.of(rows("item.a < item.a"), ADA));
        assertEquals(Residual.FALSE, Residual.of(rows("item.a in item.a"), ADA));
        written(Residual.of(rows("item.a <= item.a and begins_with(item.b, item.b) and contains(item.c, item.c)"), ADA));
    }

    @Test
    void itemPathsAreWhatTheFilterReads() {
        var t = Policies.table("""
                role a
                @id("r1") allow a on table t op * rows where item.address.city == "x" or size(item.tags) > 1
                @id("r2") allow a on table t op * rows where principal.region in item.allowed and item.list[2].k == 1
                @id("d") deny a on table t op * rows where item.region in ["x", item.other] or ctx.operation == "Scan"
                """);
        assertEquals(List.of(Path.of("address", "city"), Path.of("tags"), Path.of("allowed"), Path.of("list", 2, "k"),
                Path.of("region"), Path.of("other")), List.copyOf(((Allowed) t.decide(ADA)).rows().itemPaths()));
        assertEquals(Set.of(), RowFilter.ALL.itemPaths());
    }

    @Test
    void aConditionWithoutItsSourceIsRefused() {
        CompiledCondition opaque = new CompiledCondition() {
            public boolean test(Map<String, AttributeValue> item, DecisionRequest request) { return true; }

            @Override public String toString() { return "opaque"; }
        };
        assertThrows(Unexpressible.class, () -> Residual.of(opaque, ADA, Map.of()));
        assertThrows(IllegalStateException.class, () -> new RowFilter(List.of(opaque), List.of()).itemPaths());
        assertInstanceOf(Residual.Always.class, Residual.of(CompiledCondition.TRUE, ADA, Map.of()));
    }
}
