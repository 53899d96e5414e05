package dev.weir.policy.trigger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Objects;

/**
 * A five-field cron schedule in UTC: minute, hour, day of month, month, day of week (0 or 7 is
 * Sunday). Each field is {@code *} or a comma list of numbers, ranges {@code a-b} and steps
 * ({@code *}/n, a-b/n). Nothing else (names, {@code L}, {@code W}, {@code ?}, seconds) is
 * accepted, so a schedule means the same to every reader. As in Vixie cron, when both day
 * fields are restricted (neither starts with {@code *}) a day matches if either does.
 *
 * @param text the schedule as written
 */
public record Cron(String text, BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays,
                   boolean anyDay, boolean anyWeekday) {

    /** A schedule that does not parse: {@code offset} is the 0-based index into the text of what is wrong. */
    public static final class Invalid extends Exception {
        private final int offset;

        Invalid(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 7};

    public Cron {
        Objects.requireNonNull(text, "text");
        minutes = (BitSet) minutes.clone();
        hours = (BitSet) hours.clone();
        days = (BitSet) days.clone();
        months = (BitSet) months.clone();
        weekdays = (BitSet) weekdays.clone();
    }

    public static Cron parse(String text) throws Invalid {
        BitSet[] sets = new BitSet[5];
        boolean[] any = new boolean[5];
        int field = 0;
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && text.charAt(i) == ' ') i++;
            if (i >= n) break;
            int start = i;
            while (i < n && text.charAt(i) != ' ') i++;
            if (field == 5) throw new Invalid("a schedule has five fields (minute hour day-of-month month day-of-week), not more", start);
            sets[field] = new BitSet();
            any[field] = text.charAt(start) == '*'; // as Vixie cron: a day field starting with * is unrestricted
            field(text, start, i, field, sets[field]);
            field++;
        }
        if (field < 5) {
            throw new Invalid("a schedule has five fields (minute hour day-of-month month day-of-week); the "
                    + NAMES[field] + " is missing", n);
        }
        if (sets[4].get(7)) {
            sets[4].clear(7);
            sets[4].set(0);
        }
        return new Cron(text, sets[0], sets[1], sets[2], sets[3], sets[4], any[2], any[4]);
    }

    private static void field(String text, int start, int end, int field, BitSet out) throws Invalid {
        int i = start;
        while (true) {
            int partEnd = text.indexOf(',', i);
            if (partEnd < 0 || partEnd > end) partEnd = end;
            if (partEnd == i) throw new Invalid("an empty part in the " + NAMES[field], i);
            part(text, i, partEnd, field, out);
            if (partEnd == end) return;
            i = partEnd + 1;
        }
    }

    private static void part(String text, int start, int end, int field, BitSet out) throws Invalid {
        int slash = text.indexOf('/', start);
        if (slash >= end) slash = -1;
        int rangeEnd = slash < 0 ? end : slash;
        int low;
        int high;
        if (rangeEnd - start == 1 && text.charAt(start) == '*') {
            low = MIN[field];
            high = field == 4 ? 6 : MAX[field];
        } else {
            int dash = text.indexOf('-', start);
            if (dash >= rangeEnd) dash = -1;
            low = number(text, start, dash < 0 ? rangeEnd : dash, field);
            high = dash < 0 ? low : number(text, dash + 1, rangeEnd, field);
            if (high < low) throw new Invalid("the range " + low + "-" + high + " in the " + NAMES[field] + " goes backwards", start);
            if (slash >= 0 && dash < 0) throw new Invalid("a step goes after * or a range (1-30/5), not after a single number", slash);
        }
        int step = 1;
        if (slash >= 0) {
            step = number(text, slash + 1, end, -1);
            if (step < 1) throw new Invalid("a step of at least 1", slash + 1);
        }
        for (int v = low; v <= high; v += step) out.set(v);
    }

    /** A decimal number in the field's range (field -1: any positive step). */
    private static int number(String text, int start, int end, int field) throws Invalid {
        String what = field < 0 ? "step" : NAMES[field];
        if (start >= end) throw new Invalid("a number is missing in the " + what, start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new Invalid("'" + c + "' in the " + what + ": a field holds *, numbers, ranges a-b, steps /n and commas only", i);
            }
        }
        if (end - start > 4) throw new Invalid("the " + what + " " + text.substring(start, end) + " is out of range", start);
        int v = Integer.parseInt(text.substring(start, end));
        if (field >= 0 && (v < MIN[field] || v > MAX[field])) {
            throw new Invalid("the " + what + " " + v + " is out of range " + MIN[field] + ".." + MAX[field], start);
        }
        return v;
    }

    /** Whether the schedule fires in the minute that holds this instant (UTC). */
    public boolean matches(Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return minutes.get(t.getMinute()) && hours.get(t.getHour()) && months.get(t.getMonthValue()) && dayMatches(t);
    }

    /**
     * The first minute strictly after {@code after} (truncated to its minute) on which the schedule
     * fires, or null if none within {@code limit} minutes. Whole hours and days that cannot
     * match are skipped, so a yearly schedule is found quickly.
     */
    public Instant next(Instant after, long limitMinutes) {
        Instant t = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant end = t.plus(limitMinutes, ChronoUnit.MINUTES);
        while (t.isBefore(end)) {
            ZonedDateTime z = t.atZone(ZoneOffset.UTC);
            if (!months.get(z.getMonthValue()) || !dayMatches(z)) {
                t = z.truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
            } else if (!hours.get(z.getHour())) {
                t = z.truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
            } else if (!minutes.get(z.getMinute())) {
                t = t.plus(1, ChronoUnit.MINUTES);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime z) {
        boolean dom = days.get(z.getDayOfMonth());
        boolean dow = weekdays.get(z.getDayOfWeek().getValue() % 7);
        return anyDay || anyWeekday ? dom && dow : dom || dow;
    }

    @Override public String toString() {
        return text;
    }
}
