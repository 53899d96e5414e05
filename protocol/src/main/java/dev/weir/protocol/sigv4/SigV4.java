package dev.weir.protocol.sigv4;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AWS Signature Version 4, the parts shared by signing and verifying: canonical request,
 * string to sign, signing key derivation. See the AWS SigV4 reference; weir signs and
 * verifies exactly as the AWS SDKs sign for non-S3 services.
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SigV4() {}

    /**
     * Parses an {@code X-Amz-Date} exactly as {@link #AMZ_DATE} does, quickly: the common,
     * plainly valid {@code yyyyMMddTHHmmssZ} (year 1000 to 9999, a real date, a time below
     * 24:00:00) is read by hand; anything else goes to {@link #AMZ_DATE} itself, so every odd
     * input keeps its exact outcome (accepted, adjusted or refused).
     *
     * @throws DateTimeParseException as {@link #AMZ_DATE} would
     */
    public static Instant parseAmzDate(String s) {
        if (s.length() == 16 && s.charAt(8) == 'T' && s.charAt(15) == 'Z') {
            int year = digits(s, 0, 4), month = digits(s, 4, 2), day = digits(s, 6, 2);
            int hour = digits(s, 9, 2), minute = digits(s, 11, 2), second = digits(s, 13, 2);
            if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59
                    && day <= YearMonth.of(year, month).lengthOfMonth()) {
                long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second);
            }
        }
        return Instant.from(AMZ_DATE.parse(s));
    }

    /** The decimal value of {@code n} ASCII digits at {@code at}, or -1 if one is not a digit. */
    private static int digits(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Formats an instant as {@link #AMZ_DATE} does ({@code yyyyMMddTHHmmssZ}, UTC), for years 1000 to 9999. */
    public static String formatAmzDate(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 1000 || d.getYear() > 9999) return AMZ_DATE.format(t);
        char[] c = new char[16];
        put(c, 0, d.getYear(), 4);
        put(c, 4, d.getMonthValue(), 2);
        put(c, 6, d.getDayOfMonth(), 2);
        c[8] = 'T';
        put(c, 9, d.getHour(), 2);
        put(c, 11, d.getMinute(), 2);
        put(c, 13, d.getSecond(), 2);
        c[15] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The canonical request for the given signed headers (lower-case names, in order), as text;
     * the verifier and the signer write the same bytes straight into their hash
     * ({@link #writeCanonicalRequest}).
     */
    public static String canonicalRequest(HttpRequestView req, List<String> signedHeaders,
                                          String payloadHash, boolean dropSignatureParam) {
        ByteText out = new ByteText(512);
        writeCanonicalRequest(out, req, signedHeaders, payloadHash, dropSignatureParam);
        return new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
    }

    /** Writes {@link #canonicalRequest}'s UTF-8 bytes to {@code out}. */
    static void writeCanonicalRequest(ByteText out, HttpRequestView req, List<String> signedHeaders, String payloadHash,
                                      boolean dropSignatureParam) {
        writeRequestLines(out, req, dropSignatureParam);
        HeaderArrays headers = new HeaderArrays(req.headers());
        for (String name : signedHeaders) {
            out.utf8(name).ascii(':');
            headers.writeValues(out, name, 0, name.length());
            out.ascii('\n');
        }
        out.ascii('\n');
        for (int i = 0; i < signedHeaders.size(); i++) {
            if (i > 0) out.ascii(';');
            out.utf8(signedHeaders.get(i));
        }
        out.ascii('\n').utf8(payloadHash);
    }

    /** The method, canonical URI and canonical query lines of a canonical request, each ended by a newline. */
    static void writeRequestLines(ByteText out, HttpRequestView req, boolean dropSignatureParam) {
        out.utf8(String.valueOf(req.method())).ascii('\n');
        out.canonicalUri(req.rawPath()).ascii('\n');
        String rawQuery = req.rawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) out.utf8(canonicalQuery(rawQuery, dropSignatureParam));
        out.ascii('\n');
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        Engines engines = Engines.get();
        byte[] hash = engines.sha256(engines.canonical.clear().utf8(canonicalRequest));
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + ByteText.hexString(hash, 32);
    }

    public static byte[] signingKey(String secret, String date, String region, String service) {
        Engines engines = Engines.get();
        byte[] k = engines.hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = engines.hmac(k, region);
        k = engines.hmac(k, service);
        return engines.hmac(k, TERMINATOR);
    }

    /**
     * The hex HMAC-SHA256 of {@code stringToSign} under {@code signingKey}, which must not be
     * modified afterwards (each thread keeps an engine keyed with it, found by identity).
     */
    public static String signature(byte[] signingKey, String stringToSign) {
        Engines engines = Engines.get();
        return ByteText.hexString(engines.hmac(signingKey, engines.toSign.clear().utf8(stringToSign)), 32);
    }

    public static String sha256Hex(byte[] data) {
        return ByteText.hexString(Engines.get().sha256(data), 32);
    }

    static String canonicalQuery(String rawQuery, boolean dropSignature) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (dropSignature && name.equals("X-Amz-Signature")) continue;
            params.add(new String[] {uriEncode(name), uriEncode(value)});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Parses a raw query into decoded name/value pairs (first value wins). */
    static Map<String, String> queryParams(String rawQuery) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            out.putIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    /**
     * Percent-decodes a query part; a malformed escape ({@code %zz}, a lone {@code %}) is kept
     * as written, so the canonical query differs from any client's and the signature fails,
     * instead of the verification itself failing with an exception.
     */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
    static String uriEncode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (ByteText.unreserved(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
