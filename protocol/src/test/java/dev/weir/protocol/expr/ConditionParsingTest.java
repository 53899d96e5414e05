package dev.weir.protocol.expr;

import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.ConditionExpr.And;
import dev.weir.protocol.expr.ast.ConditionExpr.Compare;
import dev.weir.protocol.expr.ast.ConditionExpr.Not;
import dev.weir.protocol.expr.ast.ConditionExpr.Or;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class ConditionParsingTest {
    private static final Map<String, AttributeValue> VALUES = map(
            ":s", s("x"), ":t", s("y"), ":n", n("5"), ":m", n("1"), ":b", b(1), ":l", l(s("a")),
            ":bool", bool(true), ":null", nul(), ":type", s("S"), ":bad", s("STRING"));

    private static ConditionExpr parse(String text) {
        return new ExpressionContext(names("#n", "name", "#a", "a"), VALUES).condition("ConditionExpression", text).expression();
    }

    private static String fails(String text) {
        return error(() -> parse(text));
    }

    private static Compare eq(String path, String value) {
        return new Compare(Comparator.EQ, new Operand.PathOperand(Path.of(path)), new Operand.ValueOperand(value, VALUES.get(value)));
    }

    @Test void andBindsTighterThanOr() {
        assertEquals(new Or(eq("a", ":s"), new And(eq("b", ":s"), eq("c", ":s"))), parse("a = :s OR b = :s AND c = :s"));
        assertEquals(new Or(new And(eq("a", ":s"), eq("b", ":s")), eq("c", ":s")), parse("a = :s AND b = :s OR c = :s"));
    }

    @Test void notBindsTighterThanAnd() {
        assertEquals(new And(new Not(eq("a", ":s")), eq("b", ":s")), parse("NOT a = :s AND b = :s"));
        assertEquals(new Not(new Not(eq("a", ":s"))), parse("not not a = :s"));
    }

    @Test void parenthesesGroup() {
        assertEquals(new And(new Or(eq("a", ":s"), eq("b", ":s")), eq("c", ":s")), parse("(a = :s OR b = :s) AND c = :s"));
        assertEquals(new Not(new Or(eq("a", ":s"), eq("b", ":s"))), parse("NOT (a = :s OR b = :s)"));
        assertEquals(eq("a", ":s"), parse("(a) = (:s)"));
    }

    @Test void chainsAssociateLeft() {
        assertEquals(new Or(new Or(eq("a", ":s"), eq("b", ":s")), eq("c", ":s")), parse("a = :s OR b = :s OR c = :s"));
    }

    @Test void keywordsAreCaseInsensitive() {
        assertEquals(parse("a = :s AND b BETWEEN :m AND :n OR NOT c IN (:s)"),
                parse("a = :s and b between :m aNd :n or not c in (:s)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=", "<>", "<", "<=", ">", ">="})
    void everyComparator(String symbol) {
        Compare c = (Compare) parse("a " + symbol + " :n");
        assertEquals(Comparator.ofSymbol(symbol), c.comparator());
    }

    @Test void everyFunctionAndOperator() {
        assertInstanceOf(ConditionExpr.AttributeExists.class, parse("attribute_exists(a)"));
        assertInstanceOf(ConditionExpr.AttributeNotExists.class, parse("attribute_not_exists(a.b[1])"));
        assertInstanceOf(ConditionExpr.AttributeType.class, parse("attribute_type(a, :type)"));
        assertInstanceOf(ConditionExpr.BeginsWith.class, parse("begins_with(a, :s)"));
        assertInstanceOf(ConditionExpr.Contains.class, parse("contains(a, :s)"));
        Compare size = (Compare) parse("size(a) > :n");
        assertEquals(new Operand.Size(new Operand.PathOperand(Path.of("a"))), size.left());
        assertInstanceOf(ConditionExpr.Between.class, parse("a BETWEEN :m AND :n"));
        assertEquals(3, ((ConditionExpr.In) parse("a IN (:s, :t, b)")).candidates().size());
    }

    @Test void pathsResolveNamesAndIndexes() {
        Condition c = new ExpressionContext(names("#n", "name", "#d", "x.y"), VALUES).condition("FilterExpression",
                "#n.fst[2][0].#d = :s AND attribute_exists(lst[10])");
        assertEquals(Set.of(Path.of("name", "fst", 2, 0, "x.y"), Path.of("lst", 10)), c.paths());
        assertEquals("name.fst[2][0].x.y", Path.of("name", "fst", 2, 0, "x.y").toString());
    }

    @Test void pathsIncludeEveryOperand() {
        Condition c = new ExpressionContext(null, VALUES).condition("ConditionExpression",
                "size(a) > :n OR b IN (c, :s) OR d BETWEEN e AND :n OR begins_with(f, g) OR contains(h, i) OR NOT attribute_type(j, :type)");
        assertEquals(Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                c.paths().stream().map(Path::attribute).collect(java.util.stream.Collectors.toSet()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a =             | Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
            "foo             | Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"",
            "a = :s b        | Invalid ConditionExpression: Syntax error; token: \"b\", near: \":s b\"",
            "a == :s         | Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :s\"",
            "a = !!          | Invalid ConditionExpression: Syntax error; token: \"!\", near: \"= !!\"",
            "a = :s AND      | Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"",
            "(a = :s         | Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":s\"",
            "a IN ()         | Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"",
            "a + :n = :n     | Invalid ConditionExpression: Syntax error; token: \"+\", near: \"a + :n\"",
            "a[x] = :s       | Invalid ConditionExpression: Syntax error; token: \"x\", near: \"[x]\"",
    })
    void syntaxErrors(String text, String message) {
        assertEquals(message, fails(text));
    }

    @Test void emptyAndOversizedExpressions() {
        assertEquals("Invalid ConditionExpression: The expression can not be empty;", fails(""));
        assertEquals("Invalid ConditionExpression: The expression can not be empty;", fails("   "));
        String big = "a = :s" + " ".repeat(4091);
        assertEquals(4097, big.length());
        assertEquals("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
                fails(big));
        assertDoesNotThrow(() -> parse("a = :s" + " ".repeat(4090)));
    }

    @Test void reservedWords() {
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name", fails("name = :s"));
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size", fails("a.Size = :s"));
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: set", fails("set = :s"));
        assertDoesNotThrow(() -> parse("#n = :s"));
    }

    @Test void undefinedNamesAndValues() {
        assertEquals("Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                fails("#x = :s"));
        assertEquals("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x",
                fails("a = :x"));
        assertEquals("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x",
                fails("a = :x AND #y = :s"));
    }

    @Test void functionErrors() {
        assertEquals("Invalid ConditionExpression: Invalid function name; function: foo", fails("foo(a)"));
        assertEquals("Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS", fails("ATTRIBUTE_EXISTS(a)"));
        assertEquals("Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
                fails("if_not_exists(a, :s) = :s"));
        assertEquals("Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
                fails("attribute_exists(a, b)"));
        assertEquals("Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
                fails("begins_with(a)"));
        assertEquals("Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_not_exists",
                fails("attribute_not_exists(:s)"));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                fails("begins_with(a, :n)"));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: BOOL",
                fails("size(:bool) = :n"));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
                fails("attribute_type(a, :n)"));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}",
                fails("attribute_type(a, b)"));
        assertEquals("Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                fails("attribute_type(a, :bad)"));
    }

    @Test void misusedFunctions() {
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size",
                fails("size(a)"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists",
                fails("attribute_exists(a) = :s"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: contains",
                fails("size(contains(a, :s)) > :n"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with",
                fails("a BETWEEN :m AND begins_with(a, :s)"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_type",
                fails("a IN (:s, attribute_type(a, :type))"));
        assertDoesNotThrow(() -> parse("size(a) BETWEEN size(b) AND :n AND size(c) IN (:n, :m)"));
    }

    @Test void distinctOperands() {
        assertEquals("Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
                fails("a = a"));
        assertEquals("Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a, b, [1]]",
                fails("begins_with(a.b[1], a.b[1])"));
        assertDoesNotThrow(() -> parse("a.b = a.c"));
    }

    @Test void betweenBounds() {
        assertEquals("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:x}",
                fails("a BETWEEN :n AND :s"));
        assertEquals("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
                fails("a BETWEEN :n AND :m"));
        assertDoesNotThrow(() -> parse("a BETWEEN :n AND :n"));
    }

    @Test void redundantParentheses() {
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;", fails("((a = :s))"));
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;", fails("((a)) = :s"));
        assertDoesNotThrow(() -> parse("( (a = :s) )"));
        assertDoesNotThrow(() -> parse("(a = :s) AND (b = :s)"));
    }

    @Test void inTakesAtMostOneHundredOperands() {
        StringBuilder in = new StringBuilder("a IN (:s");
        for (int i = 1; i < 100; i++) in.append(", :s");
        assertDoesNotThrow(() -> parse(in + ")"));
        assertEquals("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
                fails(in + ", :s)"));
    }

    @Test void errorsNameTheirParameter() {
        ExpressionContext ctx = new ExpressionContext(null, null);
        assertTrue(error(() -> ctx.condition("FilterExpression", "a =")).startsWith("Invalid FilterExpression: Syntax error"));
        assertTrue(error(() -> ctx.condition("KeyConditionExpression", "a =")).startsWith("Invalid KeyConditionExpression: Syntax error"));
    }

    @Test void errorOrderFollowsDynamoDb() {
        // an unknown function is reported before a reserved word, which is reported before an undefined value
        assertEquals("Invalid ConditionExpression: Invalid function name; function: foo", fails("name = :x OR foo(a)"));
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name", fails("a = :x OR name = :s"));
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;", fails("((foo(a)))"));
    }
}
