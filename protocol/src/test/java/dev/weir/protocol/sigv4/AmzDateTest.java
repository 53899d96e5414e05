package dev.weir.protocol.sigv4;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The quick X-Amz-Date parser and formatter agree with the DateTimeFormatter they stand in for. */
class AmzDateTest {
    /** The formatter's outcome: its instant, or the exception type when it refuses. */
    private static Object viaFormatter(String s) {
        try {
            return Instant.from(SigV4.AMZ_DATE.parse(s));
        } catch (DateTimeParseException e) {
            return DateTimeParseException.class;
        }
    }

    private static Object viaQuickParser(String s) {
        try {
            return SigV4.parseAmzDate(s);
        } catch (DateTimeParseException e) {
            return DateTimeParseException.class;
        }
    }

    @Test
    void oddInputsGetTheFormattersExactOutcome() {
        for (String s : List.of("20261127T120000Z", "20240229T235959Z", "20230229T120000Z", "20260230T120000Z",
                "20260431T000000Z", "20261131T000000Z", "20261127T240000Z", "20261127T236000Z", "20261127T235960Z",
                "00001127T120000Z", "09991127T120000Z", "10000101T000000Z", "99991231T235959Z", "20261300T000000Z",
                "20261127T12000Z", "120261127T120000Z", "2026-11-27T12:00:00Z", "20261127t120000Z", "20261127T120000z",
                "2026112aT120000Z", "+2026112T120000Z", "20261127T120000", "", "20261100T120000Z", "20260001T120000Z")) {
            assertEquals(viaFormatter(s), viaQuickParser(s), s);
        }
    }

    @Test
    void randomDatesAgreeBothWays() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-30_000_000_000L, 253_402_300_799L));
            String formatted = SigV4.AMZ_DATE.format(t);
            assertEquals(formatted, SigV4.formatAmzDate(t), t.toString());
            assertEquals(viaFormatter(formatted), viaQuickParser(formatted), formatted);
            // Flip one character to a digit to reach the invalid-but-well-shaped cases too.
            char[] c = formatted.toCharArray();
            if (c.length == 16) {
                int at = r.nextInt(16);
                if (at != 8 && at != 15) c[at] = (char) ('0' + r.nextInt(10));
                String mutated = new String(c);
                assertEquals(viaFormatter(mutated), viaQuickParser(mutated), mutated);
            }
        }
    }

    @Test
    void refusesWhatTheFormatterRefuses() {
        assertThrows(DateTimeParseException.class, () -> SigV4.parseAmzDate("20261127T250000Z"));
        assertThrows(DateTimeParseException.class, () -> SigV4.parseAmzDate("not a date"));
    }
}
