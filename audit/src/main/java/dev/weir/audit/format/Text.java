package dev.weir.audit.format;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Small text helpers shared by the formats. */
final class Text {
    static final char REPLACEMENT = '\uFFFD';
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the seconds whose year has four digits and no sign. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;
    /** For times outside those years only. */
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The last second a timestamp was written for, as {@code uuuu-MM-dd'T'HH:mm:ss}: events come
     * in time order, so most timestamps reuse it instead of going through a
     * {@code DateTimeFormatter} (issue 16: formatting the time was the costliest part of an ECS
     * record after Jackson's own writing). Immutable, so any thread may read or replace it.
     */
    private record Second(long epochSecond, String text) {}

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private Text() {}

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    /** RFC 3339 in UTC with exactly six fractional digits. */
    static String rfc3339(long micros) {
        long second = Math.floorDiv(micros, 1_000_000);
        if (second < FIRST_SECOND || second > LAST_SECOND) return MICROS.format(instant(micros));
        StringBuilder b = new StringBuilder(27).append(secondText(second)).append('.');
        return digits(b, Math.floorMod(micros, 1_000_000), 6).append('Z').toString();
    }

    /**
     * The time as {@link Instant#toString()} writes it (ISO-8601 in UTC, the fraction in groups of
     * three digits, none when it is zero), without a formatter for the years 0000-9999.
     */
    static String isoInstant(long micros) {
        long second = Math.floorDiv(micros, 1_000_000);
        if (second < FIRST_SECOND || second > LAST_SECOND) return instant(micros).toString();
        int fraction = (int) Math.floorMod(micros, 1_000_000);
        StringBuilder b = new StringBuilder(27).append(secondText(second));
        if (fraction == 0) return b.append('Z').toString();
        b.append('.');
        if (fraction % 1000 == 0) digits(b, fraction / 1000, 3);
        else digits(b, fraction, 6);
        return b.append('Z').toString();
    }

    private static String secondText(long second) {
        Second last = lastSecond;
        if (last.epochSecond == second) return last.text;
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(19);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        String text = b.toString();
        lastSecond = new Second(second, text);
        return text;
    }

    /** {@code value} (0 or more) in exactly {@code width} digits, zeros in front. */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        for (int p = width - 1, div = pow10(p); p >= 0; p--, div /= 10) b.append((char) ('0' + (value / div) % 10));
        return b;
    }

    private static int pow10(int n) {
        int r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }

    static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** The text with every C0 control character and DEL replaced by U+FFFD (for formats that cannot escape them). */
    static String noControls(String s) {
        if (s == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (b == null) b = new StringBuilder(s.length()).append(s, 0, i);
                b.append(REPLACEMENT);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    static String joined(List<String> values) {
        return String.join(",", values);
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
