package dev.weir.appliance.leakhunt;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hunt's reference model, tested on its own: what each reveal lets a view tell apart, how
 * allows combine, that the model's row conditions mean what weir's policy language says they
 * mean, that D2 differs from D1 only where the model allows it, and that the minimiser finds
 * a smallest failing sequence. A wrong model would give false alarms (or hide leaks), so these
 * run before the hunt does.
 */
class ModelTest {

    @Test
    void showLastRevealsOnlyItsCharactersAndShortValuesWhole() {
        Reveal last4 = new Reveal.Text(false, 4);
        assertEquals(last4.observe(Attrs.s("123-45-6789")), last4.observe(Attrs.s("99-6789")));
        assertNotEquals(last4.observe(Attrs.s("123-45-6789")), last4.observe(Attrs.s("123-45-6780")));
        assertNotEquals(last4.observe(Attrs.s("abc")), last4.observe(Attrs.s("xabc")));
        assertEquals(last4.observe(Attrs.n(12345)), Reveal.CLEAR.observe(Attrs.n(12345)), "on a number it reveals all");
        assertNotEquals(last4.observe(null), last4.observe(Attrs.s("123-45-6789")), "presence is revealed");
    }

    @Test
    void roundAndBucketRevealTheRoundedNumberAndNeverATieOrANegative() {
        Reveal bucket = new Reveal.Rounded(BigDecimal.valueOf(10000), true);
        assertEquals(bucket.observe(Attrs.n(98000)), bucket.observe(Attrs.n(91234)));
        assertNotEquals(bucket.observe(Attrs.n(98000)), bucket.observe(Attrs.n(100000)));
        Reveal round = new Reveal.Rounded(BigDecimal.TEN, false);
        assertEquals(round.observe(Attrs.n(21)), round.observe(Attrs.n(24)));
        assertNotEquals(round.observe(Attrs.n(25)), round.observe(Attrs.n(24)), "a tie counts as revealed whole");
        assertNotEquals(bucket.observe(Attrs.n(-5)), bucket.observe(Attrs.n(-6)));
        assertEquals(bucket.observe(Attrs.s("x")), Reveal.PRESENCE.observe(Attrs.s("y")), "not a number: NULL, presence only");
    }

    @Test
    void aMaskOnAMapHidesItsKeysAndAnAllowListHidesPresence() {
        AttributeValue a = new AttributeValue.M(Map.of("street", Attrs.s("1 a st")));
        AttributeValue b = new AttributeValue.M(Map.of("zip", Attrs.s("0"), "x", Attrs.s("y")));
        assertEquals(Reveal.PRESENCE.observe(a), Reveal.PRESENCE.observe(b));
        assertEquals(Reveal.NONE.observe(a), Reveal.NONE.observe(null), "removed: not even presence");
        Rule cityOnly = new Rule("r", true, "r0", "t", List.of("GetItem"), List.of("id", "address.city"), Map.of(), null, null);
        Reveal address = PolicyModel.ruleReveal(cityOnly, "address");
        AttributeValue withStreet = new AttributeValue.M(Map.of("city", Attrs.s("oslo"), "street", Attrs.s("1 a st")));
        AttributeValue withoutStreet = new AttributeValue.M(Map.of("city", Attrs.s("oslo")));
        assertEquals(address.observe(withStreet), address.observe(withoutStreet));
        assertNotEquals(address.observe(withStreet), address.observe(new AttributeValue.M(Map.of("city", Attrs.s("lima")))));
        Rule streetMasked = new Rule("r", true, "r0", "t", List.of("GetItem"), null,
                Map.of("address.street", Action.mask("show_last(2)", new Reveal.Text(false, 2))), null, null);
        Reveal masked = PolicyModel.ruleReveal(streetMasked, "address");
        assertEquals(masked.observe(new AttributeValue.M(Map.of("street", Attrs.s("12 ab st")))),
                masked.observe(new AttributeValue.M(Map.of("street", Attrs.s("9 st")))));
        Rule elements = new Rule("r", true, "r0", "t", List.of("GetItem"), null,
                Map.of("tags[*]", Action.mask("constant(\"x\")", Reveal.PRESENCE)), null, null);
        Reveal tags = PolicyModel.ruleReveal(elements, "tags");
        assertEquals(tags.observe(new AttributeValue.L(List.of(Attrs.s("a"), Attrs.s("b")))),
                tags.observe(new AttributeValue.L(List.of(Attrs.s("c"), Attrs.s("d")))));
        assertNotEquals(tags.observe(new AttributeValue.L(List.of(Attrs.s("a")))),
                tags.observe(new AttributeValue.L(List.of(Attrs.s("a"), Attrs.s("a")))), "each element shows: the length too");
    }

    @Test
    void matchingAllowsRevealTheUnionOfWhatEachReveals() {
        Principal p = new Principal("p0", "AKIA", "s", List.of("r0", "staff"), Map.of());
        Rule masked = new Rule("a", true, "r0", "t", List.of("GetItem"), List.of("id", "ssn"),
                Map.of("ssn", Action.mask("show_last(4)", new Reveal.Text(false, 4))), null, null);
        Rule other = new Rule("b", true, "staff", "*", List.of("GetItem", "Scan"), List.of("id", "name"), Map.of(),
                new Cond.Eq("region", new Cond.Lit(Attrs.s("eu")), false), null);
        PolicyModel model = new PolicyModel(List.of("r0", "staff"), List.of(masked, other));
        ReadView get = model.readView(p, "t", "GetItem");
        assertEquals(new Reveal.Text(false, 4), get.reveal("ssn"));
        assertEquals(Reveal.CLEAR, get.reveal("name"));
        assertEquals(Reveal.NONE, get.reveal("salary"));
        assertTrue(get.shows(Map.of("region", Attrs.s("us")), p), "one allow has no row filter: every row");
        ReadView scan = model.readView(p, "t", "Scan");
        assertEquals(Reveal.NONE, scan.reveal("ssn"));
        assertTrue(!scan.shows(Map.of("region", Attrs.s("us")), p) && scan.shows(Map.of("region", Attrs.s("eu")), p));
        assertTrue(!model.readView(p, "t", "Query").permitted());
    }

    /**
     * The model's reading of which rules an operation fires (operation lists with the Streams
     * operations, the group {@code read}, allow-alls) against weir's compiled decisions.
     */
    @Test
    void theModelsOperationsAndGroupsMeanWhatWeirSays() {
        List<String> ops = new ArrayList<>(PolicyModel.READ_GROUP);
        ops.addAll(PolicyModel.WRITE_OPS);
        ops.add("DescribeTable");
        int checked = 0, streamsAllowed = 0;
        for (long seed = 1; seed <= 120; seed++) {
            Scenario s = Scenario.generate(seed, "g" + seed, 1, 2, false);
            for (Principal p : s.principals()) {
                for (TableSpec t : s.tables()) {
                    for (String op : ops) {
                        DecisionRequest dr = new DecisionRequest(p.name(), Set.copyOf(p.roles()), p.attributes(), t.name(),
                                Operation.valueOf(op), Context.NONE);
                        boolean weir = s.compiled().decide(dr) instanceof Allowed;
                        boolean model = PolicyModel.WRITE_OPS.contains(op) ? s.policy().writeScope(p, t.name(), op) != null
                                : s.policy().readView(p, t.name(), op).permitted();
                        assertEquals(weir, model, "seed " + seed + " " + p.name() + " " + op + " on " + t.name());
                        if (weir && PolicyModel.STREAM_OPS.contains(op)) streamsAllowed++;
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 5000 && streamsAllowed > 500, checked + " decisions, " + streamsAllowed + " Streams allows");
    }

    /** The model's conditions against weir's compiled ones, on random items and principals. */
    @Test
    void theModelsRowConditionsMeanWhatWeirsPolicyLanguageSays() {
        Random r = new Random(7);
        PolicyGen gen = new PolicyGen(r);
        List<Cond> conds = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            Cond c = gen.rowCond(2);
            conds.add(c);
            text.append("role c").append(i).append("\nallow c").append(i).append(" on table t op [GetItem]\n  rows where ")
                    .append(c.render()).append('\n');
        }
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("model.weir", text.toString())));
        assertTrue(loaded.ok(), () -> loaded.errors().toString());
        DataGen data = new DataGen(r, List.of("p0", "p1", "p2", "p3"));
        int checked = 0;
        for (int round = 0; round < 20; round++) {
            List<Principal> principals = gen.principals();
            Map<String, AttributeValue> item = data.randomItem(Map.of(Attrs.HASH, Attrs.s("k0")));
            for (String a : Attrs.ROW) if (r.nextInt(4) == 0) item.remove(a);
            for (Principal p : principals) {
                for (int i = 0; i < conds.size(); i++) {
                    DecisionRequest dr = new DecisionRequest(p.name(), Set.of("c" + i), p.attributes(), "t", Operation.GetItem,
                            Context.NONE);
                    Decision d = loaded.table().orElseThrow().decide(dr);
                    boolean weir = d instanceof Allowed a && a.rows().test(dr, item);
                    assertEquals(weir, conds.get(i).test(item, p), conds.get(i).render() + " on " + item + " for " + p);
                    checked++;
                }
            }
        }
        assertEquals(20 * 4 * 150, checked);
    }

    /** D2 differs from D1 only where no actor's view can tell, never in a key, condition attribute or type. */
    @Test
    void theTwoStoresLookTheSameToEveryActor() {
        boolean[] varied = {false};
        for (long seed = 1; seed <= 150; seed++) {
            Scenario s = Scenario.generate(seed, "m" + seed, 1, 2, false);
            Set<String> conditionAttrs = s.policy().conditionAttributes();
            for (TableSpec t : s.tables()) {
                Map<String, Map<String, AttributeValue>> one = byKey(t, s.d1().get(t.name()));
                for (Map<String, AttributeValue> item : s.d2().get(t.name())) {
                    String k = World.keyText(t.keyOf(item));
                    Map<String, AttributeValue> was = one.get(k);
                    for (int a : s.actors()) {
                        Principal p = s.principals().get(a);
                        for (String op : PolicyModel.VIEW_OPS) {
                            ReadView v = s.policy().readView(p, t.name(), op);
                            if (was == null) {
                                assertTrue(!v.shows(item, p), "an extra row is hidden from every actor (seed " + seed + ")");
                                continue;
                            }
                            assertEquals(v.shows(was, p), v.shows(item, p));
                            if (!v.shows(item, p)) continue;
                            for (String attr : Attrs.ALL.keySet()) {
                                assertEquals(v.reveal(attr).observe(was.get(attr)), v.reveal(attr).observe(item.get(attr)),
                                        "seed " + seed + " " + p.name() + " " + op + " " + attr);
                            }
                        }
                    }
                    if (was == null) continue;
                    for (String attr : item.keySet()) {
                        if (was.containsKey(attr)) assertEquals(was.get(attr).typeTag(), item.get(attr).typeTag());
                    }
                    for (int a : s.actors()) {
                        for (String op : PolicyModel.WRITE_OPS) {
                            PolicyModel.WriteScope w = s.policy().writeScope(s.principals().get(a), t.name(), op);
                            if (w != null) assertEquals(w.admits(was), w.admits(item), "seed " + seed + " write scope " + op);
                        }
                    }
                    for (String c : conditionAttrs) varied[0] |= !java.util.Objects.equals(was.get(c), item.get(c));
                    assertEquals(t.keyOf(was), t.keyOf(item));
                }
            }
        }
        assertTrue(varied[0], "some attribute a condition reads differs somewhere, within the declassified bits");
    }

    @Test
    void theMinimiserFindsTheSmallestFailingSequence() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) all.add(i);
        int[] runs = {0};
        List<Integer> minimal = Minimiser.minimise(all, l -> {
            runs[0]++;
            return l.contains(4) && l.contains(17) && l.indexOf(4) < l.indexOf(17);
        }, 500);
        assertEquals(List.of(4, 17), minimal);
        assertTrue(runs[0] < 100, "ddmin needs few runs: " + runs[0]);
    }

    private static Map<String, Map<String, AttributeValue>> byKey(TableSpec t, List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> out = new LinkedHashMap<>();
        for (Map<String, AttributeValue> i : items) out.put(World.keyText(t.keyOf(i)), i);
        return out;
    }
}
