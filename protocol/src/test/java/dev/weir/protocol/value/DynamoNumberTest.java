package dev.weir.protocol.value;

import dev.weir.protocol.error.DynamoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DynamoNumberTest {

    @Test
    void canonicalFormHasNoExponentAndNoInsignificantZeros() {
        assertEquals("100", DynamoNumber.canonical("1e2"));
        assertEquals("1.5", DynamoNumber.canonical("01.500"));
        assertEquals("0", DynamoNumber.canonical("-0.000"));
        assertEquals("-0.0001", DynamoNumber.canonical("-1E-4"));
        assertEquals("1" + "0".repeat(125), DynamoNumber.canonical("1E+125"));
        assertEquals("12345678901234567890123456789012345678", DynamoNumber.canonical("12345678901234567890123456789012345678"));
    }

    @Test
    void limitsAreDynamoDbs() {
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                message("1E+126"));
        assertEquals("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                message("1E-131"));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                message("123456789012345678901234567890123456789"));
        assertEquals("The parameter cannot be converted to a numeric value: abc", message("abc"));
        assertEquals("The parameter cannot be converted to a numeric value", message(""));
    }

    private static String message(String text) {
        return assertThrows(DynamoException.class, () -> DynamoNumber.parse(text)).error().message();
    }
}
