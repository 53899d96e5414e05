package dev.weir.audit.format;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Small text helpers shared by the formats. */
final class Text {
    static final char REPLACEMENT = '\uFFFD';
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Text() {}

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    /** RFC 3339 in UTC with exactly six fractional digits. */
    static String rfc3339(long micros) {
        return MICROS.format(instant(micros));
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
