package dev.weir.protocol.expr;

import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class UpdateTest {
    private static final Map<String, AttributeValue> ITEM = map(
            "id", s("k"), "n", n("10"), "s", s("x"), "ss", ss("a", "b"), "ns", ns("1", "2"), "bs", bs(b(1), b(2)),
            "l", l(n("0"), n("1"), n("2"), n("3")), "m", m("a", n("1"), "l", l(s("p"), s("q"))));

    private static Update update(String text, Object... values) {
        return new ExpressionContext(names("#n", "n", "#d", "a.b"), map(values)).update(text);
    }

    private static Map<String, AttributeValue> apply(String text, Object... values) {
        return update(text, values).apply(ITEM);
    }

    private static String fails(String text, Object... values) {
        return error(() -> update(text, values));
    }

    private static String failsOn(Map<String, AttributeValue> item, String text, Object... values) {
        Update u = update(text, values);
        return error(() -> u.apply(item));
    }

    @Test void setValuesAndPaths() {
        Map<String, AttributeValue> after = apply("SET a = :v, b = n, c = m.l[1], #n = :w", ":v", s("new"), ":w", n("1.50"));
        assertEquals(s("new"), after.get("a"));
        assertEquals(n("10"), after.get("b"), "right-hand sides see the item before the update");
        assertEquals(s("q"), after.get("c"));
        assertEquals(n("1.5"), after.get("n"), "numbers are stored canonical");
        assertEquals(s("x"), ITEM.get("s"), "the input is not changed");
        assertEquals(n("10"), ITEM.get("n"));
    }

    @Test void setOnAMissingItem() {
        assertEquals(map("a", s("v")), update("SET a = :v", ":v", s("v")).apply(null));
        assertEquals(map("a", s("v")), update("SET a = :v", ":v", s("v")).apply(Map.of()));
    }

    @Test void arithmetic() {
        assertEquals(n("15"), apply("SET n = n + :v", ":v", n("5")).get("n"));
        assertEquals(n("5"), apply("SET n = n - :v", ":v", n("5")).get("n"));
        assertEquals(n("-0.5"), apply("SET z = :a - :b", ":a", n("0.5"), ":b", n("1")).get("z"));
        assertEquals(n("99999999999999999999999999999999999999"),
                apply("SET z = :a + :b", ":a", n("99999999999999999999999999999999999998"), ":b", n("1")).get("z"));
        assertEquals(n("0.3"), apply("SET z = :a + :b", ":a", n("0.1"), ":b", n("0.2")).get("z"));
        assertEquals(n("11"), apply("SET c = if_not_exists(c, :zero) + :one, n = n + :one", ":zero", n("10"), ":one", n("1")).get("c"));
    }

    @Test void arithmeticErrors() {
        assertEquals("The provided expression refers to an attribute that does not exist in the item",
                error(() -> apply("SET z = nope + :v", ":v", n("1"))));
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> apply("SET z = s + :v", ":v", n("1"))));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S",
                fails("SET z = n + :v", ":v", s("1")));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: L",
                fails("SET z = n - list_append(l, :v)", ":v", l()));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                error(() -> apply("SET z = :a + :b", ":a", n("99999999999999999999999999999999999999"), ":b", n("0.1"))));
    }

    /** A sum or difference is a number like any other: DynamoDB's limits apply to the result, with its messages. */
    @Test void arithmeticResultsAreCheckedAgainstDynamoDbsLimits() {
        String largest = "9." + "9".repeat(37) + "E+125";
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                error(() -> apply("SET z = :a + :b", ":a", n(largest), ":b", n("1E+125"))));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                error(() -> apply("SET z = :a - :b", ":a", n("-" + largest), ":b", n(largest))));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                error(() -> update("ADD z :v", ":v", n(largest)).apply(map("z", n(largest)))));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                error(() -> update("ADD n :v", ":v", n("5E+125")).apply(map("n", n("5E+125")))));
        assertEquals("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                error(() -> apply("SET z = :a - :b", ":a", n("1.1E-130"), ":b", n("1E-130"))));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                error(() -> apply("SET z = :a + :b", ":a", n("1E+125"), ":b", n("1E-130"))));
        assertEquals(n("1" + "0".repeat(36) + "1"), apply("SET z = :a + :b", ":a", n("1E+37"), ":b", n("1")).get("z"));
        assertEquals(n("0"), apply("SET z = :a - :b", ":a", n(largest), ":b", n(largest)).get("z"));
        assertEquals(n("0." + "0".repeat(129) + "2"),
                apply("SET z = :a + :b", ":a", n("1E-130"), ":b", n("1E-130")).get("z"));
    }

    @Test void ifNotExists() {
        assertEquals(n("10"), apply("SET z = if_not_exists(n, :v)", ":v", n("0")).get("z"));
        assertEquals(n("0"), apply("SET z = if_not_exists(nope, :v)", ":v", n("0")).get("z"));
        assertEquals(s("x"), apply("SET z = if_not_exists(nope, s)").get("z"));
        assertEquals("Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists",
                fails("SET z = if_not_exists(:v, n)", ":v", n("0")));
        assertEquals("Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1",
                fails("SET z = if_not_exists(n)"));
    }

    @Test void listAppend() {
        assertEquals(l(n("0"), n("1"), n("2"), n("3"), n("4")), apply("SET l = list_append(l, :v)", ":v", l(n("4"))).get("l"));
        assertEquals(l(n("-1"), n("0"), n("1"), n("2"), n("3")), apply("SET l = list_append(:v, l)", ":v", l(n("-1"))).get("l"));
        assertEquals(l(s("a")), apply("SET z = list_append(if_not_exists(z, :e), :v)", ":e", l(), ":v", l(s("a"))).get("z"));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
                fails("SET l = list_append(l, :v)", ":v", s("x")));
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> apply("SET l = list_append(s, l)")));
        assertEquals("The provided expression refers to an attribute that does not exist in the item",
                error(() -> apply("SET l = list_append(nope, l)")));
    }

    @Test void functionErrors() {
        assertEquals("Invalid UpdateExpression: Invalid function name; function: foo", fails("SET a = foo(b)"));
        assertEquals("Invalid UpdateExpression: The function is not allowed in an update expression; function: size", fails("SET a = size(b)"));
    }

    @Test void nestedSet() {
        Map<String, AttributeValue> after = apply("SET m.b = :v, m.l[0] = :w", ":v", n("2"), ":w", s("P"));
        assertEquals(m("a", n("1"), "l", l(s("P"), s("q")), "b", n("2")), after.get("m"));
        assertEquals("The document path provided in the update expression is invalid for update",
                error(() -> apply("SET nope.b = :v", ":v", n("1"))));
        assertEquals("The document path provided in the update expression is invalid for update",
                error(() -> apply("SET s.b = :v", ":v", n("1"))));
        assertEquals("The document path provided in the update expression is invalid for update",
                error(() -> apply("SET m[0] = :v", ":v", n("1"))));
        assertEquals("The document path provided in the update expression is invalid for update",
                error(() -> apply("SET l.a = :v", ":v", n("1"))));
    }

    @Test void listIndexPastTheEndAppends() {
        assertEquals(l(n("0"), n("1"), n("2"), n("3"), s("x")), apply("SET l[10] = :v", ":v", s("x")).get("l"));
        assertEquals(l(n("0"), n("1"), n("2"), n("3"), s("y"), s("x")), apply("SET l[10] = :x, l[7] = :y", ":x", s("x"), ":y", s("y")).get("l"));
        assertEquals(l(n("0"), s("x"), n("2"), n("3")), apply("SET l[1] = :v", ":v", s("x")).get("l"));
    }

    @Test void remove() {
        Map<String, AttributeValue> after = apply("REMOVE s, nope, m.a, ss");
        assertFalse(after.containsKey("s"));
        assertFalse(after.containsKey("ss"));
        assertEquals(m("l", l(s("p"), s("q"))), after.get("m"));
        assertEquals(l(n("1"), n("3")), apply("REMOVE l[0], l[2]").get("l"), "indexes refer to the list before the update");
        assertEquals(l(n("0"), n("1"), n("2"), n("3")), apply("REMOVE l[9]").get("l"));
        assertEquals(m("a", n("1"), "l", l(s("q"))), apply("REMOVE m.l[0]").get("m"));
        assertEquals("The document path provided in the update expression is invalid for update",
                error(() -> apply("REMOVE nope.a")));
    }

    @Test void addNumbersAndSets() {
        assertEquals(n("11"), apply("ADD n :v", ":v", n("1")).get("n"));
        assertEquals(n("-1.5"), apply("ADD z :v", ":v", n("-1.50")).get("z"));
        assertEquals(ss("a", "b", "c"), apply("ADD ss :v", ":v", ss("b", "c")).get("ss"));
        assertEquals(ns("1", "2", "3"), apply("ADD ns :v", ":v", ns("2.0", "3")).get("ns"));
        assertEquals(bs(b(1), b(2), b(3)), apply("ADD bs :v", ":v", bs(b(3))).get("bs"));
        assertEquals(ss("q"), apply("ADD z :v", ":v", ss("q")).get("z"));
        assertEquals(n("2"), apply("ADD m.a :v", ":v", n("1")).get("m") instanceof AttributeValue.M mm ? mm.value().get("a") : null);
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> apply("ADD s :v", ":v", n("1"))));
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> apply("ADD ss :v", ":v", ns("1"))));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
                fails("ADD n :v", ":v", s("1")));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
                fails("ADD n :v", ":v", l()));
    }

    @Test void deleteFromSets() {
        assertEquals(ss("b"), apply("DELETE ss :v", ":v", ss("a", "z")).get("ss"));
        assertEquals(ns("2"), apply("DELETE ns :v", ":v", ns("1.0")).get("ns"));
        assertEquals(bs(b(2)), apply("DELETE bs :v", ":v", bs(b(1))).get("bs"));
        assertFalse(apply("DELETE ss :v", ":v", ss("a", "b")).containsKey("ss"), "an emptied set is removed");
        assertFalse(apply("DELETE nope :v", ":v", ss("a")).containsKey("nope"));
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> apply("DELETE ss :v", ":v", ns("1"))));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
                fails("DELETE ns :v", ":v", n("1")));
    }

    @Test void everyClauseTogether() {
        Map<String, AttributeValue> after = apply("SET a = :a REMOVE s ADD n :one DELETE ss :b",
                ":a", s("A"), ":one", n("1"), ":b", ss("b"));
        assertEquals(s("A"), after.get("a"));
        assertFalse(after.containsKey("s"));
        assertEquals(n("11"), after.get("n"));
        assertEquals(ss("a"), after.get("ss"));
        assertEquals(after, apply("delete ss :b add n :one remove s set a = :a", ":a", s("A"), ":one", n("1"), ":b", ss("b")));
    }

    @Test void eachClauseOnce() {
        assertEquals("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                fails("SET a = :v SET b = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: The \"ADD\" section can only be used once in an update expression;",
                fails("ADD x :one SET a = :one add y :one", ":one", n("1")));
        assertEquals("Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;",
                fails("REMOVE a REMOVE b"));
        assertEquals("Invalid UpdateExpression: The \"DELETE\" section can only be used once in an update expression;",
                fails("DELETE a :v DELETE b :v", ":v", ss("a")));
    }

    @Test void overlappingPaths() {
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
                fails("SET a = :v REMOVE a.b", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
                fails("SET a = :v, a = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l, [1]], path two: [l, [1], x]",
                fails("REMOVE l[1] SET l[1].x = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
                fails("SET a.b = :v, a[1] = :v", ":v", n("1")));
        assertDoesNotThrow(() -> update("SET a.b = :v, a.c = :v, l[0] = :v, l[1] = :v", ":v", n("1")));
        assertDoesNotThrow(() -> update("SET #d = :v, a = :v", ":v", n("1")));
    }

    @Test void syntaxAndSemanticErrors() {
        assertEquals("Invalid UpdateExpression: The expression can not be empty;", fails(""));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"", fails("SET"));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\"", fails("SET a ="));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"", fails("SET path = VALUE 1"));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"/\", near: \"n / :v\"", fails("SET a = n / :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"+\", near: \":v + :v\"", fails("SET a = :v + :v + :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"a\", near: \"a =\"", fails("a = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name", fails("SET name = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                fails("SET #x = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x",
                fails("SET a = :x"));
    }

    @Test void readAndWritePaths() {
        Update u = update("SET a = b, c.d = if_not_exists(e, :v) + f, g = list_append(h, :l) REMOVE i[1] ADD j :v DELETE k :s",
                ":v", n("1"), ":l", l(), ":s", ss("x"));
        assertEquals(Set.of(Path.of("b"), Path.of("e"), Path.of("f"), Path.of("h")), u.readPaths());
        assertEquals(Set.of(Path.of("a"), Path.of("c", "d"), Path.of("g"), Path.of("i", 1), Path.of("j"), Path.of("k")), u.writePaths());
        assertEquals(6, u.expression().actions().size());
        assertInstanceOf(UpdateAction.Remove.class, u.expression().actions().get(3));
    }
}
