package dev.weir.proxy.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The token-character table says, for every byte, what RFC 9110's definition says; common header
 * names and values are shared constants only for their exact bytes; the byte readings of a token
 * list and of a length are what the text readings they replaced gave.
 */
class HeadBytesTest {
    @Test
    void commonNamesAndValuesAreConstantsOnlyForTheirExactBytes() {
        for (String name : HeadBytes.COMMON_NAMES) {
            byte[] h = ("  " + name + ":").getBytes(StandardCharsets.ISO_8859_1);
            assertSame(name, HeadBytes.name(h, 2, 2 + name.length()), name);
            String upper = name.toUpperCase(java.util.Locale.ROOT);
            if (!upper.equals(name)) {
                byte[] u = upper.getBytes(StandardCharsets.ISO_8859_1);
                String read = HeadBytes.name(u, 0, u.length);
                assertEquals(upper, read, "the case as sent");
                if (!java.util.Arrays.asList(HeadBytes.COMMON_NAMES).contains(upper)) assertNotSame(name, read);
            }
        }
        for (String value : HeadBytes.COMMON_VALUES) {
            byte[] h = value.getBytes(StandardCharsets.ISO_8859_1);
            assertSame(value, HeadBytes.value(h, 0, h.length), value);
        }
        for (String part : HeadBytes.COMMON_REQUEST_LINE_PARTS) {
            byte[] h = part.getBytes(StandardCharsets.ISO_8859_1);
            assertSame(part, HeadBytes.requestLinePart(h, 0, h.length), part);
        }
        Random random = new Random(16);
        String alphabet = "hostHOSTx-amzdteDATE\u00e9ac/PG";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(24); k > 0; k--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(sb.toString(), HeadBytes.name(h, 0, h.length));
            assertEquals(sb.toString(), HeadBytes.value(h, 0, h.length));
            assertEquals(sb.toString(), HeadBytes.requestLinePart(h, 0, h.length));
        }
    }

    @Test
    void aTokenListAndALengthReadOnTheBytesAsTheTextReadingsDid() {
        Random random = new Random(16);
        String[] parts = {"close", "Close", "CLOSE", "keep-alive", "Keep-Alive", " ", "\t", ",", "upgrade", "clos", "closed", "\u00e9", "x"};
        byte[] close = "close".getBytes(StandardCharsets.US_ASCII), keepAlive = "keep-alive".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(6); k > 0; k--) sb.append(parts[random.nextInt(parts.length)]);
            String v = sb.toString();
            byte[] h = ("[" + v + "]").getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(textHasToken(v, "close"), HeadBytes.hasToken(h, 1, h.length - 1, close), v);
            assertEquals(textHasToken(v, "keep-alive"), HeadBytes.hasToken(h, 1, h.length - 1, keepAlive), v);
        }
        String digits = "0123456789 +-a\u0660";
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(21); k > 0; k--) sb.append(random.nextInt(8) == 0 ? digits.charAt(random.nextInt(digits.length()))
                    : (char) ('0' + random.nextInt(10)));
            String v = sb.toString();
            byte[] h = v.getBytes(StandardCharsets.ISO_8859_1);
            long expected = v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9') ? -1 : Long.parseLong(v);
            assertEquals(expected, HeadBytes.decimal(h, 0, h.length), v);
        }
    }

    /** The guard's reading of a token list before issue 16 (split at commas, trim, equalsIgnoreCase). */
    private static boolean textHasToken(String value, String token) {
        for (int from = 0; from <= value.length(); ) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? value.length() : comma;
            if (value.substring(from, to).trim().equalsIgnoreCase(token)) return true;
            from = to + 1;
        }
        return false;
    }

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
