package dev.weir.policy.predicate;

import dev.weir.policy.ast.Comparator;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Partially evaluates checked conditions for one request into {@link Residual}s: everything
 * but the stored item is bound, each test that still reads the stored item becomes the store
 * predicate that decides exactly as the policy does ({@link Values} gives item values
 * DynamoDB's own semantics, so most tests map one to one; the few that need care are
 * commented where they are built).
 */
final class PartialEvaluation {
    /** DynamoDB's limit on the operands of one IN. */
    private static final int MAX_IN = 100;
    private static final String PLACEHOLDER = ":policy";

    private final DecisionRequest request;
    private final Map<String, Optional<AttributeValue>> known;
    private final Map<String, AttributeValue> knownItem = new LinkedHashMap<>();

    PartialEvaluation(DecisionRequest request, Map<String, Optional<AttributeValue>> known) {
        this.request = request;
        this.known = Map.copyOf(known);
        known.forEach((k, v) -> v.ifPresent(value -> knownItem.put(k, value)));
    }

    Residual of(CompiledCondition c) {
        if (c == CompiledCondition.TRUE) return Residual.TRUE;
        if (c == CompiledCondition.FALSE) return Residual.FALSE;
        CompiledCondition.Origin origin = c.origin();
        if (origin == null) throw new Unexpressible("the condition '" + c + "' has no source to render");
        return node(origin.condition(), origin.compiler());
    }

    private Residual node(Condition c, ConditionCompiler compiler) {
        return switch (c) {
            case Condition.Constant k -> new Residual.Always(k.value());
            case Condition.And a -> both(a.left(), a.right(), compiler, false);
            case Condition.Or o -> both(o.left(), o.right(), compiler, true);
            case Condition.Not n -> node(n.inner(), compiler).not();
            default -> atom(c, compiler);
        };
    }

    /** And (or Or) of two parts; one part that decides the whole spares the other from being expressible. */
    private Residual both(Condition left, Condition right, ConditionCompiler compiler, boolean or) {
        Residual decisive = new Residual.Always(or);
        Residual l = null;
        Unexpressible unknown = null;
        try {
            l = node(left, compiler);
            if (l.equals(decisive)) return l;
        } catch (Unexpressible e) {
            unknown = e;
        }
        Residual r = node(right, compiler);
        if (r.equals(decisive)) return r;
        if (unknown != null) throw unknown;
        return or ? l.or(r) : l.and(r);
    }

    // ------------------------------------------------------------------------------ terms

    /** An operand once the request is bound. */
    private sealed interface Term {
        /** A path into the stored item. */
        record Stored(Path path) implements Term {}

        /** {@code size()} of a stored attribute. */
        record StoredSize(Reference ref) implements Term {}

        /** A value known now (null: absent), in {@link Values}' runtime form. */
        record Bound(Object value) implements Term {}
    }

    private Term term(Operand o, ConditionCompiler compiler) {
        if (o instanceof Operand.Ref r && stored(r.ref())) return new Term.Stored(path(r.ref()));
        if (o instanceof Operand.Size s && stored(s.ref())) return new Term.StoredSize(s.ref());
        return new Term.Bound(compiler.getter(o).get(knownItem, request));
    }

    private Term term(Reference ref, ConditionCompiler compiler) {
        return term(new Operand.Ref(ref, ref.pos()), compiler);
    }

    /** Whether the reference reads the stored item: an item path whose attribute has no known new value. */
    private boolean stored(Reference r) {
        return r.root() == Reference.Root.ITEM && !r.steps().isEmpty()
                && r.steps().getFirst() instanceof Reference.Step.Key k && !known.containsKey(k.name());
    }

    static Path path(Reference ref) {
        List<PathElement> elements = new ArrayList<>();
        for (Reference.Step s : ref.steps()) {
            elements.add(switch (s) {
                case Reference.Step.Key k -> new PathElement.Name(k.name());
                case Reference.Step.Index i -> new PathElement.Index(i.index());
            });
        }
        return new Path(elements);
    }

    private static boolean reads(Term t) {
        return !(t instanceof Term.Bound);
    }

    private static Unexpressible sizeOf(Term.StoredSize s) {
        return new Unexpressible("size(" + s.ref() + ") of a stored attribute has no exact store form");
    }

    // ------------------------------------------------------------------------------ atoms

    private Residual atom(Condition c, ConditionCompiler compiler) {
        return switch (c) {
            case Condition.Compare cmp -> compare(term(cmp.left(), compiler), cmp.op(), term(cmp.right(), compiler));
            case Condition.Between b -> between(term(b.value(), compiler), term(b.low(), compiler), term(b.high(), compiler));
            case Condition.In in -> in(in, compiler);
            case Condition.Call call -> call(call, compiler);
            default -> throw new IllegalStateException("not an atom: " + c);
        };
    }

    /** {@code a OP b}: DynamoDB's comparison when one side is stored (Values.equal and compare are DynamoDB's there). */
    private static Residual compare(Term a, Comparator op, Term b) {
        if (a instanceof Term.StoredSize s) throw sizeOf(s);
        if (b instanceof Term.StoredSize s) throw sizeOf(s);
        if (a instanceof Term.Bound x && b instanceof Term.Bound y) {
            return new Residual.Always(switch (op) {
                case EQ -> Values.equal(x.value(), y.value());
                case NE -> !Values.equal(x.value(), y.value());
                default -> {
                    int c = Values.compare(x.value(), y.value());
                    yield c != Integer.MIN_VALUE && switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
            });
        }
        if (a instanceof Term.Stored p && b instanceof Term.Stored q && p.equals(q)) {
            // DynamoDB refuses the same path on both sides; a value equals itself and is ordered against itself
            return switch (op) {
                case EQ -> tree(new ConditionExpr.AttributeExists(p.path()));
                case NE -> tree(new ConditionExpr.AttributeNotExists(p.path()));
                case LT, GT -> Residual.FALSE;
                case LE, GE -> typeIs(p.path(), "N").or(typeIs(p.path(), "S")).or(typeIs(p.path(), "B"));
            };
        }
        AttributeValue bound = a instanceof Term.Bound x ? Values.asItem(x.value()) : b instanceof Term.Bound y
                ? Values.asItem(y.value()) : null;
        boolean withValue = a instanceof Term.Bound || b instanceof Term.Bound;
        if (withValue) {
            // a value that stands for no DynamoDB value equals nothing stored and orders against nothing
            if (bound == null) return new Residual.Always(op == Comparator.NE);
            if (op != Comparator.EQ && op != Comparator.NE && !dev.weir.protocol.expr.eval.Values.isOrdered(bound)) {
                return Residual.FALSE;
            }
        }
        return tree(new ConditionExpr.Compare(comparator(op), operand(a), operand(b)));
    }

    /** {@code x between lo and hi}: {@code x >= lo and x <= hi}, both as comparisons; one BETWEEN when the bounds are values. */
    private static Residual between(Term x, Term lo, Term hi) {
        if (x instanceof Term.Stored p && lo instanceof Term.Bound l && hi instanceof Term.Bound h) {
            AttributeValue low = Values.asItem(l.value()), high = Values.asItem(h.value());
            // bounds of two types, unordered types or bounds the wrong way round hold for no value
            // (and DynamoDB refuses them as literals)
            if (!dev.weir.protocol.expr.eval.Values.comparable(low, high)
                    || dev.weir.protocol.expr.eval.Values.compare(low, high) > 0) {
                return Residual.FALSE;
            }
            return tree(new ConditionExpr.Between(new dev.weir.protocol.expr.ast.Operand.PathOperand(p.path()), value(low), value(high)));
        }
        Residual atLeast = compare(x, Comparator.GE, lo);
        if (atLeast.equals(Residual.FALSE)) return atLeast;
        return atLeast.and(compare(x, Comparator.LE, hi));
    }

    private Residual in(Condition.In in, ConditionCompiler compiler) {
        Term value = term(in.value(), compiler);
        if (in.set() instanceof SetExpr.Network || in.set() instanceof SetExpr.TimeWindow) {
            // a stored value (or its size) is never an address nor a time
            return value instanceof Term.Bound ? local(in, compiler) : Residual.FALSE;
        }
        if (value instanceof Term.StoredSize s) throw sizeOf(s);
        return switch (in.set()) {
            case SetExpr.Listed l -> listed(value, l, in, compiler);
            case SetExpr.OfReference r -> ofReference(value, term(r.ref(), compiler), in, compiler);
            default -> throw new IllegalStateException("unexpected set " + in.set());
        };
    }

    /** {@code v in [e1, e2, ...]}: v equals one element (addresses in blocks only for a bound v). */
    private Residual listed(Term value, SetExpr.Listed set, Condition.In in, ConditionCompiler compiler) {
        List<Term> elements = new ArrayList<>();
        for (Operand e : set.elements()) {
            if (e instanceof Operand.Cidr) continue;
            Term t = term(e, compiler);
            if (t instanceof Term.StoredSize s) throw sizeOf(s);
            elements.add(t);
        }
        if (value instanceof Term.Bound) {
            // decided here for the bound elements (and address blocks); each stored element is one equality
            if (local(in, compiler).equals(Residual.TRUE)) return Residual.TRUE;
            Residual any = Residual.FALSE;
            for (Term e : elements) if (e instanceof Term.Stored) any = any.or(compare(value, Comparator.EQ, e));
            return any;
        }
        Term.Stored p = (Term.Stored) value;
        Set<AttributeValue> candidates = new LinkedHashSet<>();
        Residual any = Residual.FALSE;
        for (Term e : elements) {
            if (e instanceof Term.Bound b) {
                AttributeValue c = Values.asItem(b.value());
                if (c != null) candidates.add(c);
            } else {
                any = any.or(compare(p, Comparator.EQ, e));
            }
        }
        return oneOf(p.path(), candidates).or(any);
    }

    /** {@code v in principal.regions}, {@code v in item.tags}. */
    private Residual ofReference(Term value, Term container, Condition.In in, ConditionCompiler compiler) {
        if (container instanceof Term.Bound c) {
            if (value instanceof Term.Bound) return local(in, compiler);
            Path p = ((Term.Stored) value).path();
            return switch (c.value()) {
                case null -> Residual.FALSE;
                // a known item list or set: its elements (a stored value is a member when it equals one)
                case AttributeValue a -> oneOf(p, elements(a));
                case Collection<?> all -> oneOf(p, asItems(all));
                // any other value is a one-element list
                case Object o -> oneOf(p, asItems(List.of(o)));
            };
        }
        Path stored = ((Term.Stored) container).path();
        if (value instanceof Term.Bound v) {
            AttributeValue element = Values.asItem(v.value());
            if (element == null) return Residual.FALSE;
            return membership(stored, new dev.weir.protocol.expr.ast.Operand.ValueOperand(PLACEHOLDER, element),
                    element);
        }
        Path p = ((Term.Stored) value).path();
        if (p.equals(stored)) return Residual.FALSE; // nothing is an element or member of itself
        return membership(stored, new dev.weir.protocol.expr.ast.Operand.PathOperand(p), null);
    }

    /**
     * {@code element} is an element of the stored list or a member of the stored set: DynamoDB's
     * {@code contains}, except that on a string or a binary {@code contains} means a substring,
     * so those are excluded where the element could be one ({@code known}: the element's value
     * when it is a literal).
     */
    private static Residual membership(Path container, dev.weir.protocol.expr.ast.Operand element, AttributeValue known) {
        Residual r = tree(new ConditionExpr.Contains(new dev.weir.protocol.expr.ast.Operand.PathOperand(container), element));
        if (known == null || known instanceof AttributeValue.S) r = r.and(typeIs(container, "S").not());
        if (known == null || known instanceof AttributeValue.B) r = r.and(typeIs(container, "B").not());
        return r;
    }

    private Residual call(Condition.Call c, ConditionCompiler compiler) {
        List<Term> args = new ArrayList<>();
        for (Operand o : c.args()) args.add(term(o, compiler));
        if (args.stream().noneMatch(PartialEvaluation::reads)) return local(c, compiler);
        for (Term t : args) if (t instanceof Term.StoredSize s) throw sizeOf(s);
        return switch (c.function()) {
            case "exists" -> tree(new ConditionExpr.AttributeExists(((Term.Stored) args.getFirst()).path()));
            case "begins_with" -> beginsWith(args.get(0), args.get(1), c);
            case "contains" -> contains(args.get(0), args.get(1), c);
            default -> throw new IllegalArgumentException("unchecked condition: unknown function " + c.function());
        };
    }

    /** DynamoDB's begins_with (two strings or two binaries), with the stored value first. */
    private static Residual beginsWith(Term a, Term b, Condition c) {
        if (a instanceof Term.Stored p && b instanceof Term.Stored q) {
            if (p.equals(q)) return typeIs(p.path(), "S").or(typeIs(p.path(), "B")); // every string or binary begins with itself
            return tree(new ConditionExpr.BeginsWith(operand(a), operand(b)));
        }
        if (a instanceof Term.Stored) {
            AttributeValue prefix = Values.asItem(((Term.Bound) b).value());
            if (!(prefix instanceof AttributeValue.S || prefix instanceof AttributeValue.B)) return Residual.FALSE;
            return tree(new ConditionExpr.BeginsWith(operand(a), value(prefix)));
        }
        AttributeValue whole = Values.asItem(((Term.Bound) a).value());
        if (!(whole instanceof AttributeValue.S || whole instanceof AttributeValue.B)) return Residual.FALSE;
        throw new Unexpressible("'" + ConditionText.of(c) + "' tests a stored attribute as a prefix of a value");
    }

    /** DynamoDB's contains on a stored container; a member of a bound collection; a substring of a bound string has no form. */
    private static Residual contains(Term a, Term b, Condition c) {
        if (a instanceof Term.Stored p && b instanceof Term.Stored q) {
            if (p.equals(q)) return typeIs(p.path(), "S").or(typeIs(p.path(), "B")); // a string or binary contains itself
            return tree(new ConditionExpr.Contains(operand(a), operand(b)));
        }
        if (a instanceof Term.Stored) {
            AttributeValue element = Values.asItem(((Term.Bound) b).value());
            if (element == null) return Residual.FALSE;
            return tree(new ConditionExpr.Contains(operand(a), value(element)));
        }
        Path p = ((Term.Stored) b).path();
        return switch (((Term.Bound) a).value()) {
            case null -> Residual.FALSE;
            case AttributeValue.S s -> throw substring(c);
            case AttributeValue.B bytes -> throw substring(c);
            case AttributeValue av -> oneOf(p, elements(av));
            case String s -> throw substring(c);
            case Collection<?> all -> oneOf(p, asItems(all));
            default -> Residual.FALSE;
        };
    }

    private static Unexpressible substring(Condition c) {
        return new Unexpressible("'" + ConditionText.of(c) + "' tests a stored attribute as a substring of a value");
    }

    // ------------------------------------------------------------------------------ pieces

    /** The test decided here: it reads no stored attribute. */
    private Residual local(Condition c, ConditionCompiler compiler) {
        return new Residual.Always(compiler.compile(c).test(knownItem, request));
    }

    /** The elements of a list or the members of a set, each as a value; none for anything else. */
    private static Set<AttributeValue> elements(AttributeValue collection) {
        Set<AttributeValue> out = new LinkedHashSet<>();
        switch (collection) {
            case AttributeValue.L l -> out.addAll(l.value());
            case AttributeValue.SS s -> s.value().forEach(x -> out.add(new AttributeValue.S(x)));
            case AttributeValue.NS s -> s.value().forEach(x -> out.add(new AttributeValue.N(x)));
            case AttributeValue.BS s -> s.value().forEach(x -> out.add(new AttributeValue.B(x)));
            default -> { }
        }
        return out;
    }

    private static Set<AttributeValue> asItems(Collection<?> values) {
        Set<AttributeValue> out = new LinkedHashSet<>();
        for (Object o : values) {
            AttributeValue v = Values.asItem(o);
            if (v != null) out.add(v);
        }
        return out;
    }

    /** The stored value equals one of the candidates: {@code p = :v}, or INs of at most 100 operands each. */
    private static Residual oneOf(Path p, Set<AttributeValue> candidates) {
        List<AttributeValue> all = List.copyOf(candidates);
        var path = new dev.weir.protocol.expr.ast.Operand.PathOperand(p);
        if (all.isEmpty()) return Residual.FALSE;
        if (all.size() == 1) return tree(new ConditionExpr.Compare(dev.weir.protocol.expr.ast.Comparator.EQ, path, value(all.getFirst())));
        Residual any = Residual.FALSE;
        for (int i = 0; i < all.size(); i += MAX_IN) {
            List<dev.weir.protocol.expr.ast.Operand> chunk = new ArrayList<>();
            for (AttributeValue v : all.subList(i, Math.min(all.size(), i + MAX_IN))) chunk.add(value(v));
            any = any.or(tree(new ConditionExpr.In(path, chunk)));
        }
        return any;
    }

    /** attribute_type(p, type). */
    private static Residual typeIs(Path p, String type) {
        return tree(new ConditionExpr.AttributeType(p, value(new AttributeValue.S(type))));
    }

    private static dev.weir.protocol.expr.ast.Operand operand(Term t) {
        return switch (t) {
            case Term.Stored s -> new dev.weir.protocol.expr.ast.Operand.PathOperand(s.path());
            case Term.Bound b -> value(java.util.Objects.requireNonNull(Values.asItem(b.value()), "no DynamoDB value"));
            case Term.StoredSize s -> throw sizeOf(s);
        };
    }

    private static dev.weir.protocol.expr.ast.Operand.ValueOperand value(AttributeValue v) {
        return new dev.weir.protocol.expr.ast.Operand.ValueOperand(PLACEHOLDER, v);
    }

    private static dev.weir.protocol.expr.ast.Comparator comparator(Comparator op) {
        return switch (op) {
            case EQ -> dev.weir.protocol.expr.ast.Comparator.EQ;
            case NE -> dev.weir.protocol.expr.ast.Comparator.NE;
            case LT -> dev.weir.protocol.expr.ast.Comparator.LT;
            case LE -> dev.weir.protocol.expr.ast.Comparator.LE;
            case GT -> dev.weir.protocol.expr.ast.Comparator.GT;
            case GE -> dev.weir.protocol.expr.ast.Comparator.GE;
        };
    }

    private static Residual tree(ConditionExpr c) {
        return new Residual.Tree(c);
    }
}
