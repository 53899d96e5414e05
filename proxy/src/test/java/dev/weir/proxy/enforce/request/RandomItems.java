package dev.weir.proxy.enforce.request;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.value.ItemValidator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Stored items for evaluating conditions on, from a seed: each of the given paths present or
 * not, holding one of the values the expressions compare with or one of a few of every type
 * (so comparisons go both ways, types mismatch, and lists and maps stand where scalars are
 * expected); nested paths get the maps and lists they need. Items are canonical, as the
 * store keeps them.
 */
final class RandomItems {
    private static final List<AttributeValue> EVERY_TYPE = List.of(
            new AttributeValue.S("eu"), new AttributeValue.S("us"), new AttributeValue.S("x"), new AttributeValue.S("EU-1"),
            new AttributeValue.S("ada"), new AttributeValue.S("Berlin"), new AttributeValue.S(""), new AttributeValue.S("S"),
            new AttributeValue.N("0"), new AttributeValue.N("3"), new AttributeValue.N("18"), new AttributeValue.N("65"),
            new AttributeValue.N("-1.5"), new AttributeValue.N("2001"), new AttributeValue.Bool(true), new AttributeValue.Bool(false),
            new AttributeValue.Null(), new AttributeValue.L(List.of(new AttributeValue.S("eu"))),
            new AttributeValue.L(List.of(new AttributeValue.S("x"), new AttributeValue.N("3"))),
            new AttributeValue.SS(List.of("x", "eu")), new AttributeValue.NS(List.of("3")),
            new AttributeValue.M(Map.of("city", new AttributeValue.S("Berlin"))),
            new AttributeValue.B(AttributeValue.Bytes.ofBase64("AQI=")));
    /** Lists are made only up to this index: enough to reach every element a test names in practice. */
    private static final int MAX_INDEX = 8;

    private RandomItems() {}

    static List<Map<String, AttributeValue>> of(long seed, Collection<Path> paths, Collection<AttributeValue> values, int count) {
        Random random = new Random(seed);
        List<AttributeValue> pool = new ArrayList<>(EVERY_TYPE);
        for (AttributeValue v : values) {
            try {
                pool.add(ItemValidator.canonical(v));
            } catch (DynamoException notStorable) {
                // a value the store refuses is never stored
            }
        }
        List<Path> all = new ArrayList<>(new LinkedHashSet<>(paths));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(Map.of());
        for (int i = 1; i < count; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            for (Path p : all) {
                if (random.nextInt(4) == 0) continue;
                AttributeValue leaf = pool.get(random.nextInt(pool.size()));
                AttributeValue top = put(item.get(p.attribute()), p.elements().subList(1, p.size()), leaf, random, pool);
                if (top != null) item.put(p.attribute(), top);
            }
            items.add(ItemValidator.canonicalItem(item));
        }
        return items;
    }

    /** {@code current} with {@code leaf} at {@code rest}, containers made where needed; null when the path cannot be made. */
    private static AttributeValue put(AttributeValue current, List<PathElement> rest, AttributeValue leaf, Random random,
                                      List<AttributeValue> pool) {
        if (rest.isEmpty()) return leaf;
        PathElement head = rest.getFirst();
        List<PathElement> tail = rest.subList(1, rest.size());
        switch (head) {
            case PathElement.Name n -> {
                Map<String, AttributeValue> map = current instanceof AttributeValue.M m ? new LinkedHashMap<>(m.value())
                        : new LinkedHashMap<>();
                AttributeValue child = put(map.get(n.name()), tail, leaf, random, pool);
                if (child == null) return current;
                map.put(n.name(), child);
                return new AttributeValue.M(map);
            }
            case PathElement.Index x -> {
                if (x.index() > MAX_INDEX) return current;
                List<AttributeValue> list = current instanceof AttributeValue.L l ? new ArrayList<>(l.value()) : new ArrayList<>();
                while (list.size() <= x.index()) list.add(pool.get(random.nextInt(pool.size())));
                AttributeValue child = put(list.get(x.index()), tail, leaf, random, pool);
                if (child == null) return current;
                list.set(x.index(), child);
                return new AttributeValue.L(list);
            }
        }
    }

    /** Every value a tree's operands name. */
    static Set<AttributeValue> values(ConditionExpr c, Set<AttributeValue> out) {
        if (c == null) return out;
        switch (c) {
            case ConditionExpr.Compare x -> { values(x.left(), out); values(x.right(), out); }
            case ConditionExpr.Between x -> { values(x.operand(), out); values(x.low(), out); values(x.high(), out); }
            case ConditionExpr.In x -> { values(x.operand(), out); x.candidates().forEach(o -> values(o, out)); }
            case ConditionExpr.AttributeType x -> values(x.type(), out);
            case ConditionExpr.BeginsWith x -> { values(x.operand(), out); values(x.prefix(), out); }
            case ConditionExpr.Contains x -> { values(x.operand(), out); values(x.element(), out); }
            case ConditionExpr.And x -> { values(x.left(), out); values(x.right(), out); }
            case ConditionExpr.Or x -> { values(x.left(), out); values(x.right(), out); }
            case ConditionExpr.Not x -> values(x.condition(), out);
            default -> { }
        }
        return out;
    }

    private static void values(Operand o, Set<AttributeValue> out) {
        switch (o) {
            case Operand.ValueOperand v -> out.add(v.value());
            case Operand.Size s -> values(s.operand(), out);
            default -> { }
        }
    }
}
