package dev.weir.appliance.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * The one way console pages put text into HTML: every name a page shows (a table, a rule, a
 * principal, a policy message) came from outside weir's code and is text, never markup, so it
 * goes through {@link #text} (element content and quoted attribute values alike). Pages are
 * built as strings by appending escaped text to fixed markup; nothing is ever inserted unescaped.
 */
public final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Html() {}

    /** {@code s} escaped for element content and double- or single-quoted attribute values; null is empty. */
    public static String text(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // control characters (other than tab and newline) are shown as a replacement, never passed on
                    if (c < 0x20 && c != '\t' && c != '\n') b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** A list of names, each escaped, joined by ", "; empty for none. */
    public static String list(Collection<String> items) {
        StringBuilder b = new StringBuilder();
        for (String s : items) {
            if (!b.isEmpty()) b.append(", ");
            b.append(text(s));
        }
        return b.toString();
    }

    /** A time as UTC text. */
    public static String time(long epochMicros) {
        return TIME.format(Instant.ofEpochSecond(epochMicros / 1_000_000, (epochMicros % 1_000_000) * 1000)) + "Z";
    }

    /** A {@code <td>} with escaped text. */
    public static String td(String s) {
        return "<td>" + text(s) + "</td>";
    }

    /** A {@code <th>} with escaped text. */
    public static String th(String s) {
        return "<th>" + text(s) + "</th>";
    }
}
