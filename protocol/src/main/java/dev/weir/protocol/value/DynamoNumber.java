package dev.weir.protocol.value;

import dev.weir.protocol.error.DynamoException;

import java.math.BigDecimal;

/**
 * DynamoDB's number type: up to 38 significant digits, magnitudes from 1E-130 to below
 * 1E+126, stored and returned in canonical form (no exponent, no insignificant zeros).
 */
public final class DynamoNumber {
    public static final int MAX_DIGITS = 38;
    private static final int MAX_EXPONENT = 125;
    private static final int MIN_EXPONENT = -130;

    private DynamoNumber() {}

    /** The value of a number's text, validated as DynamoDB validates it, with trailing zeros stripped. */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        if (value.signum() == 0) return BigDecimal.ZERO;
        BigDecimal stripped = value.stripTrailingZeros();
        // the exponent of the leading digit in scientific notation: d.ddd x 10^e
        long exponent = (long) stripped.precision() - stripped.scale() - 1;
        if (exponent > MAX_EXPONENT) {
            throw DynamoException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (exponent < MIN_EXPONENT) {
            throw DynamoException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        if (stripped.precision() > MAX_DIGITS) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return stripped;
    }

    /** The canonical text of a number's text, as DynamoDB returns it. */
    public static String canonical(String text) {
        return parse(text).toPlainString();
    }
}
