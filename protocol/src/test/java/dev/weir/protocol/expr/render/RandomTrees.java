package dev.weir.protocol.expr.render;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of syntax trees the store's parser accepts (every node kind: all
 * predicates, functions and operands, every update action and SET operand), of values of
 * every type, and of items over the same names, so that conditions hit and miss.
 */
final class RandomTrees {
    /** Top-level names: plain words, reserved words, and names that are no identifiers at all. */
    static final List<String> NAMES = List.of("a", "b", "c", "id", "x1", "name", "status", "Order", "set", "AND",
            "weird.name", "with space", "ünï", "#x", ":y", "日本");
    static final List<String> KEYS = List.of("p", "q", "city", "size", "a");
    static final List<String> STRINGS = List.of("", "a", "ab", "abc", "b", "eu", "us", "é", "日本", "A", "a b");
    static final List<String> NUMBERS = List.of("0", "1", "1.0", "2", "2.5", "-3", "10", "100", "0.001", "12345678901234567890");
    static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS");

    final Random random;

    RandomTrees(long seed) {
        this.random = new Random(seed);
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    // ------------------------------------------------------------------------------ values

    AttributeValue.S string() { return new AttributeValue.S(pick(STRINGS)); }

    AttributeValue.N number() { return new AttributeValue.N(pick(NUMBERS)); }

    AttributeValue.Bytes bytes() {
        byte[] b = new byte[random.nextInt(4)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (random.nextInt(3) * 127);
        return new AttributeValue.Bytes(b);
    }

    AttributeValue value(int depth) {
        return switch (random.nextInt(depth > 0 ? 10 : 8)) {
            case 0, 1 -> string();
            case 2, 3 -> number();
            case 4 -> new AttributeValue.B(bytes());
            case 5 -> new AttributeValue.Bool(random.nextBoolean());
            case 6 -> new AttributeValue.Null();
            case 7 -> set();
            case 8 -> list(depth - 1);
            default -> map(depth - 1);
        };
    }

    AttributeValue set() {
        int n = 1 + random.nextInt(3);
        return switch (random.nextInt(3)) {
            case 0 -> {
                Set<String> s = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) s.add(pick(STRINGS));
                yield new AttributeValue.SS(List.copyOf(s));
            }
            case 1 -> {
                Map<BigDecimal, String> s = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String x = pick(NUMBERS);
                    s.putIfAbsent(new BigDecimal(x).stripTrailingZeros(), x);
                }
                yield new AttributeValue.NS(List.copyOf(s.values()));
            }
            default -> {
                Set<AttributeValue.Bytes> s = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) s.add(bytes());
                yield new AttributeValue.BS(List.copyOf(s));
            }
        };
    }

    AttributeValue.L list(int depth) {
        List<AttributeValue> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) out.add(value(depth));
        return new AttributeValue.L(out);
    }

    AttributeValue.M map(int depth) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) out.put(pick(KEYS), value(depth));
        return new AttributeValue.M(out);
    }

    /** An item over {@link #NAMES}, nested where paths go. */
    Map<String, AttributeValue> item() {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : NAMES) if (chance(0.6)) out.put(name, value(2));
        return out;
    }

    // ------------------------------------------------------------------------------ paths

    Path path() {
        List<PathElement> elements = new ArrayList<>();
        elements.add(new PathElement.Name(pick(NAMES)));
        while (chance(0.3) && elements.size() < 4) {
            elements.add(chance(0.6) ? new PathElement.Name(pick(KEYS)) : new PathElement.Index(random.nextInt(4)));
        }
        return new Path(elements);
    }

    /** Paths none of which overlaps or conflicts with another, as update targets and projections must be. */
    List<Path> disjointPaths(int count) {
        List<Path> out = new ArrayList<>();
        for (int tries = 0; out.size() < count && tries < 50; tries++) {
            Path p = path();
            if (out.stream().allMatch(o -> disjoint(o, p))) out.add(p);
        }
        return out;
    }

    static boolean disjoint(Path a, Path b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            PathElement x = a.elements().get(i), y = b.elements().get(i);
            if (x.getClass() != y.getClass()) return false;
            if (!x.equals(y)) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------ conditions

    static Operand.ValueOperand v(AttributeValue value) {
        return new Operand.ValueOperand(":x", value);
    }

    static Operand p(Path path) {
        return new Operand.PathOperand(path);
    }

    Operand operand() {
        int k = random.nextInt(10);
        if (k < 6) return p(path());
        if (k < 9) return v(value(1));
        return new Operand.Size(chance(0.8) ? p(path()) : v(sizedValue()));
    }

    /** A value size() accepts: a string, a binary, a set, a list or a map. */
    AttributeValue sizedValue() {
        return switch (random.nextInt(5)) {
            case 0 -> string();
            case 1 -> new AttributeValue.B(bytes());
            case 2 -> set();
            case 3 -> list(1);
            default -> map(1);
        };
    }

    /** Two operands, not the same path twice (DynamoDB wants them distinct). */
    Operand[] distinctPair() {
        Operand a = operand(), b = operand();
        while (a instanceof Operand.PathOperand && a.equals(b)) b = operand();
        return new Operand[] {a, b};
    }

    ConditionExpr condition(int depth) {
        if (depth <= 0 || chance(0.35)) return predicate();
        return switch (random.nextInt(5)) {
            case 0, 1 -> new ConditionExpr.And(condition(depth - 1), condition(depth - 1));
            case 2, 3 -> new ConditionExpr.Or(condition(depth - 1), condition(depth - 1));
            default -> new ConditionExpr.Not(condition(depth - 1));
        };
    }

    ConditionExpr predicate() {
        return switch (random.nextInt(8)) {
            case 0 -> {
                Operand[] pair = distinctPair();
                yield new ConditionExpr.Compare(pick(List.of(Comparator.values())), pair[0], pair[1]);
            }
            case 1 -> between();
            case 2 -> {
                List<Operand> candidates = new ArrayList<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) candidates.add(operand());
                yield new ConditionExpr.In(operand(), candidates);
            }
            case 3 -> new ConditionExpr.AttributeExists(path());
            case 4 -> new ConditionExpr.AttributeNotExists(path());
            case 5 -> new ConditionExpr.AttributeType(path(), v(new AttributeValue.S(pick(TYPES))));
            case 6 -> {
                Operand a = prefixOperand(), b = prefixOperand();
                while (a instanceof Operand.PathOperand && a.equals(b)) b = prefixOperand();
                yield new ConditionExpr.BeginsWith(a, b);
            }
            default -> {
                Operand[] pair = distinctPair();
                yield new ConditionExpr.Contains(pair[0], pair[1]);
            }
        };
    }

    /** begins_with takes paths, strings and binaries. */
    Operand prefixOperand() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> p(path());
            case 2 -> v(string());
            default -> v(new AttributeValue.B(bytes()));
        };
    }

    /** BETWEEN with bounds DynamoDB accepts: two literal bounds are of one type and in order. */
    ConditionExpr between() {
        if (chance(0.6)) {
            AttributeValue x, y;
            if (random.nextBoolean()) {
                x = number();
                y = number();
                if (new BigDecimal(((AttributeValue.N) x).value()).compareTo(new BigDecimal(((AttributeValue.N) y).value())) > 0) {
                    AttributeValue t = x; x = y; y = t;
                }
            } else {
                x = string();
                y = string();
                if (dev.weir.protocol.expr.eval.Values.compareStrings(((AttributeValue.S) x).value(), ((AttributeValue.S) y).value()) > 0) {
                    AttributeValue t = x; x = y; y = t;
                }
            }
            return new ConditionExpr.Between(operand(), v(x), v(y));
        }
        Operand low = operand(), high = operand();
        while (low instanceof Operand.ValueOperand && high instanceof Operand.ValueOperand) high = operand();
        return new ConditionExpr.Between(operand(), low, high);
    }

    // ------------------------------------------------------------------------------ updates

    UpdateExpr update() {
        List<Path> targets = disjointPaths(1 + random.nextInt(5));
        List<UpdateAction> actions = new ArrayList<>();
        for (Path target : targets) {
            actions.add(switch (random.nextInt(6)) {
                case 0, 1, 2 -> new UpdateAction.Set(target, setValue());
                case 3 -> new UpdateAction.Remove(target);
                case 4 -> new UpdateAction.Add(target, v(chance(0.5) ? number() : set()));
                default -> new UpdateAction.Delete(target, v(set()));
            });
        }
        return new UpdateExpr(actions);
    }

    Operand setValue() {
        if (chance(0.3)) {
            return new Operand.Arithmetic(numberOperand(2), chance(0.5) ? Operand.Operator.PLUS : Operand.Operator.MINUS,
                    numberOperand(2));
        }
        return setOperand(2);
    }

    Operand setOperand(int depth) {
        return switch (random.nextInt(depth > 0 ? 4 : 2)) {
            case 0 -> p(path());
            case 1 -> v(value(1));
            case 2 -> new Operand.IfNotExists(path(), setOperand(depth - 1));
            default -> new Operand.ListAppend(listOperand(depth - 1), listOperand(depth - 1));
        };
    }

    Operand numberOperand(int depth) {
        return switch (random.nextInt(depth > 0 ? 3 : 2)) {
            case 0 -> p(path());
            case 1 -> v(number());
            default -> new Operand.IfNotExists(path(), numberOperand(depth - 1));
        };
    }

    Operand listOperand(int depth) {
        return switch (random.nextInt(depth > 0 ? 4 : 2)) {
            case 0 -> p(path());
            case 1 -> v(list(1));
            case 2 -> new Operand.IfNotExists(path(), listOperand(depth - 1));
            default -> new Operand.ListAppend(listOperand(depth - 1), listOperand(depth - 1));
        };
    }

    List<Path> projection() {
        return disjointPaths(1 + random.nextInt(4));
    }
}
