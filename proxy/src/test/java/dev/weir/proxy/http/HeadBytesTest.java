package dev.weir.proxy.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The token-character table says, for every byte, what RFC 9110's definition says. */
class HeadBytesTest {
    @Test
    void tcharIsTheRfcDefinitionForEveryByte() {
        String rfc = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        int tokens = 0;
        for (int b = -128; b < 128; b++) {
            boolean expected = b > 0 && rfc.indexOf(b) >= 0;
            assertEquals(expected, HeadBytes.tchar((byte) b), "byte " + b);
            if (expected) tokens++;
        }
        assertEquals(77, tokens);
    }
}
