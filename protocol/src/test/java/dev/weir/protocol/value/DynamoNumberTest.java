package dev.weir.protocol.value;

import dev.weir.protocol.error.DynamoException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoNumberTest {
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    private static final String DIGITS = "Attempting to store more than 38 significant digits in a Number";
    private static final String NINES_38 = "9".repeat(38);

    @Test
    void canonicalFormHasNoExponentAndNoInsignificantZeros() {
        assertEquals("100", DynamoNumber.canonical("1e2"));
        assertEquals("1.5", DynamoNumber.canonical("01.500"));
        assertEquals("0", DynamoNumber.canonical("-0.000"));
        assertEquals("-0.0001", DynamoNumber.canonical("-1E-4"));
        assertEquals("1" + "0".repeat(125), DynamoNumber.canonical("1E+125"));
        assertEquals("12345678901234567890123456789012345678", DynamoNumber.canonical("12345678901234567890123456789012345678"));
        assertEquals("123", DynamoNumber.canonical("000123"));
        assertEquals("0.5", DynamoNumber.canonical(".5"));
        assertEquals("5", DynamoNumber.canonical("5."));
        assertEquals("7", DynamoNumber.canonical("+7"));
        assertEquals("120", DynamoNumber.canonical("1.2E2"));
        assertEquals("0.012", DynamoNumber.canonical("1.2e-2"));
    }

    @Test
    void limitsAreDynamoDbs() {
        assertEquals(OVERFLOW, message("1E+126"));
        assertEquals(UNDERFLOW, message("1E-131"));
        assertEquals(DIGITS, message("123456789012345678901234567890123456789"));
        assertEquals("The parameter cannot be converted to a numeric value: abc", message("abc"));
        assertEquals("The parameter cannot be converted to a numeric value", message(""));
        assertEquals("The parameter cannot be converted to a numeric value", message(null));
    }

    @Test
    void thirtyEightSignificantDigitsPassAndThirtyNineDoNot() {
        assertEquals(NINES_38, DynamoNumber.canonical(NINES_38));
        assertEquals(DIGITS, message(NINES_38 + "9"));
        assertEquals(DIGITS, message("-1.23456789012345678901234567890123456789"));
        assertEquals(DIGITS, message("1." + "0".repeat(37) + "1"));
        assertEquals("1." + "0".repeat(36) + "1", DynamoNumber.canonical("1." + "0".repeat(36) + "1"));
    }

    @Test
    void leadingAndTrailingZerosAreNotSignificant() {
        assertEquals("123", DynamoNumber.canonical("0".repeat(500) + "123"));
        assertEquals(NINES_38, DynamoNumber.canonical("0".repeat(100) + NINES_38 + ".000" + "0".repeat(100)));
        assertEquals("1.5", DynamoNumber.canonical("1.5" + "0".repeat(1000)));
        assertEquals(NINES_38 + "000", DynamoNumber.canonical(NINES_38 + "000"), "integer zeros are magnitude, not digits");
        assertEquals("0.00" + NINES_38, DynamoNumber.canonical("0.00" + NINES_38 + "0000"));
        assertEquals(1, DynamoNumber.significantDigits("100"));
        assertEquals(3, DynamoNumber.significantDigits("-0.0101000"));
        assertEquals(0, DynamoNumber.significantDigits("-0.000"));
    }

    @Test
    void magnitudeBoundsAreDynamoDbs() {
        String largest = "9." + "9".repeat(37) + "E+125";
        assertEquals(NINES_38 + "0".repeat(88), DynamoNumber.canonical(largest));
        assertEquals("-" + NINES_38 + "0".repeat(88), DynamoNumber.canonical("-" + largest));
        assertDoesNotThrow(() -> DynamoNumber.check("1E125"));
        assertEquals(OVERFLOW, message("1E126"));
        assertEquals(OVERFLOW, message("-1E126"));
        assertEquals(OVERFLOW, message("10E125"));
        assertEquals(OVERFLOW, message("1" + "0".repeat(126)));
        assertEquals("-0." + "0".repeat(129) + "1", DynamoNumber.canonical("-1E-130"));
        assertDoesNotThrow(() -> DynamoNumber.check("1E-130"));
        assertEquals(UNDERFLOW, message("1E-131"));
        assertEquals(UNDERFLOW, message("-1E-131"));
        assertEquals(UNDERFLOW, message("0.1E-130"));
        assertEquals(UNDERFLOW, message("0." + "0".repeat(130) + "1"));
    }

    @Test
    void zeroIsZeroWhateverItsExponent() {
        for (String zero : new String[] {"0", "-0", "+0", "0.0", "000", ".0", "0.", "0e999999999999999999", "-0E-5000"}) {
            assertEquals(BigDecimal.ZERO, DynamoNumber.parse(zero), zero);
            assertFalse(DynamoNumber.isNegative(zero), zero);
        }
    }

    @Test
    void overflowIsReportedBeforeTooManyDigitsAsDynamoDbDoes() {
        assertEquals(OVERFLOW, message("1".repeat(200)));
        assertEquals(UNDERFLOW, message("0." + "0".repeat(200) + "1".repeat(50)));
        assertEquals(OVERFLOW, message("1e99999999999999999999999"));
        assertEquals(UNDERFLOW, message("1e-99999999999999999999999"));
        assertEquals(OVERFLOW, message("1e" + "0".repeat(1000) + "126"), "zeros before the exponent's digits count for nothing");
        assertEquals("1" + "0".repeat(125), DynamoNumber.canonical("1e" + "0".repeat(1000) + "125"));
    }

    @Test
    void anythingButAnAsciiDecimalIsNoNumber() {
        for (String bad : new String[] {".", "-", "+", "e5", "1e", "1e+", "1.2.3", "1e5.0", " 1", "1 ", "0x10", "NaN",
                "Infinity", "1_000", "--1", "1e--1", "\u0661\u0662\u0663", "1d", "1f"}) {
            assertEquals("The parameter cannot be converted to a numeric value: " + bad, message(bad), bad);
        }
    }

    /** Every valid text the scan accepts means what BigDecimal says it means, on random inputs. */
    @Test
    void agreesWithBigDecimalOnRandomTextsWithinTheLimits() {
        Random random = new Random(20260914L);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            if (random.nextInt(3) == 0) s.append(random.nextBoolean() ? '-' : '+');
            int before = random.nextInt(45);
            for (int i = 0; i < before; i++) s.append(random.nextInt(4) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
            if (random.nextBoolean()) {
                s.append('.');
                int after = random.nextInt(45);
                for (int i = 0; i < after; i++) s.append(random.nextInt(4) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
            }
            if (random.nextInt(3) == 0) s.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(300) - 150);
            String text = s.toString();
            BigDecimal expected;
            try {
                expected = new BigDecimal(text);
            } catch (NumberFormatException e) {
                assertThrows(DynamoException.class, () -> DynamoNumber.check(text), text);
                continue;
            }
            String reason = reasonBigDecimalGives(expected);
            if (reason == null) {
                BigDecimal got = DynamoNumber.parse(text);
                assertEquals(0, expected.compareTo(got), text);
                assertEquals(expected.signum() == 0 ? BigDecimal.ZERO : expected.stripTrailingZeros(), got, text);
            } else {
                assertEquals(reason, message(text), text);
            }
        }
    }

    /**
     * A run of digits far over the limit is refused by scanning it. A million digits took a
     * BigDecimal about 18 seconds; scanned, they take a few milliseconds, so the best of five
     * rounds under a quarter of a second leaves room for a loaded machine while any parse would
     * blow it many times over.
     */
    @Test
    void aMillionDigitsAreRefusedWithoutParsingThem() {
        String million = "1".repeat(1_000_000);
        String fraction = "0." + million;
        String tiny = "0." + "0".repeat(1_000_000) + "1";
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            assertEquals(OVERFLOW, message(million));
            assertEquals(DIGITS, message(fraction));
            assertEquals(UNDERFLOW, message(tiny));
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 2_000_000_000L, "refusing three texts of a million digits took " + best / 1_000_000 + " ms");
        assertEquals(OVERFLOW, message("7".repeat(20_000_000)));
        assertEquals("The parameter cannot be converted to a numeric value: " + million + "x", message(million + "x"));
        assertEquals(BigDecimal.ONE, DynamoNumber.parse("0".repeat(10_000_000) + "1." + "0".repeat(10_000_000)));
    }

    private static String reasonBigDecimalGives(BigDecimal value) {
        if (value.signum() == 0) return null;
        BigDecimal stripped = value.stripTrailingZeros();
        long exponent = (long) stripped.precision() - stripped.scale() - 1;
        if (exponent > DynamoNumber.MAX_EXPONENT) return OVERFLOW;
        if (exponent < DynamoNumber.MIN_EXPONENT) return UNDERFLOW;
        if (stripped.precision() > DynamoNumber.MAX_DIGITS) return DIGITS;
        return null;
    }

    private static String message(String text) {
        return assertThrows(DynamoException.class, () -> DynamoNumber.parse(text)).error().message();
    }
}
