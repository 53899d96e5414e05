package dev.weir.policy.field;

import dev.weir.policy.Policies;
import dev.weir.policy.decision.Allowed;
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
            "mask * constant(\"*\")", "mask m hash", "mask s unkeyed_sha256", "remove \"d.e\"", "null m.x", "");
    private static final List<String> NAMES = List.of("a", "b", "c", "d.e", "m", "l", "s", "zz", "x");

    private static FieldPlan plan(List<String> rules) {
        StringBuilder text = new StringBuilder("role a\n");
        for (String c : rules) text.append("allow a on table t op * ").append(c).append('\n');
        return assertInstanceOf(Allowed.class,
                Policies.decide(Policies.table(text.toString()), Set.of("a"), "t", Operation.GetItem)).fields();
    }

    @Test
    void treatmentsAgreeWithRedact() {
        Random r = new Random(16);
        int shown = 0, removed = 0, redacted = 0;
        for (int round = 0; round < 400; round++) {
            List<String> rules = new ArrayList<>();
            for (int n = 1 + r.nextInt(2); n > 0; n--) {
                // a rule is a fields list alone or actions alone (an action must name a listed field)
                StringBuilder rule = new StringBuilder();
                boolean listing = r.nextInt(3) == 0;
                for (int c = listing ? 1 : r.nextInt(3); c > 0; c--) {
                    String clause = CLAUSES.get(r.nextInt(CLAUSES.size()));
                    if (clause.startsWith("fields") != listing) continue;
                    rule.append(clause).append(' ');
                }
                rules.add(rule.toString().trim());
            }
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

    private static AttributeValue value(Random r, int depth) {
        int kind = r.nextInt(depth > 2 ? 5 : 8);
        return switch (kind) {
            case 0 -> new AttributeValue.S("s" + r.nextInt(100_000));
            case 1 -> new AttributeValue.N(Integer.toString(r.nextInt(10_000)));
            case 2 -> new AttributeValue.Bool(r.nextBoolean());
            case 3 -> new AttributeValue.Null();
            case 4 -> new AttributeValue.SS(List.of("p" + r.nextInt(9), "q" + r.nextInt(9) + "x"));
            case 5, 6 -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (String k : List.of("x", "y", "z")) if (r.nextBoolean()) m.put(k, value(r, depth + 1));
                yield new AttributeValue.M(m);
            }
            default -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int n = r.nextInt(3); n > 0; n--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
        };
    }
}
