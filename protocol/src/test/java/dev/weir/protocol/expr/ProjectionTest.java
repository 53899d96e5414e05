package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class ProjectionTest {
    private static final Map<String, AttributeValue> ITEM = map(
            "id", s("k"), "a", m("b", n("1"), "c", n("2"), "d", l(m("x", n("1"), "y", n("2")), m("x", n("3")))),
            "l", l(s("p"), s("q"), s("r"), s("s")), "n", n("5"));

    private static Projection projection(String text) {
        return new ExpressionContext(names("#a", "a", "#id", "id"), null).projection(text);
    }

    private static String fails(String text) {
        return error(() -> projection(text));
    }

    @Test void topLevelAttributes() {
        assertEquals(map("id", s("k"), "n", n("5")), projection("id, n, nope").apply(ITEM));
        assertEquals(map(), projection("nope").apply(ITEM));
        assertEquals(map(), projection("id").apply(null));
    }

    @Test void nestedPathsKeepOnlyTheirParts() {
        assertEquals(map("a", m("b", n("1"))), projection("#a.b").apply(ITEM));
        assertEquals(map("a", m("b", n("1"), "c", n("2"))), projection("a.b, a.c, a.nope").apply(ITEM));
        assertEquals(map("a", m("d", l(m("x", n("3"))))), projection("a.d[1].x").apply(ITEM));
        assertEquals(map("a", m("d", l(m("y", n("2")), m("x", n("3"))))), projection("a.d[0].y, a.d[1].x").apply(ITEM));
        assertEquals(map(), projection("a.nope, n.x, l.x").apply(ITEM));
        assertEquals(map(), projection("a[0]").apply(ITEM));
    }

    @Test void listIndexesAreCompacted() {
        assertEquals(map("l", l(s("q"), s("s"))), projection("l[3], l[1], l[9]").apply(ITEM));
        assertEquals(map(), projection("l[9]").apply(ITEM));
    }

    @Test void pathsInOrder() {
        assertEquals(List.of(Path.of("id"), Path.of("a", "d", 0, "x"), Path.of("l", 2)), projection("#id, a.d[0].x, l[2]").paths());
    }

    @Test void errors() {
        assertEquals("Invalid ProjectionExpression: The expression can not be empty;", fails(""));
        assertEquals("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"", fails("a,"));
        assertEquals("Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"", fails("a b"));
        assertEquals("Invalid ProjectionExpression: Syntax error; token: \":v\", near: \":v\"", fails(":v"));
        assertEquals("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name", fails("a, name"));
        assertEquals("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                fails("#x"));
        assertEquals("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
                fails("a, #a.b"));
        assertEquals("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
                fails("a.b, a[0]"));
    }

    @Test void projectionsFromPaths() {
        Projection p = Projections.of(List.of(Path.of("a", "c"), Path.of("l", 0), Path.of("n")));
        assertEquals(map("a", m("c", n("2")), "l", l(s("p")), "n", n("5")), p.apply(ITEM));
        assertEquals(map("a", ITEM.get("a")), Projections.of(List.of(Path.of("a"), Path.of("a", "b"))).apply(ITEM));
    }
}
