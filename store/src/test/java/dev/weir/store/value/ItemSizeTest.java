package dev.weir.store.value;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemSizeTest {

    @Test
    void followsDynamoDbsSizeRules() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", new AttributeValue.S("abc"));                                  // 2 + 3
        item.put("n", new AttributeValue.N("12345"));                                 // 1 + 3 + 1
        item.put("flag", new AttributeValue.Bool(true));                              // 4 + 1
        item.put("l", new AttributeValue.L(List.of(new AttributeValue.S("xy"))));     // 1 + 3 + 1 + 2
        item.put("m", new AttributeValue.M(Map.of("k", new AttributeValue.Null())));  // 1 + 3 + 1 + 1 + 1
        item.put("é", new AttributeValue.SS(List.of("a", "bc")));                     // 2 + 3
        assertEquals(5 + 5 + 5 + 7 + 7 + 5, ItemSize.of(item));
    }

    @Test
    void plainNumbersAreSizedWithoutParsingExactlyAsByTheDecimalRule() {
        String[] numbers = {"0", "-0", "0.000", "1", "-1", "10", "100", "12345", "-12345", "0.5", "-0.05", "12.340",
                "1000000000000000000000000000000000000", "99999999999999999999999999999999999999", "3.14159", "007",
                "-123456789.000123", "0.0000000000000000000000000000000000001"};
        for (String n : numbers) {
            java.math.BigDecimal v = new java.math.BigDecimal(n);
            long expected = v.signum() == 0 ? 1 : (v.stripTrailingZeros().precision() + 1) / 2 + 1 + (v.signum() < 0 ? 1 : 0);
            assertEquals(expected, ItemSize.plainNumber(n), n);
            assertEquals(expected, ItemSize.of(new AttributeValue.N(n)), n);
        }
        assertEquals(-1, ItemSize.plainNumber("1E+5"), "exponents take the decimal rule");
        assertEquals(2, ItemSize.of(new AttributeValue.N("1E+5")));
    }

    @Test
    void nestingDeeperThanThirtyTwoLevelsIsRefused() {
        AttributeValue v = new AttributeValue.S("leaf");
        for (int i = 0; i < 31; i++) v = new AttributeValue.L(List.of(v));
        ItemValidator.canonical(v);
        AttributeValue deeper = new AttributeValue.L(List.of(v));
        org.junit.jupiter.api.Assertions.assertThrows(dev.weir.protocol.error.DynamoException.class,
                () -> ItemValidator.canonical(deeper));
    }
}
