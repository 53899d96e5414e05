package dev.weir.policy.predicate;

import dev.weir.policy.ast.Comparator;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a row filter or write requirement, bound to one request, as a DynamoDB condition
 * expression the store evaluates on the stored item, so that a write is checked atomically
 * with the write itself (no check-then-act race).
 *
 * <h2>Soundness</h2>
 * The rendering is <em>sound</em>: whenever the store finds the expression true, the policy's
 * own evaluation ({@link ConditionCompiler}) finds the condition true of the same item. It
 * may be stricter: negations exclude stored lists and sets outright. So a store condition
 * never lets through a write the policy forbids; in those corner cases it can refuse one it
 * allows. ({@link Residual} is exact.)
 * Negation is pushed into the atoms (each atom has a sound positive and a sound negated form).
 *
 * <p>Principal attributes, the principal's name and roles, and context values are bound to
 * the request and become literal values; an atom that reads no stored attribute is decided
 * here and folded away. A write's <em>known</em> new values (the item a PutItem writes, an
 * UpdateItem's key and literal {@code SET}s) replace the stored attributes of the same name.
 * What cannot be rendered soundly ({@code size()}, an attribute compared with another
 * attribute, an address or a time compared with an attribute) throws {@link Unexpressible}.
 *
 * <p>Names and values go through placeholders {@code #weirN} and {@code :weirN}, so no policy
 * text or value is ever spliced into expression syntax.
 *
 * @deprecated text cannot be joined safely to a client's text; the join with a client's
 *     condition is gone, and what is left serves only the read side's push-down
 *     ({@link #renderComplete}, parsed back into a tree before it is joined). Use
 *     {@link Residual}, which gives the policy's condition as an exact syntax tree, and
 *     {@link dev.weir.protocol.expr.render.ExpressionWriter} to write the joined tree.
 */
@Deprecated
public final class StoreCondition {
    /** The placeholder prefix of the rendered text (parsed back into a tree with {@link Placeholders} before use). */
    public static final String PREFIX = "weir";

    private final DecisionRequest request;
    private final Map<String, Optional<AttributeValue>> known;
    private final Placeholders placeholders;
    private final Map<String, AttributeValue> knownItem = new LinkedHashMap<>();
    private boolean complete;

    private StoreCondition(DecisionRequest request, Map<String, Optional<AttributeValue>> known, Placeholders placeholders) {
        this.request = request;
        this.known = known;
        this.placeholders = placeholders;
        known.forEach((k, v) -> v.ifPresent(value -> knownItem.put(k, value)));
    }

    /** A condition the policy cannot state as a store condition exactly enough to enforce it. */
    public static final class Unexpressible extends dev.weir.policy.predicate.Unexpressible {
        public Unexpressible(String message) {
            super(message);
        }
    }

    /** A rendered condition: always true, always false, or an expression for the store. */
    public sealed interface Rendered {
        record Always(boolean value) implements Rendered {}

        /** @param or whether the text is a disjunction at its top (it needs parentheses inside an AND) */
        record Expression(String text, boolean or) implements Rendered {
            public Expression(String text) {
                this(text, false);
            }
        }
    }

    /**
     * The names ({@code #weirN}) and values ({@code :weirN}) an expression uses, to merge into
     * the request's ExpressionAttributeNames and ExpressionAttributeValues. One instance
     * serves every expression added to one request.
     */
    public static final class Placeholders {
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, String> byName = new LinkedHashMap<>();
        private final Map<String, AttributeValue> values = new LinkedHashMap<>();

        /** Placeholder → attribute name. */
        public Map<String, String> names() {
            return names;
        }

        /** Placeholder → value. */
        public Map<String, AttributeValue> values() {
            return values;
        }

        public String name(String attribute) {
            return byName.computeIfAbsent(attribute, a -> {
                String p = "#" + PREFIX + names.size();
                names.put(p, a);
                return p;
            });
        }

        public String value(AttributeValue value) {
            String p = ":" + PREFIX + values.size();
            values.put(p, value);
            return p;
        }
    }

    /**
     * The filter as a store condition for this request.
     *
     * @param known top-level attributes whose new value is known (empty: absent); the stored
     *              item is read for the others
     */
    static Rendered render(RowFilter filter, DecisionRequest request, Map<String, Optional<AttributeValue>> known,
                                  Placeholders placeholders) {
        if (filter.isAll()) return new Rendered.Always(true);
        StoreCondition r = new StoreCondition(request, known, placeholders);
        Rendered any = new Rendered.Always(false);
        for (CompiledCondition a : filter.allows()) any = or(any, r.compiled(a, false));
        Rendered out = any;
        for (CompiledCondition d : filter.denies()) out = and(out, r.compiled(d, true));
        return out;
    }

    /**
     * The filter as a store filter that keeps <em>at least</em> every item the policy keeps
     * (complete, not sound): for pushing a row filter down as a FilterExpression, where weir
     * still tests every returned item itself. An atom's complete form is the negation of its
     * negation's sound form; an atom with no sound form keeps every item. Never throws
     * {@link Unexpressible}; {@code Always(true)} means nothing to push down.
     */
    public static Rendered renderComplete(RowFilter filter, DecisionRequest request, Placeholders placeholders) {
        if (filter.isAll()) return new Rendered.Always(true);
        StoreCondition r = new StoreCondition(request, Map.of(), placeholders);
        r.complete = true;
        Rendered any = new Rendered.Always(false);
        for (CompiledCondition a : filter.allows()) any = or(any, r.compiledOrAll(a, false));
        Rendered out = any;
        for (CompiledCondition d : filter.denies()) out = and(out, r.compiledOrAll(d, true));
        return out;
    }

    private Rendered compiledOrAll(CompiledCondition c, boolean negated) {
        try {
            return compiled(c, negated);
        } catch (Unexpressible e) {
            return new Rendered.Always(true);
        }
    }

    /** One condition (for tests and single rules). */
    static Rendered render(CompiledCondition condition, DecisionRequest request,
                                  Map<String, Optional<AttributeValue>> known, Placeholders placeholders) {
        return new StoreCondition(request, known, placeholders).compiled(condition, false);
    }

    /** The top-level item attributes the filter reads; refuses a filter it cannot render. */
    public static java.util.Set<String> attributes(RowFilter filter) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        List<CompiledCondition> all = new ArrayList<>(filter.allows());
        all.addAll(filter.denies());
        for (CompiledCondition c : all) {
            if (c == CompiledCondition.TRUE || c == CompiledCondition.FALSE) continue;
            if (c.origin() == null) throw new Unexpressible("the condition '" + c + "' has no source to render");
            collect(c.origin().condition(), out);
        }
        return out;
    }

    private static void collect(Condition c, java.util.Set<String> out) {
        switch (c) {
            case Condition.And a -> { collect(a.left(), out); collect(a.right(), out); }
            case Condition.Or o -> { collect(o.left(), out); collect(o.right(), out); }
            case Condition.Not n -> collect(n.inner(), out);
            case Condition.Constant k -> { }
            default -> {
                List<Reference> refs = new ArrayList<>();
                new StoreCondition(null, Map.of(), new Placeholders()).itemRefs(c, refs, false);
                for (Reference r : refs) {
                    if (!r.steps().isEmpty() && r.steps().getFirst() instanceof Reference.Step.Key k) out.add(k.name());
                }
            }
        }
    }

    private Rendered compiled(CompiledCondition c, boolean negated) {
        if (c == CompiledCondition.TRUE) return new Rendered.Always(!negated);
        if (c == CompiledCondition.FALSE) return new Rendered.Always(negated);
        CompiledCondition.Origin origin = c.origin();
        if (origin == null) throw new Unexpressible("the condition '" + c + "' has no source to render");
        return node(origin.condition(), origin.compiler(), negated);
    }

    private Rendered node(Condition c, ConditionCompiler compiler, boolean negated) {
        return switch (c) {
            case Condition.Constant k -> new Rendered.Always(k.value() != negated);
            case Condition.And a -> negated
                    ? or(node(a.left(), compiler, true), node(a.right(), compiler, true))
                    : and(node(a.left(), compiler, false), node(a.right(), compiler, false));
            case Condition.Or o -> negated
                    ? and(node(o.left(), compiler, true), node(o.right(), compiler, true))
                    : or(node(o.left(), compiler, false), node(o.right(), compiler, false));
            case Condition.Not n -> node(n.inner(), compiler, !negated);
            default -> complete ? completeAtom(c, compiler, negated) : atom(c, compiler, negated);
        };
    }

    /** proxy(x) implies NOT sound(NOT x): the negation of the negated atom's sound form keeps every item x keeps. */
    private Rendered completeAtom(Condition c, ConditionCompiler compiler, boolean negated) {
        Rendered opposite;
        try {
            opposite = atom(c, compiler, !negated);
        } catch (Unexpressible e) {
            return new Rendered.Always(true);
        }
        return switch (opposite) {
            case Rendered.Always a -> new Rendered.Always(!a.value());
            case Rendered.Expression e -> expr("NOT " + (e.text().startsWith("(") ? "( " + e.text() + ")" : "(" + e.text() + ")"));
        };
    }

    private Rendered atom(Condition c, ConditionCompiler compiler, boolean negated) {
        List<Reference> stored = new ArrayList<>();
        boolean knownRef = itemRefs(c, stored, true);
        if (stored.isEmpty()) {
            // Reads nothing stored: decide it here, on the known new values and the request.
            return new Rendered.Always(compiler.compile(c).test(knownItem, request) != negated);
        }
        if (knownRef || stored.size() > 1) {
            throw new Unexpressible("'" + ConditionText.of(c) + "' compares one item attribute with another");
        }
        Reference ref = stored.getFirst();
        return switch (c) {
            case Condition.Compare cmp -> compare(cmp, compiler, negated);
            case Condition.Between b -> {
                if (!isStored(b.value())) throw unexpressible(c);
                Object lo = value(b.low(), compiler), hi = value(b.high(), compiler);
                boolean ordered = (lo instanceof String && hi instanceof String || lo instanceof BigDecimal && hi instanceof BigDecimal)
                        && Values.compare(lo, hi) <= 0;
                if (!ordered) yield new Rendered.Always(negated);
                String p = path(ref);
                String e = p + " BETWEEN " + placeholders.value(literal(lo)) + " AND " + placeholders.value(literal(hi));
                yield negated ? notListy("NOT (" + e + ")", p) : expr(e);
            }
            case Condition.In in -> in(in, ref, compiler, negated);
            case Condition.Call call -> call(call, ref, compiler, negated);
            default -> throw unexpressible(c);
        };
    }

    private Rendered compare(Condition.Compare c, ConditionCompiler compiler, boolean negated) {
        Operand item = c.left(), other = c.right();
        Comparator op = c.op();
        if (!isStored(item)) {
            item = c.right();
            other = c.left();
            op = flip(op);
        }
        if (!isStored(item)) throw unexpressible(c); // size(item.x)
        String p = path(((Operand.Ref) item).ref());
        Object v = value(other, compiler);
        if (op == Comparator.EQ || op == Comparator.NE) {
            boolean positive = op == Comparator.EQ;
            if (v == null) return new Rendered.Always(positive == negated); // never equal to an absent value
            String e = p + " = " + placeholders.value(literal(v));
            return positive != negated ? expr(e) : notListy("NOT (" + e + ")", p);
        }
        if (!(plain(v) instanceof String) && !(plain(v) instanceof BigDecimal)) return new Rendered.Always(negated);
        String e = p + " " + op.symbol() + " " + placeholders.value(literal(plain(v)));
        return negated ? notListy("NOT (" + e + ")", p) : expr(e);
    }

    private Rendered in(Condition.In in, Reference ref, ConditionCompiler compiler, boolean negated) {
        if (isStored(in.value())) {
            List<Object> members = new ArrayList<>();
            switch (in.set()) {
                case SetExpr.Listed l -> {
                    for (Operand e : l.elements()) members.add(value(e, compiler));
                }
                case SetExpr.OfReference r -> {
                    Object container = compiler.getter(new Operand.Ref(r.ref(), r.pos())).get(knownItem, request);
                    if (container instanceof Collection<?> all) members.addAll(all);
                    else members.add(container);
                }
                case SetExpr.Network n -> { } // an item value is never an address
                case SetExpr.TimeWindow w -> { } // nor a time
            }
            return oneOf(path(ref), members, negated, in);
        }
        // A literal or bound value in a stored list, set or plain value.
        if (!(in.set() instanceof SetExpr.OfReference)) throw unexpressible(in);
        Object v = value(in.value(), compiler);
        if (v == null) return new Rendered.Always(negated);
        if (!(v instanceof String || v instanceof BigDecimal)) throw unexpressible(in);
        String p = path(ref);
        // a member of a stored list or set (a stored plain value has no members)
        Rendered member = and(expr("contains(" + p + ", " + placeholders.value(literal(v)) + ")"), listy(p));
        return negated ? expr("NOT (" + ((Rendered.Expression) member).text() + ")") : member;
    }

    /** The stored value at p equals one of the members (the ones an item value can equal). */
    private Rendered oneOf(String p, List<Object> members, boolean negated, Condition c) {
        List<String> operands = new ArrayList<>();
        for (Object m : members) {
            Object v = plain(m);
            if (v instanceof String || v instanceof BigDecimal || v instanceof Boolean || v == Values.NULL
                    || v instanceof List<?>) {
                operands.add(placeholders.value(literal(m)));
            }
        }
        if (operands.isEmpty()) return new Rendered.Always(negated);
        if (operands.size() > 100) throw new Unexpressible("'" + ConditionText.of(c) + "' has more than 100 values");
        String e = p + " IN (" + String.join(", ", operands) + ")";
        return negated ? notListy("NOT (" + e + ")", p) : expr(e);
    }

    private Rendered call(Condition.Call c, Reference ref, ConditionCompiler compiler, boolean negated) {
        switch (c.function()) {
            case "exists" -> {
                String p = path(ref);
                return expr(negated ? "attribute_not_exists(" + p + ")" : "attribute_exists(" + p + ")");
            }
            case "begins_with" -> {
                if (!isStored(c.args().get(0))) throw unexpressible(c);
                Object prefix = raw(c.args().get(1), compiler);
                if (!(prefix instanceof String s)) return new Rendered.Always(negated);
                String e = "begins_with(" + path(ref) + ", " + placeholders.value(new AttributeValue.S(s)) + ")";
                return expr(negated ? "NOT " + e : e);
            }
            case "contains" -> {
                if (isStored(c.args().get(0))) {
                    Object element = raw(c.args().get(1), compiler);
                    if (element == null) return new Rendered.Always(negated);
                    if (!(element instanceof String || element instanceof BigDecimal)) throw unexpressible(c);
                    String p = path(ref);
                    String e = "contains(" + p + ", " + placeholders.value(literal(element)) + ")";
                    return negated ? and(expr("NOT " + e), expr("NOT attribute_type(" + p + ", " + type("L") + ")")) : expr(e);
                }
                Object container = raw(c.args().get(0), compiler);
                if (container instanceof Collection<?> all) return oneOf(path(ref), List.copyOf(all), negated, c);
                if (container == null) return new Rendered.Always(negated);
                throw unexpressible(c);
            }
            default -> throw unexpressible(c);
        }
    }

    /** Whether the operand is a reference to a stored item attribute (not a known one). */
    private boolean isStored(Operand o) {
        return o instanceof Operand.Ref r && r.ref().root() == Reference.Root.ITEM && !isKnown(r.ref());
    }

    private boolean isKnown(Reference r) {
        return !r.steps().isEmpty() && r.steps().getFirst() instanceof Reference.Step.Key k && known.containsKey(k.name());
    }

    /** Collects stored item references; returns whether a known one was seen too. */
    private boolean itemRefs(Condition c, List<Reference> out, boolean refuseSize) {
        List<Operand> operands = new ArrayList<>();
        switch (c) {
            case Condition.Compare x -> { operands.add(x.left()); operands.add(x.right()); }
            case Condition.Between x -> { operands.add(x.value()); operands.add(x.low()); operands.add(x.high()); }
            case Condition.In x -> {
                operands.add(x.value());
                switch (x.set()) {
                    case SetExpr.Listed l -> operands.addAll(l.elements());
                    case SetExpr.OfReference r -> operands.add(new Operand.Ref(r.ref(), r.pos()));
                    default -> { }
                }
            }
            case Condition.Call x -> operands.addAll(x.args());
            default -> { }
        }
        boolean knownSeen = false;
        for (Operand o : operands) {
            Reference r = switch (o) {
                case Operand.Ref x -> x.ref();
                case Operand.Size s -> s.ref();
                default -> null;
            };
            if (r == null || r.root() != Reference.Root.ITEM) continue;
            if (isKnown(r)) knownSeen = true;
            else out.add(r);
        }
        for (Operand o : operands) {
            if (refuseSize && o instanceof Operand.Size s && s.ref().root() == Reference.Root.ITEM && !isKnown(s.ref())) {
                throw new Unexpressible("size() of a stored attribute has no exact store equivalent");
            }
        }
        return knownSeen;
    }

    /** The runtime value of a bound operand, a one-element list taken as its element. */
    private Object value(Operand o, ConditionCompiler compiler) {
        return plain(raw(o, compiler));
    }

    private Object raw(Operand o, ConditionCompiler compiler) {
        Object v = compiler.getter(o).get(knownItem, request);
        if (v instanceof byte[] || v instanceof java.time.Instant || v instanceof dev.weir.policy.ast.CidrBlock) {
            throw new Unexpressible("an address or a time cannot be compared with a stored attribute");
        }
        return v;
    }

    private static Object plain(Object v) {
        return v instanceof List<?> l && l.size() == 1 ? l.getFirst() : v;
    }

    /** A bound value as a literal for the store. */
    private static AttributeValue literal(Object v) {
        return switch (plain(v)) {
            case String s -> new AttributeValue.S(s);
            case BigDecimal n -> new AttributeValue.N(n.toPlainString());
            case Boolean b -> new AttributeValue.Bool(b);
            case List<?> l -> new AttributeValue.L(l.stream().map(StoreCondition::literal).toList());
            case AttributeValue a -> a;
            case Object o when o == Values.NULL -> new AttributeValue.Null();
            default -> throw new Unexpressible("a value of this kind cannot be compared with a stored attribute");
        };
    }

    private String path(Reference ref) {
        if (ref.steps().isEmpty() || !(ref.steps().getFirst() instanceof Reference.Step.Key)) {
            throw new Unexpressible("'" + ref + "' names no attribute");
        }
        StringBuilder out = new StringBuilder();
        for (Reference.Step s : ref.steps()) {
            switch (s) {
                case Reference.Step.Key k -> {
                    if (!out.isEmpty()) out.append('.');
                    out.append(placeholders.name(k.name()));
                }
                case Reference.Step.Index i -> out.append('[').append(i.index()).append(']');
            }
        }
        return out.toString();
    }

    private final Map<String, String> types = new LinkedHashMap<>();

    private String type(String t) {
        return types.computeIfAbsent(t, x -> placeholders.value(new AttributeValue.S(x)));
    }

    /** The stored value at p is a list or a set of strings or numbers. */
    private Rendered listy(String p) {
        return or(or(expr("attribute_type(" + p + ", " + type("L") + ")"), expr("attribute_type(" + p + ", " + type("SS") + ")")),
                expr("attribute_type(" + p + ", " + type("NS") + ")"));
    }

    /** A negated atom, made sound by excluding lists and sets (a one-element list counts as its element). */
    private Rendered notListy(String negatedAtom, String p) {
        return and(expr(negatedAtom), expr("NOT (" + ((Rendered.Expression) listy(p)).text() + ")"));
    }

    private static Rendered expr(String text) {
        return new Rendered.Expression(text);
    }

    private static Unexpressible unexpressible(Condition c) {
        return new Unexpressible("'" + ConditionText.of(c) + "' has no exact DynamoDB condition form");
    }

    private static Comparator flip(Comparator op) {
        return switch (op) {
            case LT -> Comparator.GT;
            case LE -> Comparator.GE;
            case GT -> Comparator.LT;
            case GE -> Comparator.LE;
            default -> op;
        };
    }

    /** a AND b, folding constants (both weir's own text). */
    private static Rendered and(Rendered a, Rendered b) {
        if (a instanceof Rendered.Always x) return x.value() ? b : x;
        if (b instanceof Rendered.Always y) return y.value() ? a : y;
        return new Rendered.Expression(operand(a) + " AND " + operand(b), false);
    }

    /** a OR b, folding constants (both weir's own text). */
    private static Rendered or(Rendered a, Rendered b) {
        if (a instanceof Rendered.Always x) return x.value() ? x : b;
        if (b instanceof Rendered.Always y) return y.value() ? y : a;
        return new Rendered.Expression(((Rendered.Expression) a).text() + " OR " + ((Rendered.Expression) b).text(), true);
    }

    /** An AND's operand: a disjunction in parentheses (AND binds tighter), anything else as it is. */
    private static String operand(Rendered r) {
        Rendered.Expression e = (Rendered.Expression) r;
        return wrap(e.text(), e.or());
    }

    private static String wrap(String text, boolean needed) {
        if (!needed) return text;
        return text.startsWith("(") ? "( " + text + ")" : "(" + text + ")";
    }
}
