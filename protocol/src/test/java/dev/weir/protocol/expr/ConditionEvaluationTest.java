package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class ConditionEvaluationTest {
    private static final Map<String, AttributeValue> ITEM = map(
            "s", s("hello"), "n", n("10"), "b", b(1, 2, 255), "t", bool(true), "z", nul(),
            "ss", ss("a", "b"), "ns", ns("1", "2.5"), "bs", bs(b(1), b(2)),
            "l", l(s("x"), n("1"), m("k", s("v"))),
            "m", m("k", s("v"), "nest", m("deep", n("3")), "lst", l(n("7"), n("8"))),
            "uni", s("\uFFFF"), "emoji", s("\uD83D\uDE00"));

    private static boolean test(String text, Object... values) {
        return test(ITEM, text, values);
    }

    private static boolean test(Map<String, AttributeValue> item, String text, Object... values) {
        ExpressionContext ctx = new ExpressionContext(names("#s", "s", "#dot", "a.b"), map(values));
        return ctx.condition("ConditionExpression", text).test(item);
    }

    @Test void equalityOnEveryType() {
        assertTrue(test("s = :v", ":v", s("hello")));
        assertTrue(test("n = :v", ":v", n("10.000")));
        assertTrue(test("n = :v", ":v", n("1E1")));
        assertTrue(test("b = :v", ":v", b(1, 2, 255)));
        assertTrue(test("t = :v", ":v", bool(true)));
        assertTrue(test("z = :v", ":v", nul()));
        assertTrue(test("ss = :v", ":v", ss("b", "a")));
        assertTrue(test("ns = :v", ":v", ns("2.50", "1")));
        assertTrue(test("bs = :v", ":v", bs(b(2), b(1))));
        assertTrue(test("l = :v", ":v", l(s("x"), n("1.0"), m("k", s("v")))));
        assertTrue(test("m.nest = :v", ":v", m("deep", n("3"))));
        assertFalse(test("l = :v", ":v", l(n("1"), s("x"), m("k", s("v")))));
        assertFalse(test("ss = :v", ":v", ss("a")));
    }

    @Test void differentTypesAreNeverEqualNorOrdered() {
        assertFalse(test("n = :v", ":v", s("10")));
        assertTrue(test("n <> :v", ":v", s("10")));
        assertFalse(test("n < :v", ":v", s("99")));
        assertFalse(test("n >= :v", ":v", s("1")));
        assertFalse(test("ss < :v", ":v", ss("z")));
        assertFalse(test("t > :v", ":v", bool(false)));
    }

    @Test void missingAttributes() {
        assertFalse(test("nope = :v", ":v", s("x")));
        assertTrue(test("nope <> :v", ":v", s("x")));
        assertFalse(test("nope < :v", ":v", s("x")));
        assertFalse(test("nope BETWEEN :a AND :b", ":a", n("1"), ":b", n("2")));
        assertFalse(test("nope IN (:a)", ":a", n("1")));
        assertFalse(test("begins_with(nope, :a)", ":a", s("")));
        assertFalse(test("contains(nope, :a)", ":a", s("")));
        assertFalse(test("size(nope) >= :a", ":a", n("0")));
        assertFalse(test("m.nope.deeper = :a", ":a", n("0")));
        assertFalse(test("s[0] = :a", ":a", s("hello")));
        assertTrue(test(Map.of(), "attribute_not_exists(s)"));
        assertTrue(test((Map<String, AttributeValue>) null, "attribute_not_exists(s)"));
    }

    @Test void numbersCompareNumerically() {
        assertTrue(test("n > :v", ":v", n("9.99999999999999999999999999999")));
        assertTrue(test("n < :v", ":v", n("100")));
        assertTrue(test("n > :v", ":v", n("-1E+100")));
        assertTrue(test("n <= :v", ":v", n("10")));
        assertTrue(test("n >= :v", ":v", n("10.0")));
    }

    @Test void stringsCompareByUtf8Bytes() {
        assertTrue(test("s > :v", ":v", s("Hello")));
        assertTrue(test("s < :v", ":v", s("hello!")));
        // U+FFFF sorts before U+1F600 in UTF-8, although its UTF-16 code unit is larger
        assertTrue(test("uni < emoji"));
        assertTrue(test("emoji > uni"));
    }

    @Test void binariesCompareUnsigned() {
        assertTrue(test("b > :v", ":v", b(1, 2, 127)));
        assertTrue(test("b < :v", ":v", b(1, 3)));
        assertTrue(test("b > :v", ":v", b(1, 2)));
    }

    @Test void between() {
        assertTrue(test("n BETWEEN :a AND :b", ":a", n("10"), ":b", n("10")));
        assertTrue(test("n BETWEEN :a AND :b", ":a", n("-5"), ":b", n("50")));
        assertFalse(test("n BETWEEN :a AND :b", ":a", n("11"), ":b", n("50")));
        assertTrue(test("s BETWEEN :a AND :b", ":a", s("h"), ":b", s("i")));
        assertFalse(test("s BETWEEN :a AND :b", ":a", n("1"), ":b", n("2")));
        assertTrue(test("b BETWEEN :a AND :b", ":a", b(1), ":b", b(2)));
    }

    @Test void in() {
        assertTrue(test("n IN (:a, :b)", ":a", s("10"), ":b", n("10")));
        assertFalse(test("n IN (:a, :b)", ":a", s("10"), ":b", n("11")));
        assertTrue(test("m.nest IN (:a)", ":a", m("deep", n("3.0"))));
        assertTrue(test("s IN (m.k, #s)"));
    }

    @Test void beginsWith() {
        assertTrue(test("begins_with(s, :p)", ":p", s("hel")));
        assertTrue(test("begins_with(#s, :p)", ":p", s("")));
        assertFalse(test("begins_with(s, :p)", ":p", s("hello world")));
        assertTrue(test("begins_with(b, :p)", ":p", b(1, 2)));
        assertFalse(test("begins_with(b, :p)", ":p", b(2)));
        assertFalse(test("begins_with(ss, :p)", ":p", s("a")));
        assertFalse(test("begins_with(b, :p)", ":p", s("a")));
    }

    @Test void contains() {
        assertTrue(test("contains(s, :v)", ":v", s("ell")));
        assertFalse(test("contains(s, :v)", ":v", s("xyz")));
        assertTrue(test("contains(ss, :v)", ":v", s("a")));
        assertFalse(test("contains(ss, :v)", ":v", s("c")));
        assertTrue(test("contains(ns, :v)", ":v", n("2.50")));
        assertFalse(test("contains(ns, :v)", ":v", s("1")));
        assertTrue(test("contains(bs, :v)", ":v", b(2)));
        assertTrue(test("contains(l, :v)", ":v", n("1")));
        assertTrue(test("contains(l, :v)", ":v", m("k", s("v"))));
        assertFalse(test("contains(l, :v)", ":v", s("1")));
        assertFalse(test("contains(n, :v)", ":v", n("1")));
        assertFalse(test("contains(m, :v)", ":v", s("k")));
        assertFalse(test("contains(s, m.k)"));
    }

    @Test void attributeExistsAndType() {
        assertTrue(test("attribute_exists(m.nest.deep)"));
        assertTrue(test("attribute_exists(l[2].k)"));
        assertFalse(test("attribute_exists(l[3])"));
        assertTrue(test("attribute_not_exists(m.nest.shallow)"));
        for (String[] pair : new String[][] {{"s", "S"}, {"n", "N"}, {"b", "B"}, {"t", "BOOL"}, {"z", "NULL"},
                {"ss", "SS"}, {"ns", "NS"}, {"bs", "BS"}, {"l", "L"}, {"m", "M"}}) {
            assertTrue(test("attribute_type(" + pair[0] + ", :t)", ":t", s(pair[1])), pair[0]);
            assertFalse(test("attribute_type(" + pair[0] + ", :t)", ":t", s(pair[1].equals("S") ? "N" : "S")), pair[0]);
        }
        assertFalse(test("attribute_type(nope, :t)", ":t", s("S")));
    }

    @Test void size() {
        assertTrue(test("size(s) = :v", ":v", n("5")));
        assertTrue(test("size(b) = :v", ":v", n("3")));
        assertTrue(test("size(ss) = :v", ":v", n("2")));
        assertTrue(test("size(ns) = :v", ":v", n("2")));
        assertTrue(test("size(bs) = :v", ":v", n("2")));
        assertTrue(test("size(l) = :v", ":v", n("3")));
        assertTrue(test("size(m) = :v", ":v", n("3")));
        assertTrue(test("size(m.lst) < size(l)"));
        assertFalse(test("size(n) = :v", ":v", n("2")));
        assertFalse(test("size(t) >= :v", ":v", n("0")));
        assertTrue(test("size(:v) = :w", ":v", s("abc"), ":w", n("3")));
    }

    @Test void booleanLogic() {
        assertTrue(test("n = :ten AND s = :hello", ":ten", n("10"), ":hello", s("hello")));
        assertFalse(test("n = :ten AND s = :bye", ":ten", n("10"), ":bye", s("bye")));
        assertTrue(test("n = :eleven OR s = :hello", ":eleven", n("11"), ":hello", s("hello")));
        assertTrue(test("NOT n = :eleven", ":eleven", n("11")));
        assertFalse(test("NOT (n = :eleven OR s = :hello)", ":eleven", n("11"), ":hello", s("hello")));
        // NOT > AND > OR: true OR (false AND false)
        assertTrue(test("s = :hello OR n = :eleven AND n = :eleven", ":hello", s("hello"), ":eleven", n("11")));
        assertFalse(test("(s = :hello OR n = :eleven) AND n = :eleven", ":hello", s("hello"), ":eleven", n("11")));
    }

    @Test void nestedPathsAndIndexes() {
        assertTrue(test("m.nest.deep = :v", ":v", n("3")));
        assertTrue(test("m.lst[1] = :v", ":v", n("8")));
        assertTrue(test("l[2].k = :v", ":v", s("v")));
        assertTrue(test(map("a.b", n("1")), "#dot = :v", ":v", n("1")));
        assertFalse(test(map("a", m("b", n("1"))), "#dot = :v", ":v", n("1")));
        assertTrue(test(map("a", m("b", n("1"))), "a.b = :v", ":v", n("1")));
    }
}
