package dev.weir.protocol.sigv4;

import dev.weir.protocol.error.DynamoError;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Verifies the AWS Signature V4 of an incoming request, header form or query-string form,
 * against a lookup of secrets by access key id. Fails closed: anything it cannot verify is a
 * failure with the error DynamoDB itself would send. A signature must cover {@code host},
 * {@code x-amz-date} (header form), {@code x-amz-target} and {@code content-type}: what it
 * does not cover, anyone on the path could change. Derived signing keys are cached per key,
 * date, region and service.
 */
public final class SigV4Verifier {
    /** AWS's allowed clock skew between the request's time and ours. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final int MAX_CACHED_KEYS = 10_000;

    /** The outcome of a verification. */
    public sealed interface Result permits Verified, Failed {}

    /** The signature is valid for this access key. */
    /**
     * A good signature by {@code accessKeyId}; {@code payloadHash} is the hex SHA-256 of the body
     * it covers, so a body forwarded unchanged is not hashed again to be signed anew.
     */
    public record Verified(String accessKeyId, String payloadHash) implements Result {}

    /** The request is refused with this error; {@code accessKeyId} is null if none was readable. */
    public record Failed(DynamoError error, String accessKeyId) implements Result {}

    private record CachedKey(String secret, byte[] key) {}

    /** The string to sign's first line, {@code AWS4-HMAC-SHA256} and a newline. */
    private static final byte[] ALGORITHM_LINE = (SigV4.ALGORITHM + "\n").getBytes(StandardCharsets.US_ASCII);

    private final Function<String, String> secrets;
    private final String service;
    private final Clock clock;
    private final Map<String, CachedKey> keyCache = new ConcurrentHashMap<>();

    /**
     * @param secrets access key id → secret access key, or null when the key is unknown
     * @param service the signing name the credential scope must name (dynamodb)
     */
    public SigV4Verifier(Function<String, String> secrets, String service, Clock clock) {
        this.secrets = secrets;
        this.service = service;
        this.clock = clock;
    }

    public Result verify(HttpRequestView req) {
        HeaderArrays headers = new HeaderArrays(req.headers());
        String authorization = headers.first("Authorization");
        String rawQuery = req.rawQuery();
        Map<String, String> query = rawQuery == null || rawQuery.isEmpty() ? Map.of() : SigV4.queryParams(rawQuery);
        Parsed p;
        if (authorization != null && query.containsKey("X-Amz-Algorithm")) {
            return new Failed(DynamoError.invalidSignature(
                    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."), null);
        }
        if (authorization != null) {
            p = parseHeader(authorization, headers);
        } else if (query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Credential")) {
            p = parseQuery(query);
        } else {
            return new Failed(DynamoError.missingAuthenticationToken(), null);
        }
        if (p.error != null) return new Failed(p.error, p.accessKeyId);

        String amzDate = p.fromQuery ? query.get("X-Amz-Date") : headers.first("X-Amz-Date");
        if (amzDate == null) {
            return new Failed(DynamoError.incompleteSignature(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), p.accessKeyId);
        }
        Instant signedAt;
        try {
            signedAt = SigV4.parseAmzDate(amzDate);
        } catch (DateTimeParseException e) {
            return new Failed(DynamoError.incompleteSignature("Date must be in ISO-8601 'basic format'. Got '"
                    + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601"), p.accessKeyId);
        }
        // The credential's five '/'-separated parts: key/date/region/service/terminator.
        String cred = p.credential;
        int end = p.credentialEnd;
        int s1 = slash(cred, p.credentialStart, end);
        int s2 = s1 < 0 ? -1 : slash(cred, s1 + 1, end);
        int s3 = s2 < 0 ? -1 : slash(cred, s2 + 1, end);
        int s4 = s3 < 0 ? -1 : slash(cred, s3 + 1, end);
        if (s4 < 0 || slash(cred, s4 + 1, end) >= 0 || !same(cred, s4 + 1, end, SigV4.TERMINATOR)) {
            return new Failed(DynamoError.incompleteSignature("Credential should be scoped to a valid region. "), p.accessKeyId);
        }
        if (!amzDate.regionMatches(0, cred, s1 + 1, s2 - s1 - 1)) {
            return new Failed(DynamoError.invalidSignature("Credential should be scoped to a valid date. "), p.accessKeyId);
        }
        if (!same(cred, s3 + 1, s4, service)) {
            return new Failed(DynamoError.invalidSignature("Credential should be scoped to correct service: '" + service + "'. "),
                    p.accessKeyId);
        }
        String unsigned = unsignedRequiredHeaders(p);
        if (unsigned != null) return new Failed(DynamoError.invalidSignature(unsigned), p.accessKeyId);
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return new Failed(DynamoError.invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + SigV4.AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + SigV4.AMZ_DATE.format(now) + " - 15 min.)"),
                    p.accessKeyId);
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return new Failed(DynamoError.invalidSignature("Signature not yet current: " + amzDate + " is still later than "
                    + SigV4.AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + SigV4.AMZ_DATE.format(now) + " + 15 min.)"),
                    p.accessKeyId);
        }
        if (p.fromQuery) {
            String expires = query.get("X-Amz-Expires");
            long seconds;
            try {
                seconds = expires == null ? 0 : Long.parseLong(expires);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds <= 0 || seconds > 604_800) {
                return new Failed(DynamoError.incompleteSignature(
                        "X-Amz-Expires must be a number of seconds between 1 and 604800"), p.accessKeyId);
            }
            if (now.isAfter(signedAt.plusSeconds(seconds))) {
                return new Failed(DynamoError.invalidSignature("Request has expired"), p.accessKeyId);
            }
        }
        String secret = secrets.apply(p.accessKeyId);
        if (secret == null) return new Failed(DynamoError.unrecognizedClient(), p.accessKeyId);
        byte[] key = signingKey(cred, p.credentialStart, s4, secret);

        // From here on nothing calls out of this package: the thread's engines are ours alone.
        Engines engines = Engines.get();
        byte[] payloadHex = engines.payloadHex;
        ByteText.hex(engines.sha256(req.body()), 32, payloadHex, 0);
        String payloadHash = new String(payloadHex, StandardCharsets.ISO_8859_1);
        ByteText canonical = engines.canonical.clear();
        SigV4.writeRequestLines(canonical, req, p.fromQuery);
        writeSignedHeaders(canonical, headers, p);
        canonical.raw(payloadHex);
        ByteText toSign = engines.toSign.clear().raw(ALGORITHM_LINE).utf8(amzDate).ascii('\n')
                .utf8(cred, s1 + 1, end, p.credentialUtf8).ascii('\n').hex(engines.sha256(canonical), 32);
        if (!ByteText.isHexOf(p.signature, p.signatureUtf8, p.signatureStart, p.signatureEnd, engines.hmac(key, toSign), 32)) {
            return new Failed(DynamoError.invalidSignature(), p.accessKeyId);
        }
        return new Verified(p.accessKeyId, payloadHash);
    }

    /** The index of the first '/' in {@code s[from, to)}, or -1. */
    private static int slash(String s, int from, int to) {
        return s.indexOf('/', from, to);
    }

    /** Whether {@code s[from, to)} is {@code text}. */
    private static boolean same(String s, int from, int to, String text) {
        return to - from == text.length() && s.startsWith(text, from);
    }

    /**
     * The signed headers' lines of the canonical request ({@code name:values}), the blank line
     * and the list of names, each part as {@code String.split(";")} of the list gives it (empty
     * names kept but trailing ones dropped; an empty list is one empty name).
     */
    private static void writeSignedHeaders(ByteText out, HeaderArrays headers, Parsed p) {
        String list = p.signedHeaders;
        byte[] listUtf8 = p.signedHeadersUtf8;
        int from = p.signedHeadersStart, to = p.signedHeadersEnd, end = stripTrailing(list, from, to);
        if (end > from || to == from) {
            for (int at = from; ; ) {
                int semi = list.indexOf(';', at);
                int stop = semi < 0 || semi > end ? end : semi;
                out.utf8(list, at, stop, listUtf8).ascii(':');
                headers.writeValues(out, list, at, stop);
                out.ascii('\n');
                if (stop == end) break;
                at = stop + 1;
            }
        }
        out.ascii('\n').utf8(list, from, end, listUtf8).ascii('\n');
    }

    /** {@code to}, less any ';' that end {@code s[from, to)}. */
    private static int stripTrailing(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) == ';') to--;
        return to;
    }

    /**
     * Which of {@link #REQUIRED_SIGNED}'s names are among the signed headers (as
     * {@code split(";")} gives them), as bits in that list's order: one pass over the list.
     */
    private static int signedRequired(Parsed p) {
        String list = p.signedHeaders;
        int from = p.signedHeadersStart, end = p.signedHeadersEnd;
        int found = 0;
        for (int at = from; ; ) {
            int semi = list.indexOf(';', at);
            int stop = semi < 0 || semi > end ? end : semi;
            int n = stop - at;
            for (int i = 0; i < REQUIRED_NAMES.length; i++) {
                if (REQUIRED_NAMES[i].length() == n && list.startsWith(REQUIRED_NAMES[i], at)) found |= 1 << i;
            }
            if (stop == end) return found;
            at = stop + 1;
        }
    }

    /**
     * The headers every signature must cover, with the names AWS's messages give them: the
     * host (a signature for one endpoint is not one for another), the date (unless the query
     * string carries it, as X-Amz-Date of the query-string form, which is signed with the
     * query), the operation ({@code X-Amz-Target}: otherwise someone on the path could turn a
     * signed GetItem into a DeleteItem of the same body) and the content type (which says how
     * the body is read).
     */
    private static final List<Map.Entry<String, String>> REQUIRED_SIGNED = List.of(
            Map.entry("host", "Host"), Map.entry("x-amz-date", "X-Amz-Date"),
            Map.entry("x-amz-target", "X-Amz-Target"), Map.entry("content-type", "Content-Type"));
    /** {@link #REQUIRED_SIGNED}'s names as they must appear in the list. */
    private static final String[] REQUIRED_NAMES = REQUIRED_SIGNED.stream().map(Map.Entry::getKey).toArray(String[]::new);

    /**
     * AWS's own message for each required header that is not signed ("'Host' must be a
     * 'SignedHeader' in the AWS Authorization."), joined; null when all are signed.
     */
    private static String unsignedRequiredHeaders(Parsed p) {
        int signed = signedRequired(p);
        if (signed == (1 << REQUIRED_NAMES.length) - 1) return null;
        StringBuilder out = null;
        for (int i = 0; i < REQUIRED_SIGNED.size(); i++) {
            Map.Entry<String, String> h = REQUIRED_SIGNED.get(i);
            if (p.fromQuery && h.getKey().equals("x-amz-date")) continue;
            if ((signed & (1 << i)) != 0) continue;
            if (out == null) out = new StringBuilder();
            else out.append(' ');
            out.append('\'').append(h.getValue()).append("' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return out == null ? null : out.toString();
    }

    /**
     * The signing key of {@code secret} for the scope {@code credential[from, to)}
     * ({@code key/date/region/service}); derived keys are cached per scope, and each thread
     * remembers the last one it used, so the common request finds it without a lookup.
     */
    private byte[] signingKey(String credential, int from, int to, String secret) {
        Engines engines = Engines.get();
        if (same(credential, from, to, engines.scope) && secret.equals(engines.scopeSecret)) return engines.scopeKey;
        String cacheKey = credential.substring(from, to);
        CachedKey cached = keyCache.get(cacheKey);
        byte[] key;
        if (cached != null && cached.secret.equals(secret)) {
            key = cached.key;
        } else {
            int s1 = cacheKey.indexOf('/'), s2 = cacheKey.indexOf('/', s1 + 1), s3 = cacheKey.indexOf('/', s2 + 1);
            key = SigV4.signingKey(secret, cacheKey.substring(s1 + 1, s2), cacheKey.substring(s2 + 1, s3),
                    cacheKey.substring(s3 + 1));
            if (keyCache.size() >= MAX_CACHED_KEYS) keyCache.clear();
            keyCache.put(cacheKey, new CachedKey(secret, key));
        }
        engines.scope = cacheKey;
        engines.scopeSecret = secret;
        engines.scopeKey = key;
        return key;
    }

    /**
     * What the Authorization header or the query string says: the credential, the signed
     * headers and the signature, each a range of the string it was read from (no copies), or
     * the error to send; and the access key id (the credential up to its first '/').
     */
    private static final class Parsed {
        String credential, signedHeaders, signature, accessKeyId;
        /** The UTF-8 of all of {@link #credential}, {@link #signedHeaders} and {@link #signature}, when one byte per character; else null. */
        byte[] credentialUtf8, signedHeadersUtf8, signatureUtf8;
        int credentialStart, credentialEnd, signedHeadersStart, signedHeadersEnd, signatureStart, signatureEnd;
        boolean fromQuery;
        DynamoError error;

        void credential(String s, int from, int to) {
            credential = s;
            credentialStart = from;
            credentialEnd = to;
        }

        void signedHeaders(String s, int from, int to) {
            signedHeaders = s;
            signedHeadersStart = from;
            signedHeadersEnd = to;
        }

        void signature(String s, int from, int to) {
            signature = s;
            signatureStart = from;
            signatureEnd = to;
        }

        /** The credential up to its first '/' (all of it without one), the same String as the last time when it is the same. */
        void readAccessKeyId() {
            int slash = credential.indexOf('/', credentialStart);
            int end = slash < 0 || slash >= credentialEnd ? credentialEnd : slash;
            Engines engines = Engines.get();
            if (same(credential, credentialStart, end, engines.accessKeyId)) {
                accessKeyId = engines.accessKeyId;
            } else {
                accessKeyId = credential.substring(credentialStart, end);
                engines.accessKeyId = accessKeyId;
            }
        }
    }

    private static Parsed parseHeader(String authorization, HeaderArrays headers) {
        Parsed p = new Parsed();
        if (!authorization.startsWith(SigV4.ALGORITHM + " ")) {
            p.error = SigV4Header.notTheAlgorithm(authorization, headers.first("X-Amz-Date") != null || headers.first("Date") != null);
            return p;
        }
        int from = SigV4.ALGORITHM.length() + 1, length = authorization.length();
        while (from <= length) {
            int comma = authorization.indexOf(',', from);
            if (comma < 0) comma = length;
            // The part between commas, trimmed as String.trim does (anything <= ' ' at either end).
            int start = from, end = comma;
            while (start < end && authorization.charAt(start) <= ' ') start++;
            while (end > start && authorization.charAt(end - 1) <= ' ') end--;
            from = comma + 1;
            int eq = authorization.indexOf('=', start);
            if (eq < 0 || eq >= end) continue;
            if (authorization.startsWith("Credential", start) && eq - start == 10) {
                p.credential(authorization, eq + 1, end);
            } else if (authorization.startsWith("SignedHeaders", start) && eq - start == 13) {
                p.signedHeaders(authorization, eq + 1, end);
            } else if (authorization.startsWith("Signature", start) && eq - start == 9) {
                p.signature(authorization, eq + 1, end);
            }
        }
        if (p.credential == null || p.signedHeaders == null || p.signature == null) {
            StringBuilder missing = new StringBuilder();
            if (p.credential == null) missing.append("Authorization header requires 'Credential' parameter. ");
            if (p.signedHeaders == null) missing.append("Authorization header requires 'SignedHeaders' parameter. ");
            if (p.signature == null) missing.append("Authorization header requires 'Signature' parameter. ");
            p.error = DynamoError.incompleteSignature(missing.toString().trim());
            return p;
        }
        byte[] utf8 = ByteText.oneBytePerChar(authorization);
        p.credentialUtf8 = utf8;
        p.signedHeadersUtf8 = utf8;
        p.signatureUtf8 = utf8;
        p.readAccessKeyId();
        return p;
    }

    private static Parsed parseQuery(Map<String, String> q) {
        Parsed p = new Parsed();
        p.fromQuery = true;
        StringBuilder missing = new StringBuilder();
        if (!SigV4.ALGORITHM.equals(q.get("X-Amz-Algorithm"))) missing.append("AWS query-string parameters must include 'X-Amz-Algorithm'. ");
        String credential = q.get("X-Amz-Credential");
        if (credential == null) missing.append("AWS query-string parameters must include 'X-Amz-Credential'. ");
        else p.credential(credential, 0, credential.length());
        String sh = q.get("X-Amz-SignedHeaders");
        if (sh == null) missing.append("AWS query-string parameters must include 'X-Amz-SignedHeaders'. ");
        else p.signedHeaders(sh, 0, sh.length());
        String signature = q.get("X-Amz-Signature");
        if (signature == null) missing.append("AWS query-string parameters must include 'X-Amz-Signature'. ");
        else p.signature(signature, 0, signature.length());
        if (q.get("X-Amz-Date") == null) missing.append("AWS query-string parameters must include 'X-Amz-Date'. ");
        if (!missing.isEmpty()) {
            p.error = DynamoError.incompleteSignature(missing.toString().trim() + " Re-examine the query-string parameters.");
            return p;
        }
        p.credentialUtf8 = ByteText.oneBytePerChar(credential);
        p.signedHeadersUtf8 = ByteText.oneBytePerChar(sh);
        p.readAccessKeyId();
        return p;
    }
}
