package dev.weir.policy.predicate;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.predicate.CompiledCondition.Origin;
import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles checked conditions into {@link CompiledCondition}s.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Item values follow DynamoDB's condition expressions exactly (see {@link Values}): a
 *       test with an item value on one side takes the other side as the DynamoDB value it
 *       stands for and is DynamoDB's own test. An item's list or set is never its single
 *       element ({@code item.region == "eu"} is false for {@code region = ["eu"]}).</li>
 *   <li>{@code a == b}: both present, same type, equal (numbers by value, sets regardless of
 *       order, lists and maps deeply). {@code a != b} is {@code not (a == b)}, so it is true
 *       when either side is absent, as in DynamoDB.</li>
 *   <li>{@code <, <=, >, >=} and {@code between}: two numbers, two strings (code point order),
 *       or two item binaries (unsigned bytes); anything else is false.</li>
 *   <li>{@code a in [x, y]}: equal to one element; an address is "in" a CIDR block when the
 *       block contains it. {@code a in principal.regions}: one of the attribute's values.
 *       {@code a in item.tags}: an element of the stored list or a member of the stored set
 *       (a stored string, number or map has no members). {@code a in office}: in one of the
 *       network's blocks. {@code ctx.time in 07:00..19:00 "Europe/Berlin"}: the local time
 *       of day in that zone (UTC if none) lies in the half-open window.</li>
 *   <li>{@code exists(a)}: present. {@code begins_with(a, b)}: two strings, a starts with b
 *       (or two item binaries). {@code contains(a, b)}: on an item value DynamoDB's
 *       {@code contains} (substring of a string or binary, member of a set, element of a
 *       list); on a request string a substring; on a principal attribute a member.
 *       {@code size(a)}: characters (code points) of a string, bytes of a binary, elements of
 *       a set, list or map.</li>
 *   <li>A principal attribute is a list of strings, and one with a single value is that plain
 *       value; {@code principal.name} (also {@code principal.id}) is the principal's name and
 *       {@code principal.roles} its roles. Compared with an item value, a principal attribute
 *       with several values is a list (L) of its strings.</li>
 * </ul>
 */
public final class ConditionCompiler {
    private final Map<String, List<CidrBlock>> networks;

    /** @param networks the policy set's {@code network} declarations by name */
    public ConditionCompiler(Map<String, List<CidrBlock>> networks) {
        this.networks = Map.copyOf(networks);
    }

    /** Reads one operand's runtime value. */
    @FunctionalInterface
    interface Getter {
        Object get(Map<String, AttributeValue> item, DecisionRequest request);
    }

    public CompiledCondition compile(Condition condition) {
        CompiledCondition compiled = compileNode(condition);
        if (compiled == CompiledCondition.TRUE || compiled == CompiledCondition.FALSE) return compiled;
        Origin origin = new Origin(condition, this);
        return new CompiledCondition() {
            public boolean test(Map<String, AttributeValue> item, DecisionRequest request) {
                return compiled.test(item, request);
            }

            @Override public Origin origin() {
                return origin;
            }

            @Override public String toString() {
                return compiled.toString();
            }
        };
    }

    private CompiledCondition compileNode(Condition condition) {
        String text = ConditionText.of(condition);
        return switch (condition) {
            case Condition.Constant k -> k.value() ? CompiledCondition.TRUE : CompiledCondition.FALSE;
            case Condition.And a -> {
                CompiledCondition l = compileNode(a.left()), r = compileNode(a.right());
                yield named(text, (item, req) -> l.test(item, req) && r.test(item, req));
            }
            case Condition.Or o -> {
                CompiledCondition l = compileNode(o.left()), r = compileNode(o.right());
                yield named(text, (item, req) -> l.test(item, req) || r.test(item, req));
            }
            case Condition.Not n -> {
                CompiledCondition inner = compileNode(n.inner());
                yield named(text, (item, req) -> !inner.test(item, req));
            }
            case Condition.Compare c -> compare(text, getter(c.left()), c.op(), getter(c.right()));
            case Condition.Between b -> {
                Getter v = getter(b.value()), lo = getter(b.low()), hi = getter(b.high());
                yield named(text, (item, req) -> {
                    Object x = v.get(item, req);
                    int a = Values.compare(x, lo.get(item, req)), z = Values.compare(x, hi.get(item, req));
                    return a != Integer.MIN_VALUE && z != Integer.MIN_VALUE && a >= 0 && z <= 0;
                });
            }
            case Condition.In i -> in(text, getter(i.value()), i.set());
            case Condition.Call c -> call(text, c);
        };
    }

    private static CompiledCondition named(String text, CompiledCondition test) {
        return new CompiledCondition() {
            public boolean test(Map<String, AttributeValue> item, DecisionRequest request) {
                return test.test(item, request);
            }

            @Override public String toString() {
                return text;
            }
        };
    }

    private static CompiledCondition compare(String text, Getter l, dev.weir.policy.ast.Comparator op, Getter r) {
        return switch (op) {
            case EQ -> named(text, (item, req) -> Values.equal(l.get(item, req), r.get(item, req)));
            case NE -> named(text, (item, req) -> !Values.equal(l.get(item, req), r.get(item, req)));
            case LT -> ordered(text, l, r, c -> c < 0);
            case LE -> ordered(text, l, r, c -> c <= 0);
            case GT -> ordered(text, l, r, c -> c > 0);
            case GE -> ordered(text, l, r, c -> c >= 0);
        };
    }

    private static CompiledCondition ordered(String text, Getter l, Getter r, java.util.function.IntPredicate accept) {
        return named(text, (item, req) -> {
            int c = Values.compare(l.get(item, req), r.get(item, req));
            return c != Integer.MIN_VALUE && accept.test(c);
        });
    }

    private CompiledCondition in(String text, Getter value, SetExpr set) {
        return switch (set) {
            case SetExpr.TimeWindow w -> {
                TimeWindowTest window = new TimeWindowTest(w.from(), w.to(), w.zone().map(ZoneId::of).orElse(ZoneOffset.UTC));
                yield named(text, (item, req) -> value.get(item, req) instanceof java.time.Instant t && window.test(t));
            }
            case SetExpr.Network n -> blocks(text, value, networks.getOrDefault(n.name().text(), List.of()), List.of());
            case SetExpr.OfReference r -> {
                Getter container = reference(r.ref());
                yield named(text, (item, req) -> Values.member(container.get(item, req), value.get(item, req)));
            }
            case SetExpr.Listed l -> {
                List<CidrBlock> blocks = new ArrayList<>();
                List<Getter> others = new ArrayList<>();
                for (Operand e : l.elements()) {
                    if (e instanceof Operand.Cidr c) blocks.add(c.block());
                    else others.add(getter(e));
                }
                yield blocks(text, value, blocks, others);
            }
        };
    }

    private static CompiledCondition blocks(String text, Getter value, List<CidrBlock> blockList, List<Getter> otherList) {
        CidrBlock[] blocks = blockList.toArray(CidrBlock[]::new);
        Getter[] others = otherList.toArray(Getter[]::new);
        return named(text, (item, req) -> {
            Object v = value.get(item, req);
            if (v == null) return false;
            if (v instanceof byte[] ip) {
                for (CidrBlock b : blocks) if (b.contains(ip)) return true;
            }
            for (Getter g : others) if (Values.equal(v, g.get(item, req))) return true;
            return false;
        });
    }

    private CompiledCondition call(String text, Condition.Call c) {
        List<Getter> args = c.args().stream().map(this::getter).toList();
        return switch (c.function()) {
            case "exists" -> {
                Getter a = args.getFirst();
                yield named(text, (item, req) -> a.get(item, req) != null);
            }
            case "begins_with" -> {
                Getter a = args.get(0), b = args.get(1);
                yield named(text, (item, req) -> Values.beginsWith(a.get(item, req), b.get(item, req)));
            }
            case "contains" -> {
                Getter a = args.get(0), b = args.get(1);
                yield named(text, (item, req) -> Values.contains(a.get(item, req), b.get(item, req)));
            }
            default -> throw new IllegalArgumentException("unchecked condition: unknown function " + c.function());
        };
    }

    Getter getter(Operand operand) {
        return switch (operand) {
            case Operand.Str s -> constant(s.value());
            case Operand.Num n -> constant(n.value());
            case Operand.Bool b -> constant(b.value());
            case Operand.Nul n -> constant(Values.NULL);
            case Operand.Cidr c -> constant(c.block());
            case Operand.Size s -> {
                Getter inner = reference(s.ref());
                yield (item, req) -> Values.size(inner.get(item, req));
            }
            case Operand.Ref r -> reference(r.ref());
        };
    }

    private static Getter constant(Object value) {
        return (item, req) -> value;
    }

    /** Reads a reference; unknown names read as absent (the checker reports them). */
    static Getter reference(Reference ref) {
        List<String> keys = ref.keys();
        return switch (ref.root()) {
            case ITEM -> {
                Object[] path = new Object[ref.steps().size()];
                for (int i = 0; i < path.length; i++) {
                    path[i] = switch (ref.steps().get(i)) {
                        case Reference.Step.Key k -> k.name();
                        case Reference.Step.Index x -> x.index();
                    };
                }
                if (path.length == 0 || !(path[0] instanceof String)) yield constant(null);
                yield (item, req) -> Values.at(item, path);
            }
            case PRINCIPAL -> {
                if (keys.size() != 1 || keys.size() != ref.steps().size()) yield constant(null);
                String key = keys.getFirst();
                yield switch (key) {
                    case "name", "id" -> (item, req) -> req.principal();
                    case "roles" -> (item, req) -> req.roles();
                    default -> (item, req) -> req.attributes().get(key);
                };
            }
            case CTX -> ctx(keys, keys.size() == ref.steps().size());
        };
    }

    private static Getter ctx(List<String> keys, boolean plain) {
        if (!plain || keys.isEmpty()) return constant(null);
        String path = String.join(".", keys);
        if (keys.size() == 3 && keys.get(0).equals("tls") && keys.get(1).equals("subject")) {
            // The set of the attribute's values as a sorted list, whatever the RDN order (TlsIdentity).
            String field = keys.get(2).toLowerCase(java.util.Locale.ROOT);
            return (item, req) -> req.context().tls().subject().get(field);
        }
        if (keys.size() == 3 && keys.get(0).equals("table") && keys.get(1).equals("tags")) {
            String tag = keys.get(2);
            return (item, req) -> req.context().tableTags().get(tag);
        }
        return switch (path) {
            case "source" -> (item, req) -> req.context().sourceBytes();
            case "time" -> (item, req) -> req.context().time();
            case "operation" -> (item, req) -> req.operation().name();
            case "table" -> (item, req) -> req.table();
            case "tls.san" -> (item, req) -> req.context().tls().san();
            default -> constant(null);
        };
    }

    /** Every context path a policy may read, for the checker and the docs; {@code *} is any name. */
    public static final List<String> CONTEXT_PATHS =
            List.of("source", "time", "operation", "table", "table.tags.*", "tls.subject.*", "tls.san");

}
