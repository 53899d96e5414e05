package dev.weir.policy.field;

import dev.weir.policy.Policies;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FieldPlan#treatment}: what a byte-level reader may do with a member without decoding
 * it. On seeded random plans and items: a SHOWN attribute comes out of {@link FieldPlan#redact}
 * exactly as it went in, a REMOVED one never comes out, and redacting an item is redacting
 * its members one by one (so a member's treatment can be applied alone).
 */
class FieldPlanTreatmentTest {
    private static final List<String> CLAUSES = List.of(
            "fields [a, m.x, l]", "fields [*]", "fields [m.*]", "fields [b, c, \"d.e\"]", "fields [l[*].x]",
            "mask a show_last(2)", "mask m.x hash", "remove m.y", "mask l[*] show_first(1)", "null c", "remove b",
            "mask * constant(\"*\")", "mask m hash", "mask s unkeyed_sha256", "remove \"d.e\"", "null m.x",
            "fields [m.x, m.y]", "mask m.y show_last(1)", "mask m.* show_first(1)", "remove m.x.y", "mask l hash",
            "mask a hmac(key: \"k\")", "fields [m.x.*]", "mask m.x.z round(10)", "");
    private static final List<String> NAMES = List.of("a", "b", "c", "d.e", "m", "l", "s", "zz", "x");

    private static FieldPlan plan(List<String> rules) {
        StringBuilder text = new StringBuilder("role a\n");
        for (String c : rules) text.append("allow a on table t op * ").append(c).append('\n');
        return assertInstanceOf(Allowed.class,
                Policies.decide(Policies.table(text.toString()), Set.of("a"), "t", Operation.GetItem)).fields();
    }

    /** One to two random rules, each a fields list alone or actions alone (an action must name a listed field). */
    private static List<String> randomRules(Random r) {
        List<String> rules = new ArrayList<>();
        for (int n = 1 + r.nextInt(2); n > 0; n--) {
            StringBuilder rule = new StringBuilder();
            boolean listing = r.nextInt(3) == 0;
            for (int c = listing ? 1 : r.nextInt(3); c > 0; c--) {
                String clause = CLAUSES.get(r.nextInt(CLAUSES.size()));
                if (clause.startsWith("fields") != listing) continue;
                rule.append(clause).append(' ');
            }
            rules.add(rule.toString().trim());
        }
        return rules;
    }

    /**
     * {@link FieldPlan#rule}: followed as its cases say (an interpreter below), a member's rule
     * gives exactly what {@link FieldPlan#redact} gives for that member, for every kind of
     * value, nested maps included; it agrees with {@link FieldPlan#treatment}; and it leaves to
     * {@code redact} (Redacted) only what the byte reader cannot follow.
     */
    @Test
    void rulesAgreeWithRedact() {
        Random r = new Random(1616);
        int followed = 0, entries = 0, masked = 0, left = 0;
        for (int round = 0; round < 600; round++) {
            List<String> rules = randomRules(r);
            FieldPlan plan = plan(rules);
            for (String name : NAMES) {
                ValueRule rule = plan.rule(name);
                if (!plan.namedAttributes().contains(name)) assertEquals(plan.otherRule(), rule, name);
                FieldPlan.Treatment t = plan.treatment(name);
                assertEquals(t == FieldPlan.Treatment.SHOWN, rule instanceof ValueRule.Shown, rules + " " + name + " " + rule);
                assertEquals(t == FieldPlan.Treatment.REMOVED, rule instanceof ValueRule.Removed, rules + " " + name + " " + rule);
                for (int i = 0; i < 8; i++) {
                    AttributeValue v = name.equals("m") && r.nextBoolean() ? map(r, 0) : value(r, 0);
                    AttributeValue expected = plan.redact(Map.of(name, v)).get(name);
                    Follow f = new Follow();
                    AttributeValue got;
                    try {
                        got = f.apply(rule, v);
                    } catch (LeftToRedact e) {
                        left++;
                        continue;
                    }
                    assertEquals(expected, got, rules + " " + name + " " + rule + " " + v);
                    followed++;
                    entries += f.entries;
                    masked += f.masked;
                }
            }
        }
        assertTrue(followed > 5_000 && entries > 1_000 && masked > 1_000 && left > 100,
                followed + " followed, " + entries + " entries, " + masked + " masked, " + left + " left to redact");
    }

    private static final class LeftToRedact extends RuntimeException {}

    /** Follows a rule on a value as a byte reader does: null when removed. */
    private static final class Follow {
        int entries;
        int masked;

        AttributeValue apply(ValueRule rule, AttributeValue v) {
            return switch (rule) {
                case ValueRule.Shown s -> v;
                case ValueRule.Removed x -> null;
                case ValueRule.Masked m -> {
                    masked++;
                    yield m.apply(v);
                }
                case ValueRule.ByKind k -> {
                    ValueRule of = k.of(v);
                    assertFalse(of instanceof ValueRule.ByKind, "a kind's rule is never by kind again");
                    yield apply(of, v);
                }
                case ValueRule.Entries e -> {
                    if (!(v instanceof AttributeValue.M m)) throw new AssertionError("entries of a " + v.typeTag());
                    Map<String, AttributeValue> out = new LinkedHashMap<>();
                    m.value().forEach((k, x) -> {
                        entries++;
                        AttributeValue shown = apply(e.entry(k), x);
                        if (shown != null) out.put(k, shown);
                    });
                    yield new AttributeValue.M(out);
                }
                case ValueRule.Redacted x -> throw new LeftToRedact();
            };
        }
    }

    @Test
    void treatmentsAgreeWithRedact() {
        Random r = new Random(16);
        int shown = 0, removed = 0, redacted = 0;
        for (int round = 0; round < 400; round++) {
            List<String> rules = randomRules(r);
            FieldPlan plan = plan(rules);
            for (int i = 0; i < 10; i++) {
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                for (String name : NAMES) if (r.nextInt(3) > 0) item.put(name, value(r, 0));
                Map<String, AttributeValue> byMember = new LinkedHashMap<>();
                for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                    Map<String, AttributeValue> one = plan.redact(Map.of(e.getKey(), e.getValue()));
                    FieldPlan.Treatment t = plan.treatment(e.getKey());
                    if (!plan.namedAttributes().contains(e.getKey())) assertEquals(plan.otherAttributes(), t, e.getKey());
                    switch (t) {
                        case SHOWN -> { assertEquals(Map.of(e.getKey(), e.getValue()), one, rules + " " + e); shown++; }
                        case REMOVED -> { assertTrue(one.isEmpty(), rules + " " + e); removed++; }
                        case REDACTED -> redacted++;
                    }
                    byMember.putAll(one);
                }
                Map<String, AttributeValue> whole = plan.redact(item);
                assertEquals(byMember, whole, rules + " " + item);
                assertEquals(List.copyOf(byMember.keySet()), List.copyOf(whole.keySet()), "the order of the members");
            }
        }
        assertTrue(shown > 500 && removed > 500 && redacted > 500, shown + " " + removed + " " + redacted);
    }

    /**
     * {@link Allowed#refusesWrite} names the first path of the item (in its order, nested ones
     * included) that {@link FieldPlan#redact} removes, as it did when it always redacted the
     * item: it now reads each attribute's treatment first and redacts only when a treatment
     * cannot tell.
     */
    @Test
    void aWriteIsRefusedForTheFirstPathRedactRemoves() {
        Random r = new Random(1717);
        DecisionRequest request = new DecisionRequest("ada", Set.of("a"), Map.of(), "t", Operation.PutItem, Context.NONE);
        int refused = 0, accepted = 0, nested = 0;
        for (int round = 0; round < 600; round++) {
            List<String> rules = randomRules(r);
            FieldPlan plan = plan(rules);
            Allowed allowed = new Allowed(List.of("r"), plan);
            for (int i = 0; i < 10; i++) {
                List<String> names = new ArrayList<>(NAMES);
                java.util.Collections.shuffle(names, r);
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                for (String name : names) if (r.nextInt(3) > 0) item.put(name, name.equals("m") && r.nextBoolean() ? map(r, 0) : value(r, 0));
                String hidden = plan.isIdentity() ? null : firstRemoved("", item, plan.redact(item));
                var refusal = allowed.refusesWrite(request, item);
                assertEquals(hidden == null ? java.util.Optional.empty()
                        : java.util.Optional.of("the field '" + hidden + "' is outside the caller's allow-list"), refusal, rules + " " + item);
                if (hidden == null) accepted++;
                else refused++;
                if (hidden != null && hidden.contains(".") && !hidden.equals("d.e")) nested++;
            }
        }
        assertTrue(refused > 400 && accepted > 500 && nested > 30, refused + " refused, " + accepted + " accepted, " + nested + " nested");
    }

    /** The first removed path as {@code Allowed} found it before (the oracle of the test above). */
    private static String firstRemoved(String prefix, Map<String, AttributeValue> original, Map<String, AttributeValue> visible) {
        for (Map.Entry<String, AttributeValue> e : original.entrySet()) {
            String path = prefix + e.getKey();
            AttributeValue seen = visible.get(e.getKey());
            if (seen == null) return path;
            if (e.getValue() instanceof AttributeValue.M m && seen instanceof AttributeValue.M sm) {
                String nested = firstRemoved(path + ".", m.value(), sm.value());
                if (nested != null) return nested;
            }
        }
        return null;
    }

    private static AttributeValue map(Random r, int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (String k : List.of("x", "y", "z")) if (r.nextBoolean()) m.put(k, value(r, depth + 1));
        return new AttributeValue.M(m);
    }

    private static AttributeValue value(Random r, int depth) {
        int kind = r.nextInt(depth > 2 ? 5 : 8);
        return switch (kind) {
            case 0 -> new AttributeValue.S("s" + r.nextInt(100_000));
            case 1 -> new AttributeValue.N(Integer.toString(r.nextInt(10_000)));
            case 2 -> new AttributeValue.Bool(r.nextBoolean());
            case 3 -> new AttributeValue.Null();
            case 4 -> new AttributeValue.SS(List.of("p" + r.nextInt(9), "q" + r.nextInt(9) + "x"));
            case 5, 6 -> map(r, depth);
            default -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int n = r.nextInt(3); n > 0; n--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
        };
    }
}
