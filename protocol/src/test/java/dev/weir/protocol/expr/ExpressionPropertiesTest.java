package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties of expression evaluation on seeded random cases: numbers compare and add as exact
 * decimals, strings compare by their UTF-8 bytes, and NOT NOT and De Morgan hold (missing
 * attributes included). A failure names the seed and the case; {@code -Dweir.seed=N} runs that
 * one case again.
 */
class ExpressionPropertiesTest {
    private static final BigDecimal LIMIT = new BigDecimal("1E20");

    /** A number in [-1E20, 1E20] with scale 6; edge values, equal pairs and near pairs come often. */
    static BigDecimal number(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new BigDecimal(new String[] {"0", "1", "-1", "0.000001", "-0.000001", "1E20", "-1E20"}[random.nextInt(7)]).setScale(6);
            case 1 -> BigDecimal.valueOf(random.nextInt(201) - 100).setScale(6);
            default -> {
                BigDecimal unscaled = new BigDecimal(new java.math.BigInteger(93, random));
                BigDecimal x = unscaled.movePointLeft(6).remainder(LIMIT);
                yield (random.nextBoolean() ? x.negate() : x).setScale(6);
            }
        };
    }

    /** A second number: often equal to {@code x} or one unit in the last place away. */
    static BigDecimal partner(Random random, BigDecimal x) {
        return switch (random.nextInt(6)) {
            case 0 -> x;
            case 1 -> x.add(new BigDecimal("0.000001")).min(LIMIT);
            case 2 -> x.subtract(new BigDecimal("0.000001")).max(LIMIT.negate());
            default -> number(random);
        };
    }

    /** Valid Unicode of up to 6 code points from every plane (no lone surrogates), biased to where UTF-8 and UTF-16 order differ. */
    static String string(Random random) {
        int length = random.nextInt(7);
        int[] cps = new int[length];
        for (int i = 0; i < length; i++) {
            cps[i] = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0xD800 - 0x80);
                case 2 -> 0xE000 + random.nextInt(0x10000 - 0xE000);
                case 3 -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                default -> new int[] {0, 0x7F, 0x80, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF}[random.nextInt(8)];
            };
        }
        return new String(cps, 0, length);
    }

    /** A second string: often a prefix or an extension of {@code x}. */
    static String partner(Random random, String x) {
        return switch (random.nextInt(5)) {
            case 0 -> x;
            case 1 -> x.substring(0, x.offsetByCodePoints(0, random.nextInt(x.codePointCount(0, x.length()) + 1)));
            case 2 -> x + string(random);
            default -> string(random);
        };
    }

    @Test
    void numbersCompareLikeBigDecimal() {
        forSeeds(1_000, random -> {
            BigDecimal x = number(random), y = partner(random, x);
            String c = "x=" + x + " y=" + y;
            Map<String, AttributeValue> item = map("a", n(x.toPlainString()));
            assertEquals(x.compareTo(y) < 0, new ExpressionContext(null, map(":v", n(y.toPlainString())))
                    .condition("ConditionExpression", "a < :v").test(item), c);
            assertEquals(x.compareTo(y) == 0, new ExpressionContext(null, map(":v", n(y.toPlainString())))
                    .condition("ConditionExpression", "a = :v").test(item), c);
        });
    }

    @Test
    void stringsCompareByUtf8Bytes() {
        forSeeds(1_000, random -> {
            String x = string(random), y = partner(random, x);
            String c = "x=" + codePoints(x) + " y=" + codePoints(y);
            boolean less = Arrays.compareUnsigned(utf8(x), utf8(y)) < 0;
            assertEquals(less, new ExpressionContext(null, map(":v", s(y)))
                    .condition("ConditionExpression", "a < :v").test(map("a", s(x))), c);
        });
    }

    @Test
    void notNotAndDeMorgan() {
        forSeeds(500, random -> {
            BigDecimal x = number(random), y = number(random);
            boolean present = random.nextInt(4) > 0;
            String c = "x=" + x + " y=" + y + " present=" + present;
            Map<String, AttributeValue> item = present ? map("a", n(x.toPlainString()), "b", n(y.toPlainString())) : map();
            Map<String, AttributeValue> values = map(":v", n("0"));
            boolean plain = test(item, values, "a > :v OR b < :v");
            assertEquals(plain, test(item, values, "NOT NOT (a > :v OR b < :v)"), c);
            assertEquals(plain, test(item, values, "NOT (NOT a > :v AND NOT b < :v)"), c);
        });
    }

    @Test
    void addIsExactDecimalAddition() {
        forSeeds(1_000, random -> {
            BigDecimal x = number(random), y = partner(random, x.negate());
            String c = "x=" + x + " y=" + y;
            Update add = new ExpressionContext(null, map(":v", n(y.toPlainString()))).update("ADD a :v");
            AttributeValue result = add.apply(map("a", n(x.toPlainString()))).get("a");
            assertEquals(0, new BigDecimal(((AttributeValue.N) result).value()).compareTo(x.add(y)), c);
        });
    }

    /**
     * Runs {@code property} once per seed 1..cases (or only for {@code -Dweir.seed}); a failure
     * is rethrown with its seed, and the assertion message carries the case.
     */
    private static void forSeeds(int cases, Consumer<Random> property) {
        String only = System.getProperty("weir.seed");
        long from = only == null ? 1 : Long.parseLong(only), to = only == null ? cases : from;
        for (long seed = from; seed <= to; seed++) {
            try {
                property.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dweir.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private static String codePoints(String s) {
        return s.codePoints().mapToObj(cp -> String.format("U+%04X", cp)).toList().toString();
    }

    private static boolean test(Map<String, AttributeValue> item, Map<String, AttributeValue> values, String text) {
        return new ExpressionContext(null, values).condition("ConditionExpression", text).test(item);
    }
}
