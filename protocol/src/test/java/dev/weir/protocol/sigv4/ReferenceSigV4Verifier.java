package dev.weir.protocol.sigv4;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.sigv4.SigV4Verifier.Failed;
import dev.weir.protocol.sigv4.SigV4Verifier.Result;
import dev.weir.protocol.sigv4.SigV4Verifier.Verified;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * TEST ORACLE, not production code: SigV4Verifier as it was before issue 16's byte-level rewrite
 * (commit 2e70423), kept verbatim but for its name, so that the differential tests
 * ({@code SigV4DifferentialTest}) can check that every decision, error text and signature of
 * the rewrite is the same.
 */
/*
 * Verifies the AWS Signature V4 of an incoming request, header form or query-string form,
 * against a lookup of secrets by access key id. Fails closed: anything it cannot verify is a
 * failure with the error DynamoDB itself would send. A signature must cover {@code host},
 * {@code x-amz-date} (header form), {@code x-amz-target} and {@code content-type}: what it
 * does not cover, anyone on the path could change. Derived signing keys are cached per key,
 * date, region and service.
 */
final class ReferenceSigV4Verifier {
    /** AWS's allowed clock skew between the request's time and ours. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final int MAX_CACHED_KEYS = 10_000;

    private record CachedKey(String secret, byte[] key) {}

    private final Function<String, String> secrets;
    private final String service;
    private final Clock clock;
    private final Map<String, CachedKey> keyCache = new ConcurrentHashMap<>();

    /**
     * @param secrets access key id → secret access key, or null when the key is unknown
     * @param service the signing name the credential scope must name (dynamodb)
     */
    ReferenceSigV4Verifier(Function<String, String> secrets, String service, Clock clock) {
        this.secrets = secrets;
        this.service = service;
        this.clock = clock;
    }

    public Result verify(HttpRequestView req) {
        String authorization = req.header("Authorization");
        Map<String, String> query = ReferenceSigV4.queryParams(req.rawQuery());
        Parsed p;
        if (authorization != null && query.containsKey("X-Amz-Algorithm")) {
            return new Failed(DynamoError.invalidSignature(
                    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."), null);
        }
        if (authorization != null) {
            p = parseHeader(authorization, req.header("X-Amz-Date") != null || req.header("Date") != null);
        } else if (query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Credential")) {
            p = parseQuery(query);
        } else {
            return new Failed(DynamoError.missingAuthenticationToken(), null);
        }
        if (p.error != null) return new Failed(p.error, p.accessKeyId);

        String amzDate = p.fromQuery ? query.get("X-Amz-Date") : req.header("X-Amz-Date");
        if (amzDate == null) {
            return new Failed(DynamoError.incompleteSignature(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), p.accessKeyId);
        }
        Instant signedAt;
        try {
            signedAt = ReferenceSigV4.parseAmzDate(amzDate);
        } catch (DateTimeParseException e) {
            return new Failed(DynamoError.incompleteSignature("Date must be in ISO-8601 'basic format'. Got '"
                    + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601"), p.accessKeyId);
        }
        String[] scope = splitScope(p.credential);
        if (scope == null || !scope[4].equals(ReferenceSigV4.TERMINATOR)) {
            return new Failed(DynamoError.incompleteSignature("Credential should be scoped to a valid region. "), p.accessKeyId);
        }
        String date = scope[1], region = scope[2], svc = scope[3];
        if (!amzDate.startsWith(date)) {
            return new Failed(DynamoError.invalidSignature("Credential should be scoped to a valid date. "), p.accessKeyId);
        }
        if (!svc.equals(service)) {
            return new Failed(DynamoError.invalidSignature("Credential should be scoped to correct service: '" + service + "'. "),
                    p.accessKeyId);
        }
        String unsigned = unsignedRequiredHeaders(p);
        if (unsigned != null) return new Failed(DynamoError.invalidSignature(unsigned), p.accessKeyId);
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return new Failed(DynamoError.invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + ReferenceSigV4.AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + ReferenceSigV4.AMZ_DATE.format(now) + " - 15 min.)"),
                    p.accessKeyId);
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return new Failed(DynamoError.invalidSignature("Signature not yet current: " + amzDate + " is still later than "
                    + ReferenceSigV4.AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + ReferenceSigV4.AMZ_DATE.format(now) + " + 15 min.)"),
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

        String payloadHash = ReferenceSigV4.sha256Hex(req.body());
        String canonical = ReferenceSigV4.canonicalRequest(req, p.signedHeaders, payloadHash, p.fromQuery);
        String sts = ReferenceSigV4.stringToSign(amzDate, date + '/' + region + '/' + svc + '/' + ReferenceSigV4.TERMINATOR, canonical);
        String expected = ReferenceSigV4.signature(signingKey(p.accessKeyId, secret, date, region, svc), sts);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), p.signature.getBytes(StandardCharsets.US_ASCII))) {
            return new Failed(DynamoError.invalidSignature(), p.accessKeyId);
        }
        return new Verified(p.accessKeyId, payloadHash);
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

    /**
     * AWS's own message for each required header that is not signed ("'Host' must be a
     * 'SignedHeader' in the AWS Authorization."), joined; null when all are signed.
     */
    private static String unsignedRequiredHeaders(Parsed p) {
        StringBuilder out = null;
        for (Map.Entry<String, String> h : REQUIRED_SIGNED) {
            if (p.fromQuery && h.getKey().equals("x-amz-date")) continue;
            if (p.signedHeaders.contains(h.getKey())) continue;
            if (out == null) out = new StringBuilder();
            else out.append(' ');
            out.append('\'').append(h.getValue()).append("' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return out == null ? null : out.toString();
    }

    /** The credential's five {@code /}-separated parts (key/date/region/service/terminator), or null if not five. */
    private static String[] splitScope(String credential) {
        String[] parts = new String[5];
        int from = 0;
        for (int i = 0; i < 4; i++) {
            int slash = credential.indexOf('/', from);
            if (slash < 0) return null;
            parts[i] = credential.substring(from, slash);
            from = slash + 1;
        }
        if (credential.indexOf('/', from) >= 0) return null;
        parts[4] = credential.substring(from);
        return parts;
    }

    private byte[] signingKey(String accessKeyId, String secret, String date, String region, String svc) {
        String cacheKey = accessKeyId + '/' + date + '/' + region + '/' + svc;
        CachedKey cached = keyCache.get(cacheKey);
        if (cached != null && cached.secret.equals(secret)) return cached.key;
        byte[] key = ReferenceSigV4.signingKey(secret, date, region, svc);
        if (keyCache.size() >= MAX_CACHED_KEYS) keyCache.clear();
        keyCache.put(cacheKey, new CachedKey(secret, key));
        return key;
    }

    private static final class Parsed {
        String credential, accessKeyId, signature;
        List<String> signedHeaders;
        boolean fromQuery;
        DynamoError error;
    }

    private static Parsed parseHeader(String authorization, boolean hasDate) {
        Parsed p = new Parsed();
        if (!authorization.startsWith(ReferenceSigV4.ALGORITHM + " ")) {
            p.error = otherAlgorithm(authorization, hasDate);
            return p;
        }
        StringBuilder missing = new StringBuilder();
        int from = ReferenceSigV4.ALGORITHM.length() + 1, length = authorization.length();
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
            String v = authorization.substring(eq + 1, end);
            if (authorization.startsWith("Credential", start) && eq - start == 10) {
                p.credential = v;
            } else if (authorization.startsWith("SignedHeaders", start) && eq - start == 13) {
                p.signedHeaders = Arrays.asList(v.split(";"));
            } else if (authorization.startsWith("Signature", start) && eq - start == 9) {
                p.signature = v;
            }
        }
        if (p.credential == null) missing.append("Authorization header requires 'Credential' parameter. ");
        if (p.signedHeaders == null) missing.append("Authorization header requires 'SignedHeaders' parameter. ");
        if (p.signature == null) missing.append("Authorization header requires 'Signature' parameter. ");
        if (!missing.isEmpty()) {
            p.error = DynamoError.incompleteSignature(missing.toString().trim());
            return p;
        }
        int slash = p.credential.indexOf('/');
        p.accessKeyId = slash < 0 ? p.credential : p.credential.substring(0, slash);
        return p;
    }

    /** DynamoDB's answer to a header that is not AWS4-HMAC-SHA256, written independently of SigV4Header. */
    private static DynamoError otherAlgorithm(String authorization, boolean hasDate) {
        String t = authorization.trim();
        if (t.length() < 5 || !t.substring(0, 5).equals("AWS4-")) return DynamoError.missingAuthenticationToken();
        String[] words = t.split("\\s", 2);
        java.util.Set<String> given = new java.util.HashSet<>();
        if (words.length > 1) {
            for (String part : words[1].split(",| ")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2 && !kv[0].isEmpty() && !kv[1].isEmpty()) given.add(kv[0]);
            }
        }
        String msg = "";
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!given.contains(name)) msg += "Authorization header requires '" + name + "' parameter. ";
        }
        if (!hasDate) msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
        if (!msg.isEmpty()) return DynamoError.incompleteSignature(msg + "Authorization=" + authorization);
        return DynamoError.incompleteSignature("Unsupported AWS 'algorithm': '" + words[0] + "' (only AWS4-HMAC-SHA256 for now). ");
    }

    private static Parsed parseQuery(Map<String, String> q) {
        Parsed p = new Parsed();
        p.fromQuery = true;
        StringBuilder missing = new StringBuilder();
        if (!ReferenceSigV4.ALGORITHM.equals(q.get("X-Amz-Algorithm"))) missing.append("AWS query-string parameters must include 'X-Amz-Algorithm'. ");
        p.credential = q.get("X-Amz-Credential");
        if (p.credential == null) missing.append("AWS query-string parameters must include 'X-Amz-Credential'. ");
        String sh = q.get("X-Amz-SignedHeaders");
        if (sh == null) missing.append("AWS query-string parameters must include 'X-Amz-SignedHeaders'. ");
        else p.signedHeaders = Arrays.asList(sh.split(";"));
        p.signature = q.get("X-Amz-Signature");
        if (p.signature == null) missing.append("AWS query-string parameters must include 'X-Amz-Signature'. ");
        if (q.get("X-Amz-Date") == null) missing.append("AWS query-string parameters must include 'X-Amz-Date'. ");
        if (!missing.isEmpty()) {
            p.error = DynamoError.incompleteSignature(missing.toString().trim() + " Re-examine the query-string parameters.");
            return p;
        }
        p.accessKeyId = p.credential.split("/", 2)[0];
        return p;
    }
}
