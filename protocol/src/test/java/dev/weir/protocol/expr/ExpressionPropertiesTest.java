package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.Map;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class ExpressionPropertiesTest {

    @Provide Arbitrary<BigDecimal> numbers() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-1E20"), new BigDecimal("1E20")).ofScale(6);
    }

    @Provide Arbitrary<String> strings() {
        // valid Unicode only: code points from every plane, no lone surrogates
        return Arbitraries.integers().between(0, 0x10FFFF).filter(c -> c < 0xD800 || c > 0xDFFF)
                .list().ofMaxSize(6)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Property(tries = 300)
    void numbersCompareLikeBigDecimal(@ForAll("numbers") BigDecimal x, @ForAll("numbers") BigDecimal y) {
        Map<String, AttributeValue> item = map("a", n(x.toPlainString()));
        ExpressionContext ctx = new ExpressionContext(null, map(":v", n(y.toPlainString())));
        assertEquals(x.compareTo(y) < 0, ctx.condition("ConditionExpression", "a < :v").test(item));
        assertEquals(x.compareTo(y) == 0, new ExpressionContext(null, map(":v", n(y.toPlainString())))
                .condition("ConditionExpression", "a = :v").test(item));
    }

    @Property(tries = 300)
    void stringsCompareByUtf8Bytes(@ForAll("strings") String x, @ForAll("strings") String y) {
        Map<String, AttributeValue> item = map("a", s(x));
        boolean less = java.util.Arrays.compareUnsigned(utf8(x), utf8(y)) < 0;
        assertEquals(less, new ExpressionContext(null, map(":v", s(y))).condition("ConditionExpression", "a < :v").test(item));
    }

    @Property(tries = 200)
    void notNotAndDeMorgan(@ForAll("numbers") BigDecimal x, @ForAll("numbers") BigDecimal y, @ForAll boolean present) {
        Map<String, AttributeValue> item = present ? map("a", n(x.toPlainString()), "b", n(y.toPlainString())) : map();
        Map<String, AttributeValue> values = map(":v", n("0"));
        boolean plain = test(item, values, "a > :v OR b < :v");
        assertEquals(plain, test(item, values, "NOT NOT (a > :v OR b < :v)"));
        assertEquals(plain, test(item, values, "NOT (NOT a > :v AND NOT b < :v)"));
    }

    @Property(tries = 300)
    void addIsExactDecimalAddition(@ForAll("numbers") BigDecimal x, @ForAll("numbers") BigDecimal y) {
        Update add = new ExpressionContext(null, map(":v", n(y.toPlainString()))).update("ADD a :v");
        AttributeValue result = add.apply(map("a", n(x.toPlainString()))).get("a");
        assertEquals(0, new BigDecimal(((AttributeValue.N) result).value()).compareTo(x.add(y)));
    }

    private static boolean test(Map<String, AttributeValue> item, Map<String, AttributeValue> values, String text) {
        return new ExpressionContext(null, values).condition("ConditionExpression", text).test(item);
    }
}
