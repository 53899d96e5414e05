package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A syntax tree reused from a kept build ({@link BuildTemplate}) is exactly the tree a build
 * from scratch gives for the same request: the same tree (values and names resolved per
 * request), the same error, the same placeholders used. Seeded random expressions of all three
 * kinds, each parsed with many random name and value maps (names that differ or are missing,
 * values of every type, bounds out of order, type names that are no types); and the hostile
 * cases by hand: a text whose meaning changes with its substitutions is never served from a
 * template made under other ones, and a template keeps no request's values.
 */
class BuildTemplateTest {
    private static final String[] NAME_REFS = {"#a", "#b", "#c"};
    private static final String[] VALUE_REFS = {":a", ":b", ":c"};
    private static final String[] NAMES = {"x", "y", "tags", "region", "ssn"};

    /** Substitutions over fixed maps that record which placeholders were used, as ExpressionContext does. */
    private static final class Recording implements Substitutions {
        final Map<String, String> names;
        final Map<String, AttributeValue> values;
        final Set<String> used = new TreeSet<>();

        Recording(Map<String, String> names, Map<String, AttributeValue> values) {
            this.names = names;
            this.values = values;
        }

        @Override public String name(String ref) {
            String n = names.get(ref);
            if (n != null) used.add(ref);
            return n;
        }

        @Override public AttributeValue value(String ref) {
            AttributeValue v = values.get(ref);
            if (v != null) used.add(ref);
            return v;
        }
    }

    /** A tree or an error message, and the placeholders used. */
    private record Outcome(Object tree, String error, Set<String> used) {}

    private static Outcome run(Function<Substitutions, Object> parse, Map<String, String> names, Map<String, AttributeValue> values) {
        Recording s = new Recording(names, values);
        try {
            return new Outcome(parse.apply(s), null, s.used);
        } catch (DynamoException e) {
            return new Outcome(null, e.error().message(), s.used);
        }
    }

    @Test
    void reusedConditionsAreTheTreesABuildFromScratchGives() {
        int reused = differential(new SplittableRandom(1601), r -> condition(r, 0), text -> new Kind(
                s -> ExpressionParser.condition("ConditionExpression", text, s),
                s -> ExpressionParser.conditionAnew("ConditionExpression", text, s)));
        assertTrue(reused > 500, "templates were reused " + reused + " times");
    }

    @Test
    void reusedUpdatesAreTheTreesABuildFromScratchGives() {
        int reused = differential(new SplittableRandom(1602), BuildTemplateTest::update, text -> new Kind(
                s -> ExpressionParser.update(text, s), s -> ExpressionParser.updateAnew(text, s)));
        assertTrue(reused > 500, "templates were reused " + reused + " times");
    }

    @Test
    void reusedProjectionsAreTheTreesABuildFromScratchGives() {
        int reused = differential(new SplittableRandom(1603), BuildTemplateTest::projection, text -> new Kind(
                s -> ExpressionParser.projection(text, s), s -> ExpressionParser.projectionAnew(text, s)));
        assertTrue(reused > 500, "templates were reused " + reused + " times");
    }

    private record Kind(Function<Substitutions, Object> kept, Function<Substitutions, Object> anew) {}

    /** Compares the kept parse with one from scratch; returns how often a template's tree was reused. */
    private static int differential(SplittableRandom random, Function<SplittableRandom, String> texts, Function<String, Kind> kinds) {
        int reused = 0, trees = 0, errors = 0;
        for (int t = 0; t < 80; t++) {
            // Sixteen spaces make the text this test's own: no other test's template is in the way.
            String text = texts.apply(random) + " ".repeat(16);
            Kind kind = kinds.apply(text);
            Set<Path> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int call = 0; call < 150; call++) {
                Map<String, String> names = names(random);
                Map<String, AttributeValue> values = values(random);
                Outcome expected = run(kind.anew(), names, values);
                Outcome actual = run(kind.kept(), names, values);
                assertEquals(expected, actual, () -> text + " with " + names + " " + values);
                if (actual.tree() != null) {
                    trees++;
                    Path first = firstPath(actual.tree());
                    if (first != null && !seen.add(first)) reused++;
                } else {
                    errors++;
                }
            }
        }
        assertTrue(trees > 1_000 && errors > 1_000, trees + " trees, " + errors + " errors");
        return reused;
    }

    // ---- the hostile cases ----

    @Test
    void aTemplateIsNotServedUnderOtherNames() {
        String text = "#a = :v AND attribute_exists(#b)   ";
        ConditionExpr first = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#a", "x", "#b", "y"), Map.of(":v", s("1"))));
        ConditionExpr other = ExpressionParser.condition("ConditionExpression", text,
                subs(Map.of("#a", "ssn", "#b", "y"), Map.of(":v", s("1"))));
        assertEquals(Path.of("ssn"), ((Operand.PathOperand) ((ConditionExpr.Compare) ((ConditionExpr.And) other).left()).left()).path());
        assertEquals(ExpressionParser.conditionAnew("ConditionExpression", text, subs(Map.of("#a", "ssn", "#b", "y"), Map.of(":v", s("1")))), other);
        // and back: the same names as the first give the first's paths (the template is the last clean build)
        ConditionExpr again = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#a", "x", "#b", "y"), Map.of(":v", s("2"))));
        assertEquals(Path.of("x"), ((Operand.PathOperand) ((ConditionExpr.Compare) ((ConditionExpr.And) again).left()).left()).path());
        assertEquals(s("2"), ((Operand.ValueOperand) ((ConditionExpr.Compare) ((ConditionExpr.And) again).left()).right()).value());
        assertNotSame(first, again);
        // a missing name is the full build's error, not a reused tree
        DynamoException e = assertThrows(DynamoException.class, () -> ExpressionParser.condition("ConditionExpression", text,
                subs(Map.of("#a", "x"), Map.of(":v", s("1")))));
        assertTrue(e.error().message().contains("attribute name: #b"), e.error().message());
    }

    @Test
    void valuesArePerRequestAndTheirTypesAndCheckedContentsAreJudgedAgain() {
        String text = "begins_with(#a, :p)   ";
        ConditionExpr eu = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#a", "region"), Map.of(":p", s("eu"))));
        ConditionExpr us = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#a", "region"), Map.of(":p", s("us"))));
        assertSame(((ConditionExpr.BeginsWith) eu).operand(), ((ConditionExpr.BeginsWith) us).operand(), "the template was reused");
        assertEquals(s("us"), ((Operand.ValueOperand) ((ConditionExpr.BeginsWith) us).prefix()).value());
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: "
                + "begins_with, operand type: N", message(() -> ExpressionParser.condition("ConditionExpression", text,
                subs(Map.of("#a", "region"), Map.of(":p", n("1"))))));

        String type = "attribute_type(#a, :t)   ";
        ExpressionParser.condition("ConditionExpression", type, subs(Map.of("#a", "x"), Map.of(":t", s("S"))));
        assertEquals("Invalid ConditionExpression: Invalid attribute type name found; type: XYZ, valid types: "
                + "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}", message(() -> ExpressionParser.condition("ConditionExpression", type,
                subs(Map.of("#a", "x"), Map.of(":t", s("XYZ"))))));
        ConditionExpr number = ExpressionParser.condition("ConditionExpression", type, subs(Map.of("#a", "x"), Map.of(":t", s("N"))));
        assertEquals(s("N"), ((Operand.ValueOperand) ((ConditionExpr.AttributeType) number).type()).value());

        String between = "#a BETWEEN :lo AND :hi   ";
        ExpressionParser.condition("ConditionExpression", between, subs(Map.of("#a", "x"), Map.of(":lo", n("1"), ":hi", n("5"))));
        assertTrue(message(() -> ExpressionParser.condition("ConditionExpression", between,
                subs(Map.of("#a", "x"), Map.of(":lo", n("9"), ":hi", n("5"))))).contains("requires upper bound to be greater"));

        String add = "ADD #a :v   ";
        ExpressionParser.update(add, subs(Map.of("#a", "n"), Map.of(":v", n("1"))));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
                message(() -> ExpressionParser.update(add, subs(Map.of("#a", "n"), Map.of(":v", s("1"))))));
    }

    @Test
    void aTemplateKeepsNoRequestValueAndNoLongName() {
        String text = "#a = :secret AND contains(#b, :other)   ";
        ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#a", "ssn", "#b", "tags"),
                Map.of(":secret", s("123-45-6789"), ":other", s("vip"))));
        String kept = ExpressionParser.conditionTemplate(text).tree().toString();
        assertTrue(kept.contains("ssn") && !kept.contains("123-45-6789") && !kept.contains("vip"), kept);

        String longName = "#a = :v    ";
        ExpressionParser.condition("ConditionExpression", longName, subs(Map.of("#a", "n".repeat(BuildTemplate.MAX_NAME_CHARS + 1)),
                Map.of(":v", s("1"))));
        assertEquals(null, ExpressionParser.conditionTemplate(longName));

        String between = "#a BETWEEN :lo AND :hi     ";
        ExpressionParser.condition("ConditionExpression", between, subs(Map.of("#a", "x"), Map.of(":lo", n("1"), ":hi", n("5"))));
        assertEquals(null, ExpressionParser.conditionTemplate(between), "a build that read a value's content makes no template");
    }

    @Test
    void aConditionWithoutValuesIsSharedWhole() {
        String text = "attribute_exists(#id)   ";
        ConditionExpr a = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#id", "id"), Map.of()));
        ConditionExpr b = ExpressionParser.condition("ConditionExpression", text, subs(Map.of("#id", "id"), Map.of()));
        assertSame(a, b);
        ConditionExpr c = ExpressionParser.condition("KeyConditionExpression", text, subs(Map.of("#id", "id"), Map.of()));
        assertEquals(a, c);
        assertNotSame(a, c, "another parameter's template is not reused");
    }

    private static Substitutions subs(Map<String, String> names, Map<String, AttributeValue> values) {
        return new Recording(names, values);
    }

    private static String message(Runnable r) {
        return assertThrows(DynamoException.class, r::run).error().message();
    }

    // ---- generators ----

    private static Map<String, String> names(SplittableRandom r) {
        Map<String, String> out = new HashMap<>();
        for (String ref : NAME_REFS) {
            // mostly the same name per ref (so templates are reused), sometimes another, sometimes none
            int p = r.nextInt(20);
            if (p < 14) out.put(ref, NAMES[ref.charAt(1) - 'a']);
            else if (p < 19) out.put(ref, NAMES[r.nextInt(NAMES.length)]);
        }
        return out;
    }

    private static Map<String, AttributeValue> values(SplittableRandom r) {
        Map<String, AttributeValue> out = new HashMap<>();
        for (String ref : VALUE_REFS) {
            if (r.nextInt(20) == 0) continue;
            out.put(ref, switch (r.nextInt(r.nextBoolean() ? 2 : 10)) {
                case 0 -> s(new String[] {"S", "N", "M", "SS", "XYZ", "eu", "abc"}[r.nextInt(7)]);
                case 1 -> n(Integer.toString(r.nextInt(20) - 5));
                case 2 -> new AttributeValue.B(new AttributeValue.Bytes(new byte[] {(byte) r.nextInt(4)}));
                case 3 -> new AttributeValue.SS(List.of("a", "b" + r.nextInt(3)));
                case 4 -> new AttributeValue.NS(List.of(Integer.toString(r.nextInt(5))));
                case 5 -> new AttributeValue.L(List.of(s("e"), n("1")));
                case 6 -> new AttributeValue.M(Map.of("k", s("v" + r.nextInt(3))));
                case 7 -> new AttributeValue.Bool(r.nextBoolean());
                case 8 -> new AttributeValue.Null();
                default -> new AttributeValue.BS(List.of(new AttributeValue.Bytes(new byte[] {1})));
            });
        }
        return out;
    }

    private static String path(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(r.nextInt(5) == 0 ? new String[] {"x", "y", "name"}[r.nextInt(3)]
                : NAME_REFS[r.nextInt(NAME_REFS.length)]);
        int more = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < more; i++) {
            if (r.nextBoolean()) sb.append('.').append(NAME_REFS[r.nextInt(NAME_REFS.length)]);
            else sb.append('[').append(r.nextInt(3)).append(']');
        }
        return sb.toString();
    }

    private static String value(SplittableRandom r) {
        return VALUE_REFS[r.nextInt(VALUE_REFS.length)];
    }

    private static String operand(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> path(r);
            case 2, 3 -> value(r);
            default -> "size(" + (r.nextInt(4) == 0 ? value(r) : path(r)) + ")";
        };
    }

    private static String condition(SplittableRandom r, int depth) {
        int choice = depth > 2 ? r.nextInt(9) : r.nextInt(13);
        return switch (choice) {
            case 0, 1 -> operand(r) + " " + new String[] {"=", "<>", "<", "<=", ">", ">="}[r.nextInt(6)] + " " + operand(r);
            case 2 -> operand(r) + " BETWEEN " + operand(r) + " AND " + operand(r);
            case 3 -> operand(r) + " IN (" + operand(r) + (r.nextBoolean() ? ", " + operand(r) : "") + ")";
            case 4 -> (r.nextBoolean() ? "attribute_exists(" : "attribute_not_exists(") + path(r) + ")";
            case 5 -> "attribute_type(" + path(r) + ", " + (r.nextInt(6) == 0 ? path(r) : value(r)) + ")";
            case 6 -> "begins_with(" + operand(r) + ", " + operand(r) + ")";
            case 7 -> "contains(" + operand(r) + ", " + operand(r) + ")";
            case 8 -> "size(" + path(r) + ") > " + value(r);
            case 9 -> condition(r, depth + 1) + " AND " + condition(r, depth + 1);
            case 10 -> condition(r, depth + 1) + " OR " + condition(r, depth + 1);
            case 11 -> "NOT " + condition(r, depth + 1);
            default -> "(" + condition(r, depth + 1) + ")";
        };
    }

    private static String update(SplittableRandom r) {
        List<String> sections = new ArrayList<>();
        if (r.nextInt(4) != 0) {
            List<String> sets = new ArrayList<>();
            int n = 1 + r.nextInt(2);
            for (int i = 0; i < n; i++) {
                String v = switch (r.nextInt(5)) {
                    case 0, 1 -> r.nextBoolean() ? value(r) : path(r);
                    case 2 -> (r.nextBoolean() ? value(r) : path(r)) + (r.nextBoolean() ? " + " : " - ") + (r.nextBoolean() ? value(r) : path(r));
                    case 3 -> "if_not_exists(" + path(r) + ", " + value(r) + ")";
                    default -> "list_append(" + (r.nextBoolean() ? value(r) : path(r)) + ", " + (r.nextBoolean() ? value(r) : path(r)) + ")";
                };
                sets.add(path(r) + " = " + v);
            }
            sections.add("SET " + String.join(", ", sets));
        }
        if (r.nextInt(3) == 0) sections.add("REMOVE " + path(r) + (r.nextBoolean() ? ", " + path(r) : ""));
        if (r.nextInt(3) == 0) sections.add("ADD " + path(r) + " " + value(r));
        if (r.nextInt(3) == 0) sections.add("DELETE " + path(r) + " " + value(r));
        if (sections.isEmpty()) sections.add("REMOVE " + path(r));
        Collections.shuffle(sections, new java.util.Random(r.nextLong()));
        return String.join(" ", sections);
    }

    private static String projection(SplittableRandom r) {
        List<String> paths = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) paths.add(path(r));
        return String.join(", ", paths);
    }

    /** The first path in a tree (the same instance in a reused tree as in its template). */
    private static Path firstPath(Object tree) {
        return switch (tree) {
            case ConditionExpr c -> firstPath(c);
            case UpdateExpr u -> u.actions().isEmpty() ? null : u.actions().getFirst().path();
            case List<?> paths -> paths.isEmpty() ? null : (Path) paths.getFirst();
            default -> null;
        };
    }

    private static Path firstPath(ConditionExpr c) {
        return switch (c) {
            case ConditionExpr.And a -> firstPath(a.left());
            case ConditionExpr.Or o -> firstPath(o.left());
            case ConditionExpr.Not n -> firstPath(n.condition());
            case ConditionExpr.AttributeExists e -> e.path();
            case ConditionExpr.AttributeNotExists e -> e.path();
            case ConditionExpr.AttributeType t -> t.path();
            case ConditionExpr.Compare cmp -> firstPath(cmp.left());
            case ConditionExpr.Between b -> firstPath(b.operand());
            case ConditionExpr.In in -> firstPath(in.operand());
            case ConditionExpr.BeginsWith b -> firstPath(b.operand());
            case ConditionExpr.Contains ct -> firstPath(ct.operand());
        };
    }

    private static Path firstPath(Operand o) {
        return switch (o) {
            case Operand.PathOperand p -> p.path();
            case Operand.Size s -> firstPath(s.operand());
            default -> null;
        };
    }

    private static AttributeValue s(String v) {
        return new AttributeValue.S(v);
    }

    private static AttributeValue n(String v) {
        return new AttributeValue.N(v);
    }
}
