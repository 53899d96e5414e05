package dev.weir.protocol.sigv4;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weir.protocol.error.DynamoError;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SigV4 verifier on mutations of one real signed request: the result is Verified only
 * when every part the signature covers is unchanged (method, path, query, body, every signed
 * header's values, the date, the credential); otherwise a Failed with one of the errors DynamoDB
 * sends for authentication; never an exception. "Unchanged" is judged by this test's own
 * reading, allowing only what SigV4 itself treats as equal: header names in any case, header
 * values trimmed with runs of spaces collapsed, query parameters in any order and encoding, an
 * empty path as {@code /}. (The Authorization header itself is not compared: a change to it that
 * still verifies names the same key, headers and signature.)
 *
 * <p>Input format (so seeds are plain files): one mutation per line, applied in order to the
 * signed request: {@code method M}, {@code path P}, {@code query Q}, {@code body B},
 * {@code add Name: value} (a header more), {@code set Name: value} (replaces the first header
 * of that name, or adds it), {@code drop Name}, {@code clock S} (the verifier's clock moves S
 * seconds); other lines are ignored. Regression inputs live in
 * {@code SigV4VerifierFuzzTestInputs/<method>/}; {@code ./weir fuzz sigv4} fuzzes.
 */
class SigV4VerifierFuzzTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String KEY = "AKIDFUZZ", SECRET = "fuzz/secret+key";
    private static final Map<String, String> SECRETS = Map.of(KEY, SECRET, "AKIDOTHER", "another secret");
    private static final Set<String> AUTH_ERRORS = Set.of("MissingAuthenticationTokenException",
            "IncompleteSignatureException", "InvalidSignatureException", "UnrecognizedClientException");
    private static final byte[] BODY = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}".getBytes(StandardCharsets.UTF_8);
    /** The signed request every input starts from. */
    private static final HttpRequestView SIGNED = signed();

    @FuzzTest
    @DictionaryEntries({"method ", "path ", "query ", "body ", "add ", "set ", "drop ", "clock ", "Host: ", "X-Amz-Date: ",
            "X-Amz-Target: ", "Authorization: ", "Content-Type: ", "AWS4-HMAC-SHA256 ", "Credential=", "SignedHeaders=",
            "Signature=", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=", "X-Amz-Signature=", "X-Amz-Date=",
            "X-Amz-SignedHeaders=", "X-Amz-Expires=", "AKIDFUZZ/20260301/us-east-1/dynamodb/aws4_request",
            "20260301T120000Z", "DynamoDB_20120810.GetItem", "host;x-amz-date", "%2F", "%20", "&", "="})
    void onlyAnUnchangedSignedRequestVerifies(byte[] input) {
        HttpRequestView req = SIGNED;
        long clockSeconds = 0;
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
            int space = line.indexOf(' ');
            String op = space < 0 ? line : line.substring(0, space), arg = space < 0 ? "" : line.substring(space + 1);
            List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers());
            switch (op) {
                case "method" -> req = new HttpRequestView(arg, req.rawPath(), req.rawQuery(), headers, req.body());
                case "path" -> req = new HttpRequestView(req.method(), arg, req.rawQuery(), headers, req.body());
                case "query" -> req = new HttpRequestView(req.method(), req.rawPath(), arg, headers, req.body());
                case "body" -> req = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), headers,
                        arg.getBytes(StandardCharsets.UTF_8));
                case "add", "set" -> {
                    int colon = arg.indexOf(':');
                    if (colon < 0) continue;
                    Map.Entry<String, String> header = Map.entry(arg.substring(0, colon), arg.substring(colon + 1));
                    int at = -1;
                    for (int i = 0; i < headers.size() && op.equals("set"); i++) {
                        if (headers.get(i).getKey().equalsIgnoreCase(header.getKey())) {
                            at = i;
                            break;
                        }
                    }
                    if (at < 0) headers.add(header);
                    else headers.set(at, header);
                    req = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), headers, req.body());
                }
                case "drop" -> {
                    headers.removeIf(h -> h.getKey().equalsIgnoreCase(arg));
                    req = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), headers, req.body());
                }
                case "clock" -> {
                    try {
                        clockSeconds = Math.max(-1_000_000, Math.min(1_000_000, Long.parseLong(arg.strip())));
                    } catch (NumberFormatException ignored) {
                        // not a number: the clock stays
                    }
                }
                default -> { }
            }
        }
        SigV4Verifier verifier = new SigV4Verifier(SECRETS::get, "dynamodb", Clock.fixed(NOW.plusSeconds(clockSeconds), ZoneOffset.UTC));
        SigV4Verifier.Result result = verifier.verify(req);
        HttpRequestView mutated = req;
        switch (result) {
            case SigV4Verifier.Verified v -> {
                assertEquals(KEY, v.accessKeyId());
                assertTrue(Math.abs(clockSeconds) <= SigV4Verifier.MAX_SKEW.toSeconds(), "verified outside the allowed skew");
                assertEquals(SIGNED.method(), mutated.method(), "verified with another method");
                assertTrue(Arrays.equals(SIGNED.body(), mutated.body()), "verified with another body");
                assertEquals(SIGNED.rawPath(), mutated.rawPath() == null || mutated.rawPath().isEmpty() ? "/" : mutated.rawPath(),
                        "verified with another path");
                assertEquals(query(SIGNED.rawQuery()), query(mutated.rawQuery()), "verified with another query");
                for (String name : List.of("host", "content-type", "x-amz-target", "x-amz-date")) {
                    assertEquals(header(SIGNED, name), header(mutated, name), () -> "verified with another " + name);
                }
            }
            case SigV4Verifier.Failed f -> {
                DynamoError error = f.error();
                assertNotNull(error);
                assertTrue(AUTH_ERRORS.contains(error.shortType()), error::toString);
                assertEquals(400, error.status(), error::toString);
                assertNotNull(error.message());
            }
        }
    }

    /** A header's values as SigV4 reads them: joined by ',', each trimmed, runs of spaces as one; null if absent. */
    private static String header(HttpRequestView req, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : req.headers()) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(name)) values.add(h.getValue().trim().replaceAll(" +", " "));
        }
        return values.isEmpty() ? null : String.join(",", values);
    }

    /** The query's parameters, decoded and sorted; a query that does not decode is itself. */
    private static List<String> query(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) return out;
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode((eq < 0 ? pair : pair.substring(0, eq)).replace("+", "%2B"), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
                out.add(name + "=" + value);
            }
        } catch (IllegalArgumentException e) {
            return List.of(raw);
        }
        out.sort(null);
        return out;
    }

    private static HttpRequestView signed() {
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "weir.local:8000"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        headers.addAll(new SigV4Signer(new Credentials(KEY, SECRET), "us-east-1", "dynamodb").sign("POST", "/", headers, BODY, NOW));
        HttpRequestView req = new HttpRequestView("POST", "/", "", List.copyOf(headers), BODY);
        SigV4Verifier.Result control = new SigV4Verifier(SECRETS::get, "dynamodb", Clock.fixed(NOW, ZoneOffset.UTC)).verify(req);
        assertInstanceOf(SigV4Verifier.Verified.class, control, "the unmutated request must verify");
        return req;
    }
}
