package dev.weir.protocol.expr.eval;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubstringsTest {

    /** Agrees with the JDK's search on random texts over small alphabets, where partial matches abound. */
    @Test
    void agreesWithTheJdkSearch() {
        Random random = new Random(7_14L);
        for (int n = 0; n < 20_000; n++) {
            String text = random(random, random.nextInt(200), 1 + random.nextInt(3));
            String pattern = random.nextInt(3) == 0 && text.length() > 40
                    ? text.substring(random.nextInt(text.length() - 40)).substring(0, 33 + random.nextInt(7))
                    : random(random, random.nextInt(Substrings.SHORT * 2), 1 + random.nextInt(3));
            assertEquals(text.contains(pattern), Substrings.contains(text, pattern), text + " / " + pattern);
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
            assertEquals(text.contains(pattern), Substrings.contains(t, p), text + " / " + pattern);
        }
    }

    /**
     * The worst case of a naive search: a 400 KB text of one letter and a 200 KB pattern that
     * matches all but its last letter everywhere, some 4 * 10^10 comparisons for a naive search
     * (and the JDK's). Measured against a control in the same run (a pattern of the same length
     * that fails at its first letter everywhere: linear for any search), so a loaded machine
     * slows both; a quadratic search would be thousands of times the control.
     */
    @Test
    void aPatternThatAlmostMatchesEverywhereIsSearchedInLinearTime() {
        String text = "a".repeat(400 * 1024);
        String pattern = "a".repeat(200 * 1024) + "b";
        String control = "b" + "a".repeat(200 * 1024);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        byte[] bytePattern = pattern.getBytes(StandardCharsets.US_ASCII);
        byte[] byteControl = control.getBytes(StandardCharsets.US_ASCII);
        long best = Long.MAX_VALUE, bestControl = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            assertFalse(Substrings.contains(text, control));
            assertFalse(Substrings.contains(bytes, byteControl));
            long t1 = System.nanoTime();
            assertFalse(Substrings.contains(text, pattern));
            assertFalse(Substrings.contains(bytes, bytePattern));
            long t2 = System.nanoTime();
            bestControl = Math.min(bestControl, t1 - t0);
            best = Math.min(best, t2 - t1);
        }
        assertTrue(Substrings.contains(text + "b", pattern));
        assertTrue(best < 50 * bestControl + 200_000_000L,
                "took " + best / 1_000_000 + " ms against " + bestControl / 1_000_000 + " ms for the control");
    }

    private static String random(Random random, int length, int letters) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) s.append((char) ('a' + random.nextInt(letters)));
        return s.toString();
    }
}
