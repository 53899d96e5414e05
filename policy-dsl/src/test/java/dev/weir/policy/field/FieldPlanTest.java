package dev.weir.policy.field;

import dev.weir.policy.Policies;
import dev.weir.policy.decision.Allowed;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.B;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.Bytes;
import dev.weir.protocol.model.AttributeValue.L;
import dev.weir.protocol.model.AttributeValue.M;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.NS;
import dev.weir.protocol.model.AttributeValue.Null;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValue.SS;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldPlanTest {
    private static final String SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /** The field plan of one or more allow rules, each given as its clauses. */
    private static FieldPlan plan(String... ruleClauses) {
        StringBuilder text = new StringBuilder("role a\n");
        for (String c : ruleClauses) text.append("allow a on table t op * ").append(c).append('\n');
        return assertInstanceOf(Allowed.class,
                Policies.decide(Policies.table(text.toString()), Set.of("a"), "t", Operation.GetItem)).fields();
    }

    private static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return m;
    }

    private static M map(Object... kv) {
        return new M(item(kv));
    }

    @Test
    void partialMasksOnStrings() {
        assertEquals(item("ssn", new S("****6789")), plan("mask ssn show_last(4)").redact(item("ssn", new S("123-45-6789"))));
        assertEquals(item("ssn", new S("123****")), plan("mask ssn show_first(3)").redact(item("ssn", new S("123-45-6789"))));
        assertEquals(item("ssn", new S("********")), plan("mask ssn show_last(4)").redact(item("ssn", new S("abc"))),
                "a value no longer than n is not shown at all");
        assertEquals(item("s", new S("****ü😀")), plan("mask s show_last(2)").redact(item("s", new S("abü😀"))));
        assertEquals(item("s", new S("****")), plan("mask s show_last(0)").redact(item("s", new S("abc"))));
    }

    @Test
    void hashAndConstant() {
        String keyed = "test:" + MasksThatHoldTest.hmacHex(HmacKeys.forTesting().hashKey().orElseThrow().secret(), "abc");
        assertEquals(item("x", new S(keyed)), plan("mask x hash").redact(item("x", new S("abc"))));
        assertEquals(item("x", new S(keyed)), plan("mask x hash").redact(item("x", new B(new Bytes("abc".getBytes(StandardCharsets.UTF_8))))));
        assertEquals(item("x", new S(SHA_ABC)), plan("mask x unkeyed_sha256").redact(item("x", new S("abc"))));
        assertEquals(item("x", new S(SHA_ABC)),
                plan("mask x unkeyed_sha256").redact(item("x", new B(new Bytes("abc".getBytes(StandardCharsets.UTF_8))))));
        assertEquals(item("x", new S("n/a")), plan("mask x constant(\"n/a\")").redact(item("x", new N("42"))));
    }

    @Test
    void partialMasksKeepNumbersNumbersWhileBinaryAndBooleansBecomeStrings() {
        FieldPlan p = plan("mask n show_last(2) mask m show_first(2) mask b show_first(2) mask f show_first(1) mask h hash");
        Map<String, AttributeValue> out = p.redact(item("n", new N("12345"), "m", new N("-98123.5"),
                "b", new B(new Bytes(new byte[]{1, 2, 3})), "f", new Bool(false), "z", new Null(), "h", new N("7")));
        assertEquals(new N("45"), out.get("n"));
        assertEquals(new N("-98000.0"), out.get("m"));
        assertTrue(((S) out.get("h")).value().matches("test:[0-9a-f]{64}"), "hash turns a number into a string");
        assertEquals(new S("AQ****"), out.get("b"));
        assertEquals(new S("f****"), out.get("f"));
        assertEquals(new Null(), out.get("z"));
    }

    @Test
    void masksOnContainersMaskThemAsAWhole() {
        FieldPlan p = plan("mask tags show_first(1) mask nums constant(\"#\") mask list show_last(1) mask m constant(0)");
        Map<String, AttributeValue> out = p.redact(item(
                "tags", new SS(List.of("abc", "axe", "bcd")),
                "nums", new NS(List.of("1", "2")),
                "list", new L(List.of(new S("xy"), new N("12"), new Null(), map("k", new S("ab")))),
                "m", map("k", new S("ab"), "inner", new L(List.of(new S("cd"))))));
        assertEquals(new S("{****"), out.get("tags"));
        assertEquals(new S("#"), out.get("nums"));
        assertEquals(new S("****}"), out.get("list"));
        assertEquals(new N("0"), out.get("m"));
    }

    @Test
    void elementMasksOnListsAndSets() {
        FieldPlan p = plan("mask tags[*] show_first(1) mask nums[*] round(10) mask list[*] show_last(1) mask words[*] round(5)");
        Map<String, AttributeValue> out = p.redact(item(
                "tags", new SS(List.of("abc", "axe", "bcd")),
                "nums", new NS(List.of("11", "12", "27")),
                "list", new L(List.of(new S("xy"), new N("12"), new Null(), map("k", new S("ab")))),
                "words", new SS(List.of("a"))));
        assertEquals(new SS(List.of("a****", "b****")), out.get("tags"), "a set stays a set; equal masked elements merge");
        assertEquals(new NS(List.of("10", "30")), out.get("nums"));
        assertEquals(new L(List.of(new S("****y"), new N("2"), new Null(), new S("****}"))), out.get("list"),
                "an element that is a map is masked as a whole");
        assertEquals(new Null(), out.get("words"), "round on strings: NULL");
    }

    @Test
    void nullAndRemove() {
        FieldPlan p = plan("null a remove b");
        assertEquals(item("a", new Null(), "c", new S("c")), p.redact(item("a", map("x", new S("1")), "b", new S("b"), "c", new S("c"))));
        assertEquals(List.of("a"), p.maskedPaths());
        assertEquals(List.of("b"), p.removedPaths());
        assertFalse(p.isIdentity());
    }

    @Test
    void fieldsNotInTheAllowListAreRemoved() {
        FieldPlan p = plan("fields [id, \"display name\"]");
        assertEquals(item("id", new S("1"), "display name", new S("Ada")),
                p.redact(item("id", new S("1"), "secret", new S("s"), "display name", new S("Ada"))));
        assertFalse(p.isIdentity());
    }

    @Test
    void nestedPaths() {
        Map<String, AttributeValue> person = item("id", new S("1"),
                "address", map("city", new S("Berlin"), "street", new S("Main 1"), "geo", map("lat", new N("52"), "lon", new N("13"))));

        assertEquals(item("id", new S("1"), "address", map("city", new S("Berlin"), "geo", map("lat", new N("52"), "lon", new N("13")))),
                plan("remove address.street").redact(person));
        assertEquals(item("address", map("city", new S("Berlin"))), plan("fields [address.city]").redact(person));
        assertEquals(item("address", person.get("address")), plan("fields [address.*]").redact(person));
        assertEquals(item("address", person.get("address")), plan("fields [address]").redact(person));
        assertEquals(item("address", map("geo", map("lat", new N("52")))), plan("fields [address.*.lat]").redact(person));
        // an allow-listed sub-path of something that is not a map: nothing to show
        assertEquals(item(), plan("fields [address.city]").redact(item("address", new S("Main 1, Berlin"))));
        // wildcard and named actions combine; the stricter wins per key
        // (a mask on address.* masks each value of the map; the map under geo as a whole)
        assertEquals(item("address", map("city", new S("B****"), "street", new Null(), "geo", new S("{****"))),
                plan("fields [address.*] mask address.* show_first(1) null address.street").redact(person));
        // a mask on the map masks it whole, after what further down is removed
        String rest = "{\"M\":{\"city\":{\"S\":\"Berlin\"},\"geo\":{\"M\":{\"lat\":{\"N\":\"52\"},\"lon\":{\"N\":\"13\"}}}}}";
        assertEquals(new S("test:" + MasksThatHoldTest.hmacHex(HmacKeys.forTesting().hashKey().orElseThrow().secret(), rest)),
                plan("mask address hash remove address.street").redact(person).get("address"));
        assertEquals(new S("*"), plan("mask address constant(\"*\") remove address.street").redact(person).get("address"));
    }

    @Test
    void unionAcrossRulesOfNestedFields() {
        Map<String, AttributeValue> doc = item("address", map("city", new S("Berlin"), "street", new S("Main 1"), "zip", new S("10115")));
        assertEquals(item("address", map("city", new S("Berlin"), "zip", new S("10115"))),
                plan("fields [address.city]", "fields [address.zip]").redact(doc));
    }

    @Test
    void identityPassesTheItemThrough() {
        FieldPlan p = plan("");
        assertTrue(p.isIdentity());
        Map<String, AttributeValue> item = item("x", new S("y"));
        assertSame(item, p.redact(item));
        assertTrue(plan("fields [*]").redact(item).equals(item));
        assertFalse(plan("fields [*]").isIdentity());
        assertEquals(List.of(), p.maskedPaths());
    }

    @Test
    void canReadInClear() {
        FieldPlan p = plan("fields [id, ssn, address, meta.public] mask ssn show_last(4) remove address.street");
        assertTrue(p.canReadInClear("id"));
        assertFalse(p.canReadInClear("ssn"));
        assertFalse(p.canReadInClear("salary"));
        assertFalse(p.canReadInClear("address"), "a hidden sub-field makes the whole map unreadable");
        assertTrue(p.canReadInClear("address.city"));
        assertTrue(p.canReadInClear("address.city.x"));
        assertFalse(p.canReadInClear("address.street"));
        assertFalse(p.canReadInClear("meta"));
        assertTrue(p.canReadInClear("meta.public"));
        assertTrue(p.canReadInClear("meta.public[3].x"));
        assertFalse(p.canReadInClear("meta.private"));
        assertTrue(plan("").canReadInClear("anything.at.all"));
        assertFalse(plan("mask tags.* hash").canReadInClear("tags"));
        assertTrue(plan("mask tags.* hash").canReadInClear("other"));
    }

    @Test
    void canReadInClearTakesEachNameOfAParsedPathAsOneKey() {
        FieldPlan p = plan("fields [id, \"a.b\", c.d, \"x[1]\", meta.public, tags] mask tags[*] hash");
        assertTrue(p.canReadInClear(Path.of("a.b")), "the attribute named a.b");
        assertFalse(p.canReadInClear(Path.of("a", "b")), "not the key b of an attribute a");
        assertTrue(p.canReadInClear(Path.of("c", "d")));
        assertFalse(p.canReadInClear(Path.of("c.d")), "an attribute named c.d is not the key d of c");
        assertTrue(p.canReadInClear(Path.of("x[1]")));
        assertFalse(p.canReadInClear(Path.of("x", 1)));
        assertTrue(p.canReadInClear(Path.of("meta", "public", 3, "x")));
        assertFalse(p.canReadInClear(Path.of("meta")));
        assertFalse(p.canReadInClear(Path.of("tags")));
        assertFalse(p.canReadInClear(Path.of("tags", 0)));
        assertFalse(p.canReadInClear(Path.of("nope")));
        assertTrue(plan("").canReadInClear(Path.of("a.b", "c[2]", 4)));
    }

    /** For paths whose names hold no '.', '[' or ']', the parsed and the dotted form agree. */
    @Test
    void parsedAndDottedPathsAgree() {
        List<FieldPlan> plans = List.of(
                plan("fields [id, ssn, address, meta.public] mask ssn show_last(4) remove address.street"),
                plan("fields [tags, list[*].x, m.*] mask tags[*] hash remove m.secret"),
                plan("mask tags.* hash"), plan(""), plan("fields [a.b.c] null a.b.c.d"));
        String[] names = {"id", "ssn", "address", "street", "city", "meta", "public", "tags", "list", "x", "m", "secret",
                "a", "b", "c", "d", "other"};
        java.util.Random random = new java.util.Random(13);
        for (int n = 0; n < 3000; n++) {
            List<Object> rest = new java.util.ArrayList<>();
            int length = random.nextInt(4);
            for (int i = 0; i < length; i++) rest.add(random.nextInt(4) == 0 ? (Object) random.nextInt(3) : names[random.nextInt(names.length)]);
            Path path = Path.of(names[random.nextInt(names.length)], rest.toArray());
            for (FieldPlan p : plans) {
                assertEquals(p.canReadInClear(path.toString()), p.canReadInClear(path), path + " under " + p);
            }
        }
    }

    @Test
    void strictnessTieBreaks() {
        var hash = new dev.weir.policy.ast.FieldAction.Hash();
        var c1 = new dev.weir.policy.ast.FieldAction.Constant("a");
        var c2 = new dev.weir.policy.ast.FieldAction.Constant("b");
        var first4 = new dev.weir.policy.ast.FieldAction.MaskShowFirst(4);
        var last4 = new dev.weir.policy.ast.FieldAction.MaskShowLast(4);
        var last2 = new dev.weir.policy.ast.FieldAction.MaskShowLast(2);
        assertEquals(c1, Strictness.stricter(hash, c1));
        assertEquals(c1, Strictness.stricter(c1, hash));
        assertEquals(c1, Strictness.stricter(c2, c1));
        assertEquals(c1, Strictness.stricter(c1, c2));
        assertEquals(last4, Strictness.stricter(first4, last4));
        assertEquals(last4, Strictness.stricter(last4, first4));
        assertEquals(last2, Strictness.stricter(first4, last2));
        assertEquals(last2, Strictness.stricter(last2, first4));
        assertEquals(hash, Strictness.stricter(last2, hash));
    }
}
