package dev.weir.proxy.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The one-pass reading of a header line is the check-by-check one's, line for line: a line
     * is plain exactly when every check the framing guard makes on it passes, and then its colon
     * and end are the ones those checks find (the store answers' framer makes the same checks,
     * in another order, so it accepts the same lines). Lines of every kind (control bytes, DEL, tabs,
     * lone CRs and LFs, high bytes, spaces around the colon, no colon, colons in the value),
     * of every length around the eight-byte steps, with the head's end after them and arbitrary
     * bytes after that (the word reads may look past the head).
     */
    @Test
    void aHeaderLineIsPlainExactlyWhenEveryCheckOnItPasses() {
        Random random = new Random(1616);
        byte[] alphabet = {'a', 'Z', '0', '-', '_', '~', '!', ':', ' ', '\t', '\r', '\n', 0, 1, 0x1f, 0x7f, (byte) 0x80,
                (byte) 0xe9, (byte) 0xff, '"', '(', '/', '=', ';', ',', 0x20, 0x21, 0x7e};
        int plainSeen = 0, otherSeen = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(40);
            byte[] h = new byte[length + 4 + random.nextInt(16)];
            if (random.nextBoolean()) {
                // the common form (a token, a colon, printable or high bytes and tabs), now and then one byte off it
                int colon = length == 0 ? 0 : random.nextInt(Math.min(length, 14));
                for (int k = 0; k < length; k++) {
                    h[k] = k < colon ? (byte) "abcXYZ019-_.~!".charAt(random.nextInt(14))
                            : k == colon ? (byte) ':'
                            : random.nextInt(10) == 0 ? (byte) (0x80 + random.nextInt(0x80))
                            : random.nextInt(20) == 0 ? (byte) '\t' : (byte) (0x20 + random.nextInt(0x5f));
                }
                if (length > 0 && random.nextInt(4) == 0) h[random.nextInt(length)] = alphabet[random.nextInt(alphabet.length)];
            } else {
                for (int k = 0; k < length; k++) h[k] = alphabet[random.nextInt(alphabet.length)];
            }
            h[length] = '\r';
            h[length + 1] = '\n';
            h[length + 2] = '\r';
            h[length + 3] = '\n';
            for (int k = length + 4; k < h.length; k++) h[k] = alphabet[random.nextInt(alphabet.length)];
            int last = length + 2;
            long expected = checked(h, 0, last);
            assertEquals(expected, HeadBytes.plainLine(h, 0), () -> java.util.Arrays.toString(h));
            if (expected >= 0) plainSeen++;
            else otherSeen++;
        }
        assertTrue(plainSeen > 20_000 && otherSeen > 20_000, plainSeen + " plain, " + otherSeen + " other");
    }

    /** The framing guard's checks of one header line, one after another: its colon and end, or -1 when one refuses it. */
    private static long checked(byte[] h, int line, int last) {
        int eol = HeadBytes.lineEnd(h, line, last);
        if (eol == line) return -1;
        if (h[line] == ' ' || h[line] == '\t') return -1;
        int colon = -1;
        for (int k = line; k < eol; k++) {
            if (h[k] == ':') {
                colon = k;
                break;
            }
        }
        if (colon <= line) return -1;
        if (h[colon - 1] == ' ' || h[colon - 1] == '\t') return -1;
        for (int k = line; k < colon; k++) if (!HeadBytes.tchar(h[k])) return -1;
        for (int k = colon + 1; k < eol; k++) {
            int c = h[k] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) return -1;
        }
        return ((long) colon << 32) | eol;
    }

    @Test
    void aControlByteOrDelIsFlaggedInEveryPositionOfAWord() {
        for (int at = 0; at < 8; at++) {
            for (int c = 0; c < 256; c++) {
                byte[] w = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
                w[at] = (byte) c;
                long x = java.nio.ByteBuffer.wrap(w).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                boolean flagged = (HeadBytes.controlOrDel(x) & 0x8080808080808080L) != 0;
                assertEquals(c < 0x20 || c == 0x7f, flagged, "byte " + c + " at " + at);
            }
        }
    }

    @Test
    void theFirstLfIsFoundAtEveryPositionAndLength() {
        Random random = new Random(10);
        for (int n = 0; n < 50_000; n++) {
            byte[] h = new byte[random.nextInt(40)];
            for (int k = 0; k < h.length; k++) h[k] = (byte) (random.nextInt(8) == 0 ? '\n' : random.nextInt(256));
            int from = h.length == 0 ? 0 : random.nextInt(h.length + 1);
            int to = from + random.nextInt(h.length - from + 1);
            int expected = -1;
            for (int k = from; k < to; k++) {
                if (h[k] == '\n') {
                    expected = k;
                    break;
                }
            }
            assertEquals(expected, HeadBytes.indexOfLf(h, from, to));
        }
    }
}
