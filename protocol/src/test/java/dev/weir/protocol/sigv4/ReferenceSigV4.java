package dev.weir.protocol.sigv4;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TEST ORACLE, not production code: SigV4 as it was before issue 16's byte-level rewrite
 * (commit 2e70423), kept verbatim but for its name, so that the differential tests
 * ({@code SigV4DifferentialTest}) can check that every decision, error text and signature of
 * the rewrite is the same.
 */
/*
 * AWS Signature Version 4, the parts shared by signing and verifying: canonical request,
 * string to sign, signing key derivation. See the AWS SigV4 reference; weir signs and
 * verifies exactly as the AWS SDKs sign for non-S3 services.
 */
final class ReferenceSigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final HexFormat HEX = HexFormat.of();

    private ReferenceSigV4() {}

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

    /** The canonical request for the given signed headers (lower-case names, in order). */
    public static String canonicalRequest(HttpRequestView req, List<String> signedHeaders,
                                          String payloadHash, boolean dropSignatureParam) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(req.method()).append('\n');
        sb.append(canonicalUri(req.rawPath())).append('\n');
        sb.append(canonicalQuery(req.rawQuery(), dropSignatureParam)).append('\n');
        for (String name : signedHeaders) {
            sb.append(name).append(':');
            appendCanonicalHeaderValue(sb, req, name);
            sb.append('\n');
        }
        sb.append('\n');
        for (int i = 0; i < signedHeaders.size(); i++) {
            if (i > 0) sb.append(';');
            sb.append(signedHeaders.get(i));
        }
        sb.append('\n');
        sb.append(payloadHash);
        return sb.toString();
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, TERMINATOR);
    }

    public static String signature(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /** Per-thread engines: looking them up per call costs more than the hashing itself. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    /**
     * A per-thread HMAC engine and the key it was last initialised with. Signing keys are
     * cached arrays that nobody modifies, so the same array means the same key and the
     * initialisation (two hash blocks of key padding) can be skipped: doFinal leaves the engine
     * ready for the same key. Derivation steps use fresh arrays and always re-initialise.
     */
    private static final class KeyedMac {
        final Mac mac;
        byte[] key;

        KeyedMac(Mac mac) {
            this.mac = mac;
        }
    }

    private static final ThreadLocal<KeyedMac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return new KeyedMac(Mac.getInstance("HmacSHA256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(SHA256.get().digest(data));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            KeyedMac keyed = HMAC.get();
            if (keyed.key != key) {
                keyed.mac.init(new SecretKeySpec(key, "HmacSHA256"));
                keyed.key = key;
            }
            return keyed.mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Non-S3 services encode each path segment once more, and an empty path is "/". */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) return "/";
        StringBuilder sb = new StringBuilder(rawPath.length() + 8);
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(uriEncode(segments[i]));
        }
        return sb.toString();
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

    /** Values joined by ',', each trimmed, with runs of spaces collapsed to one. */
    static String canonicalHeaderValue(List<String> values) {
        StringBuilder sb = new StringBuilder(32);
        for (int n = 0; n < values.size(); n++) {
            if (n > 0) sb.append(',');
            appendCanonicalValue(sb, values.get(n));
        }
        return sb.toString();
    }

    /** {@link #canonicalHeaderValue} of the request's values of {@code name}, appended to {@code sb}. */
    private static void appendCanonicalHeaderValue(StringBuilder sb, HttpRequestView req, String name) {
        boolean first = true;
        for (Map.Entry<String, String> e : req.headers()) {
            if (!e.getKey().equalsIgnoreCase(name)) continue;
            if (!first) sb.append(',');
            first = false;
            appendCanonicalValue(sb, e.getValue());
        }
    }

    static void appendCanonicalValue(StringBuilder sb, String value) {
        String v = value.trim();
        boolean space = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ' ') {
                if (!space) sb.append(' ');
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
    static String uriEncode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
