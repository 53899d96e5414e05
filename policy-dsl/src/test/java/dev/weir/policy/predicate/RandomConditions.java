package dev.weir.policy.predicate;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.Comparator;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.ast.SourcePos;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of policy conditions (every operator and function, item references nested
 * and indexed, principal attributes with one, several or no values, the principal's name and
 * roles, context values, literals of every type), of items whose values collide with those
 * literals in every DynamoDB type (one-element lists and sets, wrong types, missing
 * attributes, non-ASCII strings), of principals, and of known new values.
 */
final class RandomConditions {
    static final SourcePos POS = new SourcePos("random.weir", 1, 1);
    static final List<String> TOP = List.of("a", "b", "m", "l", "tags", "we.ird", "日本");
    static final List<String> KEYS = List.of("city", "p");
    static final List<String> STRINGS = List.of("", "eu", "us", "e", "u", "x", "ada", "é", "日本", "日", "Paris", "10.1.2.3",
            "a) OR (#x = :y");
    static final List<String> NUMBERS = List.of("0", "1", "1.0", "2.5", "-3", "10", "1e2", "100");
    /** Numbers DynamoDB cannot hold (too large, too many digits). */
    static final List<String> ODD_NUMBERS = List.of("1e200", "1.000000000000000000000000000000000000001");
    static final CidrBlock TEN = CidrBlock.parse("10.0.0.0/8").block().orElseThrow();
    static final ConditionCompiler COMPILER = new ConditionCompiler(Map.of("office", List.of(TEN)));

    final Random random;

    RandomConditions(long seed) {
        random = new Random(seed);
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    // ------------------------------------------------------------------------------ conditions

    Condition condition(int depth) {
        if (depth <= 0 || chance(0.4)) return atom();
        return switch (random.nextInt(5)) {
            case 0, 1 -> new Condition.And(condition(depth - 1), condition(depth - 1), POS);
            case 2, 3 -> new Condition.Or(condition(depth - 1), condition(depth - 1), POS);
            default -> new Condition.Not(condition(depth - 1), POS);
        };
    }

    Condition atom() {
        return switch (random.nextInt(20)) {
            case 0 -> new Condition.Constant(random.nextBoolean(), POS);
            case 1, 2, 3, 4, 5 -> new Condition.Compare(operand(), pick(List.of(Comparator.values())), operand(), POS);
            case 6, 7 -> new Condition.Between(operand(), operand(), operand(), POS);
            case 8, 9, 10, 11 -> new Condition.In(operand(), set(), POS);
            case 12, 13 -> new Condition.Call("exists", List.of(chance(0.8) ? item() : principal()), POS);
            case 14, 15 -> new Condition.Call("begins_with", List.of(operand(), operand()), POS);
            default -> new Condition.Call("contains", List.of(operand(), operand()), POS);
        };
    }

    SetExpr set() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> {
                List<Operand> elements = new ArrayList<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) elements.add(chance(0.1) ? new Operand.Cidr(TEN, POS) : operand());
                yield new SetExpr.Listed(elements, POS);
            }
            case 4, 5, 6 -> new SetExpr.OfReference(((Operand.Ref) item()).ref(), POS);
            case 7, 8 -> new SetExpr.OfReference(((Operand.Ref) (chance(0.8) ? principal() : context())).ref(), POS);
            default -> chance(0.5) ? new SetExpr.Network(new Name("office", POS), POS)
                    : new SetExpr.TimeWindow(LocalTime.of(7, 0), LocalTime.of(19, 0), Optional.empty(), POS);
        };
    }

    Operand operand() {
        int k = random.nextInt(20);
        if (k < 10) return item();
        if (k < 13) return principal();
        if (k < 14) return context();
        if (k < 15) return new Operand.Size(((Operand.Ref) (chance(0.7) ? item() : principal())).ref(), POS);
        return literal();
    }

    Operand literal() {
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> new Operand.Str(pick(STRINGS), POS);
            case 3, 4 -> {
                String n = chance(0.1) ? pick(ODD_NUMBERS) : pick(NUMBERS);
                yield new Operand.Num(new BigDecimal(n), n, POS);
            }
            case 5 -> new Operand.Bool(random.nextBoolean(), POS);
            case 6 -> new Operand.Nul(POS);
            case 7 -> new Operand.Cidr(TEN, POS);
            default -> new Operand.Str(pick(STRINGS), POS);
        };
    }

    Operand item() {
        List<Reference.Step> steps = new ArrayList<>();
        if (chance(0.02)) return ref(Reference.Root.ITEM, steps); // `item` alone names nothing
        steps.add(new Reference.Step.Key(pick(TOP)));
        while (chance(0.3) && steps.size() < 3) {
            steps.add(chance(0.5) ? new Reference.Step.Key(pick(KEYS)) : new Reference.Step.Index(random.nextInt(2)));
        }
        return ref(Reference.Root.ITEM, steps);
    }

    Operand principal() {
        String key = pick(List.of("region", "regions", "empty", "missing", "name", "id", "roles", "odd"));
        return ref(Reference.Root.PRINCIPAL, List.of(new Reference.Step.Key(key)));
    }

    Operand context() {
        List<String> path = pick(List.of(List.of("operation"), List.of("table"), List.of("source"), List.of("time"),
                List.of("tls", "san"), List.of("tls", "subject", "ou"), List.of("table", "tags", "env")));
        return ref(Reference.Root.CTX, path.stream().map(k -> (Reference.Step) new Reference.Step.Key(k)).toList());
    }

    private static Operand ref(Reference.Root root, List<Reference.Step> steps) {
        return new Operand.Ref(new Reference(root, steps, POS), POS);
    }

    // ------------------------------------------------------------------------------ requests

    DecisionRequest request() {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        List<List<String>> choices = List.of(List.of("eu"), List.of("us"), List.of("eu", "us"), List.of(), List.of("日本"),
                List.of("1"), List.of("x", "eu", "e"));
        for (String key : List.of("region", "regions", "empty", "odd")) {
            if (chance(0.85)) attributes.put(key, key.equals("empty") ? List.of() : pick(choices));
        }
        Set<String> roles = chance(0.5) ? Set.of("a") : Set.of("a", "eu");
        String name = pick(java.util.Arrays.asList("ada", "eu", null));
        Context context = Context.NONE;
        if (chance(0.5)) {
            try {
                context = new Context(InetAddress.getByName(chance(0.5) ? "10.1.2.3" : "192.168.0.1"),
                        Instant.parse(chance(0.5) ? "2025-01-01T09:00:00Z" : "2025-01-01T21:00:00Z"),
                        chance(0.5) ? TlsIdentity.NONE : new TlsIdentity(Map.of("ou", List.of("eu")), List.of("eu", "x")),
                        chance(0.5) ? Map.of() : Map.of("env", "eu"));
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return new DecisionRequest(name, roles, attributes, "t", pick(List.of(Operation.PutItem, Operation.UpdateItem)), context);
    }

    // ------------------------------------------------------------------------------ items

    AttributeValue value(int depth) {
        return switch (random.nextInt(depth > 0 ? 13 : 10)) {
            case 0, 1, 2 -> new AttributeValue.S(pick(STRINGS));
            case 3, 4 -> new AttributeValue.N(pick(NUMBERS));
            case 5 -> new AttributeValue.B(bytes());
            case 6 -> new AttributeValue.Bool(random.nextBoolean());
            case 7 -> new AttributeValue.Null();
            case 8 -> stringSet();
            case 9 -> chance(0.5) ? numberSet() : new AttributeValue.BS(List.of(bytes()));
            case 10 -> new AttributeValue.L(List.of(value(depth - 1))); // one-element list
            case 11 -> {
                List<AttributeValue> l = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) l.add(value(depth - 1));
                yield new AttributeValue.L(l);
            }
            default -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (String k : KEYS) if (chance(0.6)) m.put(k, value(depth - 1));
                yield new AttributeValue.M(m);
            }
        };
    }

    AttributeValue.Bytes bytes() {
        byte[] b = new byte[random.nextInt(3)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (random.nextInt(2) * 101);
        return new AttributeValue.Bytes(b);
    }

    AttributeValue stringSet() {
        Set<String> s = new LinkedHashSet<>();
        int n = 1 + random.nextInt(chance(0.5) ? 1 : 3);
        for (int i = 0; i < n; i++) s.add(pick(STRINGS));
        return new AttributeValue.SS(List.copyOf(s));
    }

    AttributeValue numberSet() {
        Map<BigDecimal, String> s = new LinkedHashMap<>();
        int n = 1 + random.nextInt(chance(0.5) ? 1 : 3);
        for (int i = 0; i < n; i++) {
            String x = pick(NUMBERS);
            s.putIfAbsent(new BigDecimal(x).stripTrailingZeros(), x);
        }
        return new AttributeValue.NS(List.copyOf(s.values()));
    }

    Map<String, AttributeValue> storedItem() {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : TOP) if (chance(0.7)) out.put(name, value(2));
        return out;
    }

    /** Known new values for some top-level attributes (empty: known to be absent), or none. */
    Map<String, Optional<AttributeValue>> known() {
        Map<String, Optional<AttributeValue>> out = new LinkedHashMap<>();
        if (chance(0.6)) return out;
        for (String name : TOP) {
            if (chance(0.3)) out.put(name, chance(0.8) ? Optional.of(value(2)) : Optional.empty());
        }
        return out;
    }

    /** The item as the policy sees it: stored values with the known new ones put in. */
    static Map<String, AttributeValue> merged(Map<String, AttributeValue> stored, Map<String, Optional<AttributeValue>> known) {
        Map<String, AttributeValue> out = new LinkedHashMap<>(stored);
        known.forEach((k, v) -> {
            if (v.isPresent()) out.put(k, v.get());
            else out.remove(k);
        });
        return out;
    }
}
