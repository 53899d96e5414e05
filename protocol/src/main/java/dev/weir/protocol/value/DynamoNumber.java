package dev.weir.protocol.value;

import dev.weir.protocol.error.DynamoException;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * DynamoDB's number type: up to 38 significant digits, magnitudes from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125, stored and returned in canonical form (no
 * exponent, no insignificant zeros).
 *
 * <p>A number's text is checked by one scan of its characters before any {@link BigDecimal}
 * is made: building a BigDecimal (or a BigInteger) from a long run of digits costs time
 * that grows faster than its length (a million digits took a store thread about 18 seconds),
 * so text over DynamoDB's limits is refused in time linear in its length, and a value is
 * only ever built from its at most 38 significant digits. The checks and their order are
 * DynamoDB's (as dynalite reproduces them): not a number, then overflow, then underflow,
 * then too many significant digits. Leading and trailing zeros are not significant; zero is
 * zero whatever its exponent.
 */
public final class DynamoNumber {
    public static final int MAX_DIGITS = 38;
    /** The decimal exponent of the largest leading digit allowed: 9.99...E+125. */
    public static final int MAX_EXPONENT = 125;
    /** The decimal exponent of the smallest leading digit allowed: 1E-130. */
    public static final int MIN_EXPONENT = -130;
    /** Exponent digits beyond this many (after leading zeros) put any non-zero number out of range. */
    private static final int EXPONENT_DIGITS = 12;

    private DynamoNumber() {}

    /**
     * What one scan of a valid number's text found: its sign, its significant digits (from
     * the first to the last non-zero digit of the text, the point skipped) and the decimal
     * exponent of the first of them. Zero has no digits.
     *
     * @param first    the index in the text of the first significant digit; -1 for zero
     * @param last     the index in the text of the last significant digit; -1 for zero
     * @param digits   how many significant digits there are (1 to 38); 0 for zero
     * @param exponent the decimal exponent of the first significant digit (d.ddd x 10^exponent)
     */
    private record Scan(boolean negative, int first, int last, int digits, long exponent) {
        boolean isZero() {
            return digits == 0;
        }
    }

    /**
     * Refuses text that is no number or is over DynamoDB's limits, with DynamoDB's message,
     * without making a value: one pass over the characters.
     */
    public static void check(String text) {
        scan(text);
    }

    /** The value of a number's text, validated as DynamoDB validates it, with trailing zeros stripped. */
    public static BigDecimal parse(String text) {
        Scan s = scan(text);
        if (s.isZero()) return BigDecimal.ZERO;
        int scale = (int) (s.digits() - 1 - s.exponent());
        if (s.digits() <= 18) {   // fits a long: no text, no BigInteger
            long unscaled = 0;
            for (int i = s.first(); i <= s.last(); i++) {
                char c = text.charAt(i);
                if (c != '.') unscaled = unscaled * 10 + (c - '0');
            }
            return BigDecimal.valueOf(s.negative() ? -unscaled : unscaled, scale);
        }
        StringBuilder digits = new StringBuilder(s.digits() + 1);
        if (s.negative()) digits.append('-');
        for (int i = s.first(); i <= s.last(); i++) {
            char c = text.charAt(i);
            if (c != '.') digits.append(c);
        }
        // value = d.ddd x 10^exponent = ddd x 10^(exponent - (digits - 1))
        return new BigDecimal(new BigInteger(digits.toString()), scale);
    }

    /** The canonical text of a number's text, as DynamoDB returns it. */
    public static String canonical(String text) {
        return parse(text).toPlainString();
    }

    /**
     * How many significant digits the number has (0 for zero) and whether it is negative, for
     * DynamoDB's item size; the text is checked as {@link #check} does.
     */
    public static int significantDigits(String text) {
        return scan(text).digits();
    }

    /** Whether a valid number's text is negative (and not zero). */
    public static boolean isNegative(String text) {
        Scan s = scan(text);
        return s.negative() && !s.isZero();
    }

    /**
     * The grammar is BigDecimal's, in ASCII: an optional sign, digits with at most one point
     * (at least one digit), then optionally {@code e} or {@code E}, an optional sign and at
     * least one digit.
     */
    private static Scan scan(String text) {
        if (text == null || text.isEmpty()) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value");
        }
        int n = text.length();
        int i = 0;
        boolean negative = false;
        char c = text.charAt(0);
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        int mantissaDigits = 0;
        int beforePoint = -1;   // mantissa digits before the point; -1 while no point was seen
        int first = -1;         // text index of the first non-zero digit
        int firstOrdinal = -1;  // its position among the mantissa digits
        int last = -1;          // text index of the last non-zero digit
        int lastOrdinal = -1;
        for (; i < n; i++) {
            c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (c != '0') {
                    if (first < 0) {
                        first = i;
                        firstOrdinal = mantissaDigits;
                    }
                    last = i;
                    lastOrdinal = mantissaDigits;
                }
                mantissaDigits++;
            } else if (c == '.' && beforePoint < 0) {
                beforePoint = mantissaDigits;
            } else {
                break;
            }
        }
        if (mantissaDigits == 0) throw notANumber(text);
        long exponent = 0;
        if (i < n) {
            c = text.charAt(i);
            if (c != 'e' && c != 'E') throw notANumber(text);
            i++;
            boolean negativeExponent = false;
            if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                negativeExponent = text.charAt(i) == '-';
                i++;
            }
            if (i == n) throw notANumber(text);
            int significant = 0;
            for (; i < n; i++) {
                c = text.charAt(i);
                if (c < '0' || c > '9') throw notANumber(text);
                if (significant == 0 && c == '0') continue;
                // saturates: an exponent this long is out of range for any non-zero number
                if (significant++ < EXPONENT_DIGITS) exponent = exponent * 10 + (c - '0');
            }
            if (negativeExponent) exponent = -exponent;
        }
        if (first < 0) return new Scan(negative, -1, -1, 0, 0);
        int integerDigits = beforePoint < 0 ? mantissaDigits : beforePoint;
        long leading = (long) integerDigits - 1 - firstOrdinal + exponent;
        if (leading > MAX_EXPONENT) {
            throw DynamoException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (leading < MIN_EXPONENT) {
            throw DynamoException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        int digits = lastOrdinal - firstOrdinal + 1;
        if (digits > MAX_DIGITS) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return new Scan(negative, first, last, digits, leading);
    }

    private static DynamoException notANumber(String text) {
        return DynamoException.validation("The parameter cannot be converted to a numeric value: " + text);
    }
}
