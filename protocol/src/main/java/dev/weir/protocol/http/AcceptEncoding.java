package dev.weir.protocol.http;

import java.util.List;
import java.util.Locale;

/**
 * Which coding an answer goes in, from the request's {@code Accept-Encoding} (RFC 9110
 * section 12.5.3), as DynamoDB chooses: of the codings it has (gzip, deflate), the one with the
 * highest quality; at equal quality the one the client named first, and gzip before deflate
 * when only {@code *} names them. A coding named with {@code q=0} (or {@code *;q=0} for those
 * not named) is never used; {@code identity} is never preferred to a coding the client accepts.
 * A quality above 1 counts as 1, below 0 as 0, one that is not a number as 1 (the parameter is
 * ignored); an element that is not a token (quoted, two words, {@code gzip:q=1}) names nothing.
 * Several {@code Accept-Encoding} headers: the last counts, as DynamoDB reads them.
 */
public final class AcceptEncoding {
    private AcceptEncoding() {}

    /** The coding for an answer to a request with these {@code Accept-Encoding} values (in arrival order). */
    public static ContentCoding choose(List<String> values) {
        if (values.isEmpty()) return ContentCoding.IDENTITY;
        return choose(values.getLast());
    }

    /** The coding for an answer to a request with this {@code Accept-Encoding} (null: none). */
    public static ContentCoding choose(String header) {
        if (header == null || header.isBlank()) return ContentCoding.IDENTITY;
        double gzip = -1, deflate = -1, any = -1;
        int gzipAt = Integer.MAX_VALUE, deflateAt = Integer.MAX_VALUE;
        int index = 0;
        for (String element : header.split(",", -1)) {
            String[] parts = element.split(";", -1);
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!isToken(coding)) continue;
            double q = quality(parts);
            switch (coding) {
                case "gzip" -> {
                    gzip = Math.max(gzip, q);
                    gzipAt = Math.min(gzipAt, index);
                }
                case "deflate" -> {
                    deflate = Math.max(deflate, q);
                    deflateAt = Math.min(deflateAt, index);
                }
                case "*" -> any = Math.max(any, q);
                default -> { }
            }
            index++;
        }
        if (gzip < 0) gzip = Math.max(any, 0);
        if (deflate < 0) deflate = Math.max(any, 0);
        if (gzip <= 0 && deflate <= 0) return ContentCoding.IDENTITY;
        if (gzip > deflate) return ContentCoding.GZIP;
        if (deflate > gzip) return ContentCoding.DEFLATE;
        return deflateAt < gzipAt ? ContentCoding.DEFLATE : ContentCoding.GZIP;
    }

    /** The element's quality: its first {@code q} parameter, 1 without one or when it is not a number, within [0, 1]. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).strip().equalsIgnoreCase("q")) continue;
            String v = p.substring(eq + 1).strip();
            try {
                if (v.isEmpty() || !v.matches("[-+]?[0-9]*\\.?[0-9]*")) return 1;
                double q = Double.parseDouble(v);
                return Math.min(1, Math.max(0, q));
            } catch (NumberFormatException notANumber) {
                return 1;
            }
        }
        return 1;
    }

    /** RFC 9110's token characters, or {@code *}. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
