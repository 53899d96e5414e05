package dev.weir.protocol.sigv4;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-level verifier and signer (issue 16) against the String-building implementation
 * they replaced, kept as a test oracle ({@link ReferenceSigV4}, {@link ReferenceSigV4Verifier},
 * {@link ReferenceSigV4Signer}): on seeded random requests (header and query form, odd
 * spacing, repeated and multi-value headers, empty query values, percent-encodings, unicode
 * and lone surrogates in paths, names and values, wrong dates, scopes and signatures, unsigned
 * required headers, clocks around the allowed skew and expiry) both give the same Result
 * (accepted or refused, the same error and words, the same access key and payload hash) or
 * throw the same exception; both sign every request with the same headers.
 */
class SigV4DifferentialTest {
    private static final String SERVICE = "dynamodb";
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private static final Map<String, String> SECRETS = Map.of("AKID", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AKIDOTHER", "another secret", "ÄKID€", "sécret 𝄞", "", "empty-key secret");
    private static final String[] KEYS = {"AKID", "AKID", "AKID", "AKIDOTHER", "ÄKID€", "NOBODY", ""};
    private static final String[] REGIONS = {"us-east-1", "us-east-1", "eu-west-3", "", "région"};
    private static final String[] PATHS = {"/", "/", "/", "", "/dynamodb/", "/a b/", "/%7Euser/x", "//", "/a//b/", "/ü/€/𝄞",
            "/\uD800x", "/x\uDC00", "/%2F%zz", "/~-_.", "/*?", "/a+b=c;d"};
    private static final String[] QUERIES = {"a=1&b=", "b=2&a=1", "x=%20y&x=%20a", "empty=", "flag", "%zz", "+plus=+",
            "a=1&&a=0", "%C3%BC=%C3%A9", "ü=é", "X-Amz-Date=20260301T120000Z", "a=%", "=v", "&"};
    private static final String[] VALUES = {"application/x-amz-json-1.0", "DynamoDB_20120810.GetItem", "  a   b  ", "\ta \t b\t",
            "x,y", "", " ", "é", "日本", "𝄞 note", "\uD800", "a\uDC00b", "weir.local:8000", "attempt=1; max=9", "a  b  c",
            "\u00a0nbsp\u00a0", "line\u0001ctl"};
    private static final String[] EXTRA_NAMES = {"amz-sdk-invocation-id", "amz-sdk-request", "User-Agent", "X-Custom", "x-custom",
            "X-CUSTOM", "Content-Length", "x-amz-content-sha256", "Ünï", "𝄞h", "K\u212Aelvin"};

    /** One generated case: the request, and the verifier's clock. */
    private record Case(HttpRequestView request, Instant now) {}

    @Test
    void theVerifierDecidesAsTheReferenceDoes() {
        Random r = new Random(2026_12_16);
        Map<String, Integer> outcomes = new TreeMap<>(), types = new TreeMap<>();
        int cases = 24_000;
        for (int i = 0; i < cases; i++) {
            Case c = generate(r);
            Clock clock = Clock.fixed(c.now(), ZoneOffset.UTC);
            Object expected = outcome(() -> new ReferenceSigV4Verifier(SECRETS::get, SERVICE, clock).verify(c.request()));
            Object actual = outcome(() -> new SigV4Verifier(SECRETS::get, SERVICE, clock).verify(c.request()));
            int n = i;
            assertEquals(expected, actual, () -> "case " + n + ": " + describe(c));
            outcomes.merge(kind(expected), 1, Integer::sum);
            types.merge(kind(expected).replaceAll(":.*", ""), 1, Integer::sum);
        }
        // The cases reach every outcome, and a good share verifies (so mutations are tested against a valid base).
        assertTrue(types.getOrDefault("Verified", 0) > cases / 5, types::toString);
        for (String k : List.of("MissingAuthenticationTokenException", "IncompleteSignatureException",
                "InvalidSignatureException", "UnrecognizedClientException")) {
            assertTrue(types.getOrDefault(k, 0) > 100, () -> k + " " + types);
        }
        // Every check of the verifier refuses some case: the missing parts, date, scope, required headers, skew, expiry.
        assertTrue(outcomes.size() >= 40, () -> "distinct outcomes " + outcomes);
        System.out.println("SigV4DifferentialTest outcomes: " + types + "; " + outcomes.size() + " distinct");
    }

    /** The verifier object kept across requests (its key cache and the thread's remembered key and access key id) decides as a fresh one. */
    @Test
    void aLongLivedVerifierDecidesAsTheReferenceDoes() {
        Random r = new Random(16_016);
        Instant[] clock = {T};
        Clock moving = new Clock() {
            @Override public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override public Instant instant() {
                return clock[0];
            }
        };
        Map<String, String> secrets = new java.util.HashMap<>(SECRETS);
        SigV4Verifier verifier = new SigV4Verifier(secrets::get, SERVICE, moving);
        ReferenceSigV4Verifier reference = new ReferenceSigV4Verifier(secrets::get, SERVICE, moving);
        for (int i = 0; i < 8_000; i++) {
            Case c = generate(r);
            clock[0] = c.now();
            if (r.nextInt(50) == 0) secrets.put("AKID", "rotated " + r.nextInt(3));
            int n = i;
            assertEquals(outcome(() -> reference.verify(c.request())), outcome(() -> verifier.verify(c.request())),
                    () -> "case " + n + ": " + describe(c));
        }
    }

    @Test
    void theSignerSignsAsTheReferenceDoes() {
        Random r = new Random(1_600_016);
        String[] hosts = {"127.0.0.1:8000", "dynamodb.us-east-1.amazonaws.com", "store.internal:443", "[::1]:9000", " spaced  host ",
                "hôte"};
        String[] paths = {"/", "/dynamodb/", "/a b/", "/%7Euser/x", "", "/ü/𝄞", "/x\uD800"};
        String[] contentTypes = {"application/x-amz-json-1.0", "application/x-amz-json-1.1", "  application/json  ", "text/plain; a  b"};
        int cases = 0;
        for (int s = 0; s < 400; s++) {
            Credentials credentials = new Credentials(r.nextInt(8) == 0 ? "ÄKID" + r.nextInt(9) : "AKID" + r.nextInt(1000),
                    r.nextInt(8) == 0 ? "sécret 𝄞" + r.nextInt() : "secret-" + r.nextInt());
            String region = r.nextInt(6) == 0 ? REGIONS[r.nextInt(REGIONS.length)] : "us-east-1";
            SigV4Signer signer = new SigV4Signer(credentials, region, SERVICE);
            ReferenceSigV4Signer reference = new ReferenceSigV4Signer(credentials, region, SERVICE);
            // Several requests per signer, so its day's key, second's date and POST start are reused and replaced.
            Instant now = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000));
            for (int k = 0; k < 10; k++, cases++) {
                if (r.nextInt(3) == 0) now = now.plusSeconds(r.nextInt(3) == 0 ? 86_400 : r.nextInt(3));
                if (r.nextInt(200) == 0) now = Instant.ofEpochSecond(-62_000_000_000L + r.nextInt(1_000_000)); // a year below 1000
                String host = hosts[r.nextInt(hosts.length)];
                String path = paths[r.nextInt(paths.length)];
                String contentType = contentTypes[r.nextInt(contentTypes.length)];
                String target = (r.nextBoolean() ? "DynamoDB_20120810." : "DynamoDBStreams_20120810.") + "Op" + r.nextInt(40)
                        + (r.nextInt(10) == 0 ? "  with  spaces " : "") + (r.nextInt(20) == 0 ? "é" : "");
                byte[] body = new byte[r.nextInt(3) == 0 ? r.nextInt(5000) : r.nextInt(200)];
                r.nextBytes(body);
                String hash = r.nextBoolean() ? ReferenceSigV4.sha256Hex(body) : null;
                List<Map.Entry<String, String>> expected = reference.signPost(path, host, contentType, target, body, hash, now);
                String what = "signer " + s + ", request " + k;
                assertEquals(expected, signer.signPost(path, host, contentType, target, body, hash, now), what);
                List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", host),
                        Map.entry("Content-Type", contentType), Map.entry("X-Amz-Target", target)));
                assertEquals(expected, signer.sign("POST", path, headers, body, now), what + ", general signer");
                for (int h = r.nextInt(4); h > 0; h--) {
                    headers.add(Map.entry(EXTRA_NAMES[r.nextInt(EXTRA_NAMES.length)], VALUES[r.nextInt(VALUES.length)]));
                }
                String method = r.nextInt(10) == 0 ? "GET" : "POST";
                assertEquals(reference.sign(method, path, headers, body, now), signer.sign(method, path, headers, body, now),
                        what + ", general signer, more headers");
            }
        }
        assertTrue(cases >= 4_000);
    }

    /** The text functions others call (tests, tools) give the bytes the reference's texts encode to. */
    @Test
    void theTextFunctionsMatchTheReference() {
        Random r = new Random(77);
        for (int i = 0; i < 3_000; i++) {
            Case c = generate(r);
            HttpRequestView req = c.request();
            List<String> names = new ArrayList<>();
            for (int n = r.nextInt(5); n > 0; n--) names.add(EXTRA_NAMES[r.nextInt(EXTRA_NAMES.length)].toLowerCase(java.util.Locale.ROOT));
            names.add("host");
            boolean drop = r.nextBoolean();
            String hash = ReferenceSigV4.sha256Hex(req.body());
            assertEquals(hash, SigV4.sha256Hex(req.body()));
            String expected = ReferenceSigV4.canonicalRequest(req, names, hash, drop);
            String actual = SigV4.canonicalRequest(req, names, hash, drop);
            assertEquals(Arrays.toString(expected.getBytes(StandardCharsets.UTF_8)), Arrays.toString(actual.getBytes(StandardCharsets.UTF_8)),
                    () -> describe(c));
            String scope = "20260301/" + REGIONS[r.nextInt(REGIONS.length)] + "/dynamodb/aws4_request";
            String sts = ReferenceSigV4.stringToSign("20260301T120000Z", scope, expected);
            assertEquals(sts, SigV4.stringToSign("20260301T120000Z", scope, actual));
            String secret = SECRETS.get(KEYS[r.nextInt(4)]);
            assertEquals(ReferenceSigV4.signature(ReferenceSigV4.signingKey(secret, "20260301", "us-east-1", SERVICE), sts),
                    SigV4.signature(SigV4.signingKey(secret, "20260301", "us-east-1", SERVICE), sts));
        }
    }

    /**
     * Several threads verify and sign at once with one verifier and one signer (the event
     * loops' way), on requests of several keys and days: every answer is the one the reference
     * gives alone.
     */
    @Test
    void concurrentCallersGetTheirOwnAnswers() throws Exception {
        Random r = new Random(4);
        List<Case> cases = new ArrayList<>();
        List<Object> verdicts = new ArrayList<>();
        Instant now = T;
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ReferenceSigV4Verifier referenceVerifier = new ReferenceSigV4Verifier(SECRETS::get, SERVICE, clock);
        while (cases.size() < 600) {
            Case c = generate(r);
            if (!c.now().equals(now)) continue;
            cases.add(c);
            verdicts.add(outcome(() -> referenceVerifier.verify(c.request())));
        }
        Credentials credentials = new Credentials("UPSTREAM", "upstream-secret");
        ReferenceSigV4Signer referenceSigner = new ReferenceSigV4Signer(credentials, "us-east-1", SERVICE);
        List<Instant> times = new ArrayList<>();
        List<List<Map.Entry<String, String>>> signatures = new ArrayList<>();
        for (Case c : cases) {
            Instant at = T.plusSeconds(r.nextInt(4) * 43_200L + r.nextInt(2));
            times.add(at);
            signatures.add(referenceSigner.signPost("/", "store:8000", "application/x-amz-json-1.0", "DynamoDB_20120810.GetItem",
                    c.request().body(), at));
        }
        SigV4Verifier verifier = new SigV4Verifier(SECRETS::get, SERVICE, clock);
        SigV4Signer signer = new SigV4Signer(credentials, "us-east-1", SERVICE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 150;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int k = 0; k < cases.size(); k++) {
                            int i = (k + offset) % cases.size();
                            assertEquals(verdicts.get(i), outcome(() -> verifier.verify(cases.get(i).request())), "case " + i);
                            assertEquals(signatures.get(i), signer.signPost("/", "store:8000", "application/x-amz-json-1.0",
                                    "DynamoDB_20120810.GetItem", cases.get(i).request().body(), times.get(i)), "signature " + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- generation ----

    /** A request signed (by the reference) and then, most of the time, changed in one to three ways. */
    private static Case generate(Random r) {
        boolean queryForm = r.nextInt(6) == 0;
        String akid = KEYS[r.nextInt(KEYS.length)];
        String signingSecret = SECRETS.getOrDefault(akid, "whatever");
        if (r.nextInt(20) == 0) signingSecret = "wrong secret";
        Instant signedAt = r.nextInt(10) == 0 ? T.plusSeconds(r.nextInt(4_000) - 2_000) : T;
        String amzDate = ReferenceSigV4.formatAmzDate(signedAt);
        String date = amzDate.substring(0, 8);
        String region = r.nextInt(8) == 0 ? REGIONS[r.nextInt(REGIONS.length)] : "us-east-1";
        String service = r.nextInt(30) == 0 ? "DynamoDB" : SERVICE;
        String method = r.nextInt(10) == 0 ? pick(r, "GET", "pòst", "", "PUT") : "POST";
        String path = r.nextInt(3) == 0 ? PATHS[r.nextInt(PATHS.length)] : "/";
        byte[] body = r.nextInt(10) == 0 ? VALUES[r.nextInt(VALUES.length)].getBytes(StandardCharsets.UTF_8)
                : ("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + r.nextInt(1000) + "\"}}}").getBytes(StandardCharsets.UTF_8);

        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(pick(r, "Host", "host", "HOST"), r.nextInt(10) == 0 ? VALUES[r.nextInt(VALUES.length)] : "weir.local:8000"));
        headers.add(Map.entry("Content-Type", r.nextInt(10) == 0 ? " application/x-amz-json-1.0  " : "application/x-amz-json-1.0"));
        headers.add(Map.entry("X-Amz-Target", "DynamoDB_20120810." + pick(r, "GetItem", "Query", "PutItem")));
        for (int n = r.nextInt(5); n > 0; n--) {
            headers.add(r.nextInt(headers.size() + 1), Map.entry(EXTRA_NAMES[r.nextInt(EXTRA_NAMES.length)], VALUES[r.nextInt(VALUES.length)]));
        }
        if (!queryForm) headers.add(r.nextInt(headers.size() + 1), Map.entry(pick(r, "X-Amz-Date", "x-amz-date"), amzDate));

        // The signed headers: usually every header sent (lower-case, sorted), sometimes a subset, odd separators or case.
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            String n = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!names.contains(n) && (r.nextInt(12) != 0)) names.add(n);
        }
        names.sort(null);
        if (r.nextInt(20) == 0) names.add("not-sent");
        if (r.nextInt(30) == 0 && !names.isEmpty()) names.set(0, names.getFirst().toUpperCase(java.util.Locale.ROOT));
        String signedHeaders = String.join(";", names);
        if (r.nextInt(25) == 0) signedHeaders = pick(r, signedHeaders + ";", ";" + signedHeaders, signedHeaders.replace(";", ";;"),
                ";;", "", ";");
        List<String> signedList = Arrays.asList(signedHeaders.split(";"));

        String scope = date + '/' + region + '/' + service + '/' + ReferenceSigV4.TERMINATOR;
        String credential = akid + '/' + scope;
        String query = "";
        if (queryForm) {
            String expires = r.nextInt(10) == 0 ? pick(r, "0", "604801", "x", "", "-5", "604800") : "300";
            query = "X-Amz-Algorithm=" + pick(r, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256", "HMAC")
                    + "&X-Amz-Credential=" + encode(credential) + "&X-Amz-Date=" + amzDate + "&X-Amz-Expires=" + expires
                    + "&X-Amz-SignedHeaders=" + encode(signedHeaders);
            if (r.nextInt(4) == 0) query += "&" + QUERIES[r.nextInt(QUERIES.length)];
            if (r.nextInt(20) == 0) query = dropParam(query, pick(r, "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                    "X-Amz-SignedHeaders", "X-Amz-Expires"));
        } else if (r.nextInt(8) == 0) {
            query = QUERIES[r.nextInt(QUERIES.length)];
        }

        HttpRequestView unsigned = new HttpRequestView(method, path, query, headers, body);
        String canonical = ReferenceSigV4.canonicalRequest(unsigned, signedList, ReferenceSigV4.sha256Hex(body), queryForm);
        String signature = ReferenceSigV4.signature(ReferenceSigV4.signingKey(signingSecret, date, region, service),
                ReferenceSigV4.stringToSign(amzDate, scope, canonical));
        HttpRequestView req;
        if (queryForm) {
            req = new HttpRequestView(method, path, query + "&X-Amz-Signature=" + signature, headers, body);
        } else {
            List<Map.Entry<String, String>> all = new ArrayList<>(headers);
            all.add(r.nextInt(all.size() + 1), Map.entry(pick(r, "Authorization", "authorization"), ReferenceSigV4.ALGORITHM
                    + " Credential=" + credential + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature));
            req = new HttpRequestView(method, path, query, all, body);
        }
        Instant now = T;
        if (r.nextInt(8) == 0) now = T.plusSeconds(pick(r, 899L, 900L, 901L, -899L, -900L, -901L, 300L, 301L, 60L, 100_000L));
        if (r.nextInt(2) == 0) return new Case(req, now);
        for (int m = 1 + r.nextInt(3); m > 0; m--) req = mutate(r, req);
        return new Case(req, now);
    }

    private static HttpRequestView mutate(Random r, HttpRequestView req) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers());
        String query = req.rawQuery();
        String method = req.method(), path = req.rawPath();
        byte[] body = req.body();
        int auth = indexOf(headers, "Authorization");
        if (headers.isEmpty()) headers.add(Map.entry("Host", "weir.local:8000"));
        switch (r.nextInt(16)) {
            case 0 -> body = (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
            case 1 -> method = pick(r, "GET", "post", "POST ");
            case 2 -> path = PATHS[r.nextInt(PATHS.length)];
            case 3 -> query = (query == null || query.isEmpty() ? "" : query + "&") + QUERIES[r.nextInt(QUERIES.length)];
            case 4 -> { // respace or recase a header: SigV4 reads both the same
                int i = r.nextInt(headers.size());
                Map.Entry<String, String> h = headers.get(i);
                headers.set(i, r.nextBoolean() ? Map.entry(h.getKey().toUpperCase(java.util.Locale.ROOT), h.getValue())
                        : Map.entry(h.getKey(), "  " + h.getValue().replace(" ", "   ") + " \t"));
            }
            case 5 -> headers.remove(r.nextInt(headers.size()));
            case 6 -> { // a repeated header (multi-value)
                Map.Entry<String, String> h = headers.get(r.nextInt(headers.size()));
                headers.add(r.nextInt(headers.size() + 1), Map.entry(h.getKey(), VALUES[r.nextInt(VALUES.length)]));
            }
            case 7 -> headers.add(Map.entry(EXTRA_NAMES[r.nextInt(EXTRA_NAMES.length)], VALUES[r.nextInt(VALUES.length)]));
            case 8 -> { // the date header
                int i = indexOf(headers, "X-Amz-Date");
                String v = pick(r, "20260301T120001Z", "20260302T120000Z", "2026-03-01T12:00:00Z", "20261301T000000Z", "",
                        "20260301T120000", "２０２６0301T120000Z", "09990301T120000Z", "20260229T120000Z", "20260301T240000Z");
                if (i < 0) headers.add(Map.entry("X-Amz-Date", v));
                else headers.set(i, Map.entry(headers.get(i).getKey(), v));
            }
            case 9, 10, 11, 12 -> {
                if (auth >= 0) headers.set(auth, Map.entry(headers.get(auth).getKey(), mutateAuthorization(r, headers.get(auth).getValue())));
                else query = mutateQuery(r, query);
            }
            case 13 -> { // both forms, or neither
                if (auth >= 0 && r.nextBoolean()) headers.remove(auth);
                else query = (query == null || query.isEmpty() ? "" : query + "&") + "X-Amz-Algorithm=AWS4-HMAC-SHA256";
            }
            case 14 -> headers.add(Map.entry("Authorization", pick(r, "Basic abc", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ",
                    "aws4-hmac-sha256 Credential=AKID/20260301/us-east-1/dynamodb/aws4_request")));
            default -> query = mutateQuery(r, query);
        }
        return new HttpRequestView(method, path, query, headers, body);
    }

    private static String mutateAuthorization(Random r, String auth) {
        String params = auth.startsWith(ReferenceSigV4.ALGORITHM + " ") ? auth.substring(ReferenceSigV4.ALGORITHM.length() + 1) : auth;
        return switch (r.nextInt(14)) {
            case 0 -> ReferenceSigV4.ALGORITHM + " \t" + String.join(" ,\t ", params.split(", ")) + " , ,";
            case 1 -> ReferenceSigV4.ALGORITHM + " Signature=0000, Credential=NOBODY/x, " + params;
            case 2 -> ReferenceSigV4.ALGORITHM + " " + params.replace("Credential=", "credential=");
            case 3 -> ReferenceSigV4.ALGORITHM + " " + params.replace("SignedHeaders=", "SignedHeader=");
            case 4 -> ReferenceSigV4.ALGORITHM + " " + params.replaceFirst("Signature=.*", "");
            case 5 -> { // one signature character changed, or upper-case, or cut, or a non-ASCII one
                int at = auth.indexOf("Signature=");
                if (at < 0) yield auth + ", Signature=";
                String sig = auth.substring(at + 10);
                String changed = switch (r.nextInt(5)) {
                    case 0 -> sig.toUpperCase(java.util.Locale.ROOT);
                    case 1 -> sig.isEmpty() ? "0" : sig.substring(1);
                    case 2 -> sig + "0";
                    case 3 -> sig.isEmpty() ? "é" : "é" + sig.substring(1);
                    default -> sig.isEmpty() ? "f" : (sig.charAt(0) == 'f' ? "e" : "f") + sig.substring(1);
                };
                yield auth.substring(0, at + 10) + changed;
            }
            case 6 -> auth.replace("/us-east-1/", pick(r, "/us-west-2/", "//", "/us-east-1/x/", "/"));
            case 7 -> auth.replace("/dynamodb/", pick(r, "/s3/", "/DynamoDB/", "/dynamodb/extra/"));
            case 8 -> auth.replace("aws4_request", pick(r, "aws4_requests", "", "aws4_request/"));
            case 9 -> auth.replace("20260301/", pick(r, "20260302/", "2026030/", "/", "20260301T/"));
            case 10 -> auth.replace("Credential=AKID/", pick(r, "Credential=AKIDOTHER/", "Credential=NOBODY/", "Credential=/",
                    "Credential=AKID"));
            case 11 -> auth.replaceAll("(SignedHeaders=[^,]*)", "$1" + pick(r, ";", ";;", ";X-Extra", ""))
                    .replace(pick(r, "host;", ";x-amz-date", "content-type;", ";x-amz-target"), "");
            case 12 -> "AWS4-HMAC-SHA256X " + params;
            default -> ReferenceSigV4.ALGORITHM + " " + params + ", " + pick(r, "Foo=1", "X=", "=", "Signature", "Credential=A/B");
        };
    }

    private static String mutateQuery(Random r, String query) {
        if (query == null || query.isEmpty()) return QUERIES[r.nextInt(QUERIES.length)];
        return switch (r.nextInt(7)) {
            case 0 -> query.replace("X-Amz-Expires=300", "X-Amz-Expires=" + pick(r, "600", "0", "x", "604800"));
            case 1 -> query.replace("X-Amz-Signature=", "X-Amz-Signature=0");
            case 2 -> query.replace("%2F", "/");
            case 3 -> query.replace("us-east-1", "eu-west-1");
            case 4 -> query.replace("X-Amz-Date=2026", "X-Amz-Date=2025");
            case 5 -> query + "&X-Amz-Signature=" + "0".repeat(64);
            default -> query.replace("&", "&&");
        };
    }

    private static int indexOf(List<Map.Entry<String, String>> headers, String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).getKey().equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    private static String dropParam(String query, String name) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) continue;
            if (!out.isEmpty()) out.append('&');
            out.append(pair);
        }
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    /** The Result, or the class of what was thrown. */
    private static Object outcome(Supplier<Object> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static String kind(Object outcome) {
        return switch (outcome) {
            case SigV4Verifier.Verified v -> "Verified";
            case SigV4Verifier.Failed f -> f.error().shortType() + (f.error().shortType().equals("InvalidSignatureException")
                    || f.error().shortType().equals("IncompleteSignatureException") ? ": " + f.error().message().replaceAll("\\d", "") : "");
            default -> String.valueOf(outcome);
        };
    }

    private static String describe(Case c) {
        HttpRequestView req = c.request();
        return req.method() + " " + req.rawPath() + " ? " + req.rawQuery() + " " + req.headers() + " body "
                + new String(req.body(), StandardCharsets.UTF_8) + " at " + c.now();
    }
}
