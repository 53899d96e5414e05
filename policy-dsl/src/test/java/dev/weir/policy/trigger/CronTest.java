package dev.weir.policy.trigger;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The five-field cron: seeded random schedules against a brute-force reading of the same text, and the refusals. */
class CronTest {

    /** The reference: parses each field by the book, independently of {@link Cron}, and tests one minute. */
    private static boolean bruteMatches(String text, ZonedDateTime t) {
        String[] f = text.trim().split(" +");
        int[] value = {t.getMinute(), t.getHour(), t.getDayOfMonth(), t.getMonthValue(), t.getDayOfWeek().getValue() % 7};
        boolean[] ok = new boolean[5];
        for (int i = 0; i < 5; i++) {
            for (String part : f[i].split(",")) {
                String range = part.contains("/") ? part.substring(0, part.indexOf('/')) : part;
                int step = part.contains("/") ? Integer.parseInt(part.substring(part.indexOf('/') + 1)) : 1;
                int lo;
                int hi;
                if (range.equals("*")) {
                    lo = new int[]{0, 0, 1, 1, 0}[i];
                    hi = new int[]{59, 23, 31, 12, 6}[i];
                } else if (range.contains("-")) {
                    lo = Integer.parseInt(range.split("-")[0]);
                    hi = Integer.parseInt(range.split("-")[1]);
                } else {
                    lo = hi = Integer.parseInt(range);
                }
                for (int v = lo; v <= hi; v += step) {
                    int w = i == 4 && v == 7 ? 0 : v;
                    if (w == value[i]) ok[i] = true;
                }
            }
        }
        boolean dayStar = f[2].startsWith("*");
        boolean weekStar = f[4].startsWith("*");
        boolean day = dayStar || weekStar ? ok[2] && ok[4] : ok[2] || ok[4];
        return ok[0] && ok[1] && ok[3] && day;
    }

    private static String randomField(Random r, int lo, int hi) {
        int parts = 1 + r.nextInt(3);
        List<String> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int a = lo + r.nextInt(hi - lo + 1);
            int b = a + r.nextInt(hi - a + 1);
            out.add(switch (r.nextInt(6)) {
                case 0 -> "*";
                case 1 -> "*/" + (1 + r.nextInt(hi - lo + 1));
                case 2 -> Integer.toString(a);
                case 3 -> a + "-" + b;
                case 4 -> a + "-" + b + "/" + (1 + r.nextInt(7));
                default -> Integer.toString(b);
            });
        }
        return String.join(",", out);
    }

    @Test
    void randomSchedulesMatchTheBruteForceReadingMinuteByMinute() throws Exception {
        Random r = new Random(20250715L);
        for (int n = 0; n < 300; n++) {
            String text = randomField(r, 0, 59) + " " + randomField(r, 0, 23) + " " + randomField(r, 1, 31) + " "
                    + randomField(r, 1, 12) + " " + randomField(r, 0, 7);
            Cron cron = Cron.parse(text);
            ZonedDateTime start = ZonedDateTime.of(2023 + r.nextInt(4), 1 + r.nextInt(12), 1 + r.nextInt(28),
                    r.nextInt(24), r.nextInt(60), 0, 0, ZoneOffset.UTC);
            Instant expectedNext = null;
            for (int m = 0; m < 3000; m++) {
                ZonedDateTime t = start.plusMinutes(m);
                boolean want = bruteMatches(text, t);
                assertEquals(want, cron.matches(t.toInstant()), text + " at " + t);
                if (want && m > 0 && expectedNext == null) expectedNext = t.toInstant();
            }
            if (expectedNext != null) assertEquals(expectedNext, cron.next(start.toInstant(), 3000), text + " after " + start);
            // next() skips whole days and hours: it agrees with a minute-by-minute search over a year
            Instant from = start.toInstant();
            Instant slow = null;
            for (Instant t = from.plus(1, ChronoUnit.MINUTES); slow == null && t.isBefore(from.plus(400, ChronoUnit.DAYS));
                 t = t.plus(1, ChronoUnit.MINUTES)) {
                if (bruteMatches(text, t.atZone(ZoneOffset.UTC))) slow = t;
                if (n % 10 != 0 && t.isAfter(from.plus(3, ChronoUnit.DAYS))) break;
            }
            if (slow != null) assertEquals(slow, cron.next(from, 400L * 24 * 60), text + " after " + start);
        }
    }

    @Test
    void commonSchedules() throws Exception {
        Instant t = Instant.parse("2025-03-01T10:07:30Z");
        assertEquals(Instant.parse("2025-03-01T10:10:00Z"), Cron.parse("*/5 * * * *").next(t, 60));
        assertEquals(Instant.parse("2025-03-02T03:00:00Z"), Cron.parse("0 3 * * *").next(t, 2000));
        // 2025-03-01 is a Saturday: the next weekday 09:30 is Monday the 3rd
        assertEquals(Instant.parse("2025-03-03T09:30:00Z"), Cron.parse("30 9 * * 1-5").next(t, 5000));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), Cron.parse("0 0 1 1 *").next(t, 400L * 24 * 60));
        assertTrue(Cron.parse("0 0 * * 7").matches(Instant.parse("2025-03-02T00:00:00Z")), "7 is Sunday");
        assertTrue(Cron.parse("0 0 * * 0").matches(Instant.parse("2025-03-02T00:00:00Z")), "0 is Sunday");
        assertFalse(Cron.parse("0 0 * * 0").matches(Instant.parse("2025-03-02T00:01:00Z")));
        // both day fields restricted: either matches (the 15th, or any Monday)
        Cron either = Cron.parse("0 12 15 * 1");
        assertTrue(either.matches(Instant.parse("2025-03-15T12:00:00Z")));
        assertTrue(either.matches(Instant.parse("2025-03-03T12:00:00Z")));
        assertFalse(either.matches(Instant.parse("2025-03-04T12:00:00Z")));
        assertEquals(null, Cron.parse("0 0 31 2 *").next(t, 400L * 24 * 60), "February 31st never comes");
    }

    @Test
    void refusals() {
        record Bad(String text, int offset, String message) {}
        for (Bad b : List.of(
                new Bad("* * * *", 7, "the day of week is missing"),
                new Bad("* * * * * *", 10, "five fields"),
                new Bad("60 * * * *", 0, "the minute 60 is out of range 0..59"),
                new Bad("* 24 * * *", 2, "the hour 24 is out of range"),
                new Bad("* * 0 * *", 4, "the day of month 0 is out of range 1..31"),
                new Bad("* * * 13 *", 6, "the month 13 is out of range"),
                new Bad("* * * * 8", 8, "the day of week 8 is out of range 0..7"),
                new Bad("* * * JAN *", 6, "'J' in the month"),
                new Bad("*/0 * * * *", 2, "a step of at least 1"),
                new Bad("5/10 * * * *", 1, "a step goes after * or a range"),
                new Bad("30-10 * * * *", 0, "goes backwards"),
                new Bad("1,,2 * * * *", 2, "an empty part"),
                new Bad("? * * * *", 0, "'?' in the minute"),
                new Bad("L * * * *", 0, "'L' in the minute"),
                new Bad("*/ * * * *", 2, "a number is missing in the step"),
                new Bad("", 0, "the minute is missing"))) {
            Cron.Invalid e = assertThrows(Cron.Invalid.class, () -> Cron.parse(b.text()), b.text());
            assertEquals(b.offset(), e.offset(), b.text() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(b.message()), b.text() + ": " + e.getMessage());
        }
    }
}
