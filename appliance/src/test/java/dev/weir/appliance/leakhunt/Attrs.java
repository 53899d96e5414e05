package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The attribute universe of the hunt: every table uses these names, each always with the same
 * type, so that the two worlds never differ in a type (the model never varies one) and so
 * that a request naming an attribute means the same thing in every sequence. Values are drawn
 * from small pools, so that conditions, key conditions and filters written with the literal
 * pool of {@link Literals} often hold.
 */
final class Attrs {
    /** The hash key of every table. */
    static final String HASH = "id";
    /** The range key of tables that have one. */
    static final String RANGE = "sk";

    /** What type an attribute always has. */
    enum Kind { S, N, BOOL, B, NULL, ADDRESS, TAGS, SS, NS, META }

    /** The attributes a row filter, requirement or deny may read (scalars with small domains). */
    static final List<String> ROW = List.of("region", "owner", "level", "classified");

    /** Every non-key attribute, with its kind. */
    static final Map<String, Kind> ALL = new LinkedHashMap<>();

    static {
        ALL.put("region", Kind.S);
        ALL.put("owner", Kind.S);
        ALL.put("level", Kind.N);
        ALL.put("classified", Kind.BOOL);
        ALL.put("name", Kind.S);
        ALL.put("ssn", Kind.S);
        ALL.put("email", Kind.S);
        ALL.put("salary", Kind.N);
        ALL.put("score", Kind.N);
        ALL.put("address", Kind.ADDRESS);
        ALL.put("tags", Kind.TAGS);
        ALL.put("codes", Kind.SS);
        ALL.put("nums", Kind.NS);
        ALL.put("blob", Kind.B);
        ALL.put("active", Kind.BOOL);
        ALL.put("nothing", Kind.NULL);
        ALL.put("meta", Kind.META);
    }

    /** Scalar attributes an index may be keyed on, by key type. */
    static final List<String> INDEX_S = List.of("region", "owner", "name", "email", "ssn");
    static final List<String> INDEX_N = List.of("level", "salary", "score");

    static final List<String> REGIONS = List.of("eu", "us", "apac");
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin");
    static final List<String> CITIES = List.of("berlin", "paris", "lima", "oslo");
    static final List<String> WORDS = List.of("a", "ab", "abc", "red", "blue", "x", "k0");

    private Attrs() {}

    static Kind kind(String name) {
        return name.equals(HASH) ? Kind.S : ALL.get(name);
    }

    /** A fresh value of the attribute's kind, from its pool. */
    static AttributeValue value(String name, Random r, List<String> principalNames) {
        return switch (name) {
            case "region" -> s(pick(r, REGIONS));
            case "owner" -> s(pick(r, principalNames));
            case "level" -> n(r.nextInt(10));
            case "name" -> s(pick(r, NAMES) + (r.nextInt(3) == 0 ? "-" + r.nextInt(100) : ""));
            case "ssn" -> s(String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000)));
            case "email" -> s(pick(r, NAMES) + r.nextInt(10) + "@example.org");
            case "salary" -> n(1000L * r.nextInt(200) + r.nextInt(1000));
            case "score" -> n(r.nextInt(101));
            default -> ofKind(ALL.get(name), r);
        };
    }

    /** A value of a kind, not tied to an attribute's pool. */
    static AttributeValue ofKind(Kind kind, Random r) {
        return switch (kind) {
            case S -> s(pick(r, WORDS) + (r.nextBoolean() ? "" : Integer.toString(r.nextInt(1000))));
            case N -> n(r.nextInt(2000) - 100);
            case BOOL -> new AttributeValue.Bool(r.nextBoolean());
            case B -> bytes(r, 1 + r.nextInt(6));
            case NULL -> new AttributeValue.Null();
            case ADDRESS -> address(r);
            case TAGS -> tags(r);
            case SS -> {
                TreeSet<String> set = new TreeSet<>();
                int size = 1 + r.nextInt(3);
                while (set.size() < size) set.add(pick(r, WORDS) + (r.nextBoolean() ? "" : r.nextInt(5)));
                yield new AttributeValue.SS(new ArrayList<>(set));
            }
            case NS -> {
                TreeSet<Integer> set = new TreeSet<>();
                int size = 1 + r.nextInt(3);
                while (set.size() < size) set.add(r.nextInt(20));
                yield new AttributeValue.NS(set.stream().map(String::valueOf).toList());
            }
            case META -> {
                Map<String, AttributeValue> inner = new LinkedHashMap<>();
                inner.put("b", s(pick(r, WORDS)));
                if (r.nextBoolean()) inner.put("c", n(r.nextInt(9)));
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                m.put("a", new AttributeValue.M(inner));
                if (r.nextBoolean()) m.put("c", new AttributeValue.L(List.of(n(r.nextInt(9)), s(pick(r, WORDS)))));
                yield new AttributeValue.M(m);
            }
        };
    }

    static AttributeValue address(Random r) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        if (r.nextInt(5) > 0) m.put("street", s((1 + r.nextInt(99)) + " " + pick(r, WORDS) + " st"));
        if (r.nextInt(5) > 0) m.put("city", s(pick(r, CITIES)));
        if (r.nextBoolean()) m.put("zip", s(String.format("%05d", r.nextInt(100000))));
        return new AttributeValue.M(m);
    }

    static AttributeValue tags(Random r) {
        List<AttributeValue> l = new ArrayList<>();
        int size = r.nextInt(4);
        for (int i = 0; i < size; i++) l.add(s(pick(r, WORDS)));
        return new AttributeValue.L(l);
    }

    static AttributeValue bytes(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return new AttributeValue.B(new AttributeValue.Bytes(b));
    }

    static AttributeValue.S s(String v) {
        return new AttributeValue.S(v);
    }

    static AttributeValue.N n(long v) {
        return new AttributeValue.N(Long.toString(v));
    }

    static AttributeValue.N n(BigDecimal v) {
        return new AttributeValue.N(v.stripTrailingZeros().toPlainString());
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
