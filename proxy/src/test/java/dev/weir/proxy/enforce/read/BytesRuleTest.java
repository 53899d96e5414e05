package dev.weir.proxy.enforce.read;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BytesRule} against the item model: on seeded random plans (nested removals,
 * allow-lists, masks on scalars and containers, wildcards, element masks) and random values
 * written as the store writes them (canonical: no binary, which the scan never calls
 * canonical), a member shown from its bytes is byte for
 * byte {@code out.member(name, redact(member))}, and nothing when redact removes it; where the
 * rule leaves the value to redact it says so instead of writing something else. Most members
 * of these plans are shown from their bytes, nested maps included.
 */
class BytesRuleTest {
    private static final List<String> CLAUSES = List.of(
            "fields [a, m.x, l]", "fields [*]", "fields [m.*]", "fields [m.x, m.y, s]", "fields [l[*].x]", "fields [m.x.*, a]",
            "mask a show_last(2)", "mask m.x hash", "remove m.y", "mask l[*] show_first(1)", "null c", "remove b",
            "mask m hash", "mask s unkeyed_sha256", "null m.x", "mask m.y show_first(1)", "mask m.* show_last(1)",
            "remove m.x.y", "mask a hmac(key: \"k\")", "mask m.x.z constant(\"c\")", "mask s round(10)", "remove m.z.x", "");
    private static final List<String> NAMES = List.of("a", "b", "c", "m", "l", "s", "zz");
    private static final String[] TEXT = {"a", "é", "x", " ", "0", "€", "-", "?"};

    @Test
    void membersShownFromTheirBytesAreThoseOfTheItemModel() {
        Random r = new Random(0x0B17E5L);
        int onBytes = 0, left = 0, removed = 0;
        for (int round = 0; round < 500; round++) {
            FieldPlan plan = plan(r);
            for (String name : NAMES) {
                if (plan.treatment(name) != FieldPlan.Treatment.REDACTED) continue;
                BytesRule rule = BytesRule.of(plan.rule(name));
                for (int i = 0; i < 6; i++) {
                    AttributeValue v = name.equals("m") && r.nextBoolean() ? map(r, 0) : value(r, 0);
                    AttributeValue shown = plan.redact(Map.of(name, v)).get(name);
                    AttributeValueBytes expected = new AttributeValueBytes(64);
                    expected.writeByte('{');
                    if (shown != null) expected.member(name, shown);
                    // the member as the store writes it, at an offset in a larger page
                    AttributeValueBytes page = new AttributeValueBytes(64);
                    page.writeByte('{');
                    page.member(name, v);
                    page.writeByte('}');
                    byte[] b = page.toByteArray();
                    int nameAt = 2, valueAt = 2 + name.length() + 2;
                    AttributeValueBytes got = new AttributeValueBytes(8);
                    got.writeByte('{');
                    if (!rule.member(got, b, nameAt, name.length(), valueAt, b.length - 1 - valueAt)) {
                        left++;
                        continue;
                    }
                    assertArrayEquals(expected.toByteArray(), got.toByteArray(), plan + " " + name + " " + v + ": "
                            + new String(got.toByteArray(), StandardCharsets.UTF_8));
                    if (shown == null) removed++;
                    onBytes++;
                }
            }
        }
        assertTrue(onBytes > 2_500 && removed > 20 && left > 100 && onBytes > 5 * left,
                onBytes + " on the bytes (" + removed + " removed), " + left + " left to redact");
    }

    @Test
    void theDemoPolicysAddressAndMasksAreShownFromTheirBytes() {
        FieldPlan plan = plan(List.of("fields [id, name, region, email, ssn, address.*]", "mask ssn show_last(4)", "mask email hash",
                "remove address.street"));
        for (String name : List.of("address", "ssn", "email")) {
            AttributeValue v = switch (name) {
                case "address" -> new AttributeValue.M(Map.of("street", new AttributeValue.S("1 Main Street"),
                        "city", new AttributeValue.S("Berlin")));
                case "ssn" -> new AttributeValue.S("123-45-6789");
                default -> new AttributeValue.S("ada@example.com");
            };
            AttributeValueBytes page = new AttributeValueBytes(64);
            page.writeByte('{');
            page.member(name, v);
            byte[] b = page.toByteArray();
            AttributeValueBytes got = new AttributeValueBytes(8);
            got.writeByte('{');
            assertTrue(BytesRule.of(plan.rule(name)).member(got, b, 2, name.length(), name.length() + 4, b.length - name.length() - 4),
                    name);
            AttributeValueBytes expected = new AttributeValueBytes(64);
            expected.writeByte('{');
            expected.member(name, plan.redact(Map.of(name, v)).get(name));
            assertArrayEquals(expected.toByteArray(), got.toByteArray(), name);
            assertFalse(new String(got.toByteArray(), StandardCharsets.UTF_8).contains("Main Street"));
        }
    }

    private static FieldPlan plan(Random r) {
        List<String> rules = new ArrayList<>();
        for (int n = 1 + r.nextInt(2); n > 0; n--) {
            StringBuilder rule = new StringBuilder();
            boolean listing = r.nextInt(3) == 0;
            for (int c = listing ? 1 : 1 + r.nextInt(3); c > 0; c--) {
                String clause = CLAUSES.get(r.nextInt(CLAUSES.size()));
                if (clause.startsWith("fields") != listing) continue;
                rule.append(clause).append(' ');
            }
            rules.add(rule.toString().trim());
        }
        return plan(rules);
    }

    private static FieldPlan plan(List<String> rules) {
        StringBuilder text = new StringBuilder("role a\n");
        for (String c : rules) text.append("allow a on table t op [Scan] ").append(c).append('\n');
        var loaded = PolicyLoader.load(List.of(new PolicySource("bytes.weir", text.toString())));
        var table = loaded.table().orElseThrow(() -> new IllegalArgumentException(loaded.errors() + "\n" + text));
        DecisionRequest request = new DecisionRequest("ada", Set.of("a"), Map.of(), "t", Operation.Scan, Context.NONE);
        return assertInstanceOf(Allowed.class, table.decide(request)).fields();
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(8); n > 0; n--) sb.append(TEXT[r.nextInt(TEXT.length)]);
        return sb.toString();
    }

    private static AttributeValue map(Random r, int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (String k : List.of("x", "y", "z", "w")) if (r.nextBoolean()) m.put(k, value(r, depth + 1));
        return new AttributeValue.M(m);
    }

    private static AttributeValue value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 6 : 10)) {
            case 0, 1 -> new AttributeValue.S(text(r));
            case 2 -> new AttributeValue.N(Integer.toString(r.nextInt(100_000) - 500));
            case 3 -> new AttributeValue.Bool(r.nextBoolean());
            case 4 -> new AttributeValue.Null();
            case 5 -> new AttributeValue.NS(List.of("1", Integer.toString(2 + r.nextInt(50))));
            case 6 -> new AttributeValue.SS(List.of("p" + r.nextInt(9), "q" + text(r)));
            case 7, 8 -> map(r, depth);
            default -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int n = r.nextInt(3); n > 0; n--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
        };
    }

    @Test
    void aRuleSaysWhenItLeavesTheValueToRedact() {
        // l[*] walks a list element by element: only redact does that
        FieldPlan plan = plan(List.of("mask l[*] show_first(1)"));
        AttributeValueBytes page = new AttributeValueBytes(64);
        page.writeByte('{');
        page.member("l", new AttributeValue.L(List.of(new AttributeValue.S("abc"))));
        byte[] b = page.toByteArray();
        AttributeValueBytes got = new AttributeValueBytes(8);
        got.writeByte('{');
        assertFalse(BytesRule.of(plan.rule("l")).member(got, b, 2, 1, 5, b.length - 5));
        assertEquals(FieldPlan.Treatment.REDACTED, plan.treatment("l"));
    }
}
