package dev.weir.protocol.sigv4;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant T = Instant.parse("2015-08-30T12:36:00Z");

    /** The "get-vanilla" case of AWS's published SigV4 test suite. */
    @Test
    void awsTestSuiteGetVanilla() {
        HttpRequestView req = new HttpRequestView("GET", "/", "",
                List.of(Map.entry("Host", "example.amazonaws.com"), Map.entry("X-Amz-Date", "20150830T123600Z")), new byte[0]);
        String canonical = SigV4.canonicalRequest(req, List.of("host", "x-amz-date"), SigV4.sha256Hex(new byte[0]), false);
        String sts = SigV4.stringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);
        assertEquals("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                SigV4.signature(SigV4.signingKey(SECRET, "20150830", "us-east-1", "service"), sts));
    }

    @Test
    void signerAndVerifierAgree() {
        HttpRequestView req = signed("AKID", SECRET, body("{\"TableName\":\"people\"}"));
        assertEquals("AKID", assertInstanceOf(SigV4Verifier.Verified.class, verifier(T).verify(req)).accessKeyId());
        assertEquals(SigV4.sha256Hex(req.body()), ((SigV4Verifier.Verified) verifier(T).verify(req)).payloadHash());
    }

    /** A query that cannot be decoded cannot be canonicalized: refused, not thrown. */
    @Test
    void aMalformedPercentEscapeInTheQueryFails() {
        HttpRequestView req = signed("AKID", SECRET, body("{}"));
        HttpRequestView bad = new HttpRequestView(req.method(), req.rawPath(), "a=%zz", req.headers(), req.body());
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(bad));
        assertEquals("InvalidSignatureException", f.error().shortType(), f.error().message());
    }

    @Test
    void tamperedBodyFails() {
        HttpRequestView req = signed("AKID", SECRET, body("{\"TableName\":\"people\"}"));
        HttpRequestView tampered = new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), req.headers(),
                body("{\"TableName\":\"secret\"}"));
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(tampered));
        assertEquals("InvalidSignatureException", f.error().shortType());
    }

    @Test
    void wrongSecretFails() {
        HttpRequestView req = signed("AKID", "not-the-secret", body("{}"));
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(req));
        assertEquals("InvalidSignatureException", f.error().shortType());
    }

    @Test
    void unknownKeyIsUnrecognizedClient() {
        HttpRequestView req = signed("NOBODY", SECRET, body("{}"));
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(req));
        assertEquals("UnrecognizedClientException", f.error().shortType());
        assertEquals("The security token included in the request is invalid.", f.error().message());
    }

    @Test
    void missingAuthorization() {
        HttpRequestView req = new HttpRequestView("POST", "/", "", List.of(Map.entry("Host", "h")), new byte[0]);
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(req));
        assertEquals("MissingAuthenticationTokenException", f.error().shortType());
    }

    @Test
    void clockSkewBeyondFifteenMinutesFails() {
        HttpRequestView req = signed("AKID", SECRET, body("{}"));
        SigV4Verifier.Failed late = assertInstanceOf(SigV4Verifier.Failed.class,
                verifier(T.plusSeconds(16 * 60)).verify(req));
        assertEquals("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)",
                late.error().message());
        assertInstanceOf(SigV4Verifier.Verified.class, verifier(T.plusSeconds(14 * 60)).verify(req));
        SigV4Verifier.Failed early = assertInstanceOf(SigV4Verifier.Failed.class,
                verifier(T.minusSeconds(16 * 60)).verify(req));
        assertEquals("InvalidSignatureException", early.error().shortType());
    }

    @Test
    void hostMustBeSigned() {
        SigV4Signer signer = new SigV4Signer(new Credentials("AKID", SECRET), "us-east-1", "dynamodb");
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        byte[] b = body("{}");
        headers.addAll(signer.sign("POST", "/", headers, b, T));
        headers.add(Map.entry("Host", "h"));
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class,
                verifier(T).verify(new HttpRequestView("POST", "/", "", headers, b)));
        assertEquals("InvalidSignatureException", f.error().shortType());
    }

    /** The query-string form carries X-Amz-Date as a signed query parameter; the other three headers are signed. */
    @Test
    void queryStringFormIsVerifiedAndExpires() {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", "h"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem"));
        String query = presignedQuery("content-type%3Bhost%3Bx-amz-target");
        byte[] b = body("{}");
        String sig = presign(query, headers, List.of("content-type", "host", "x-amz-target"), b);
        HttpRequestView signed = new HttpRequestView("POST", "/", query + "&X-Amz-Signature=" + sig, headers, b);
        assertEquals("AKID", assertInstanceOf(SigV4Verifier.Verified.class, verifier(T.plusSeconds(60)).verify(signed)).accessKeyId());
        SigV4Verifier.Failed expired = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T.plusSeconds(301)).verify(signed));
        assertEquals("Request has expired", expired.error().message());
        HttpRequestView tampered = new HttpRequestView("POST", "/", query.replace("Expires=300", "Expires=600")
                + "&X-Amz-Signature=" + sig, headers, b);
        assertEquals("InvalidSignatureException", assertInstanceOf(SigV4Verifier.Failed.class,
                verifier(T.plusSeconds(60)).verify(tampered)).error().shortType());

        String hostOnly = presignedQuery("host");
        HttpRequestView weak = new HttpRequestView("POST", "/", hostOnly + "&X-Amz-Signature="
                + presign(hostOnly, headers, List.of("host"), b), headers, b);
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T.plusSeconds(60)).verify(weak));
        assertEquals("InvalidSignatureException", f.error().shortType());
        assertEquals("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization. "
                + "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.", f.error().message());
    }

    private static String presignedQuery(String signedHeaders) {
        return "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fdynamodb%2Faws4_request"
                + "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=" + signedHeaders;
    }

    private static String presign(String query, List<Map.Entry<String, String>> headers, List<String> signed, byte[] b) {
        HttpRequestView unsigned = new HttpRequestView("POST", "/", query, headers, b);
        String canonical = SigV4.canonicalRequest(unsigned, signed, SigV4.sha256Hex(b), true);
        return SigV4.signature(SigV4.signingKey(SECRET, "20150830", "us-east-1", "dynamodb"),
                SigV4.stringToSign("20150830T123600Z", "20150830/us-east-1/dynamodb/aws4_request", canonical));
    }

    /**
     * A valid signature that does not cover one of host, x-amz-date, x-amz-target and
     * content-type is refused, naming what is not covered, before the key is even looked up.
     */
    @Test
    void aSignatureMustCoverHostDateTargetAndContentType() {
        for (String left : List.of("Host", "X-Amz-Date", "X-Amz-Target", "Content-Type")) {
            HttpRequestView req = signedWithout(left, "AKID", SECRET);
            SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(req), left);
            assertEquals("InvalidSignatureException", f.error().shortType());
            assertEquals("'" + left + "' must be a 'SignedHeader' in the AWS Authorization.", f.error().message());
            f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(signedWithout(left, "NOBODY", SECRET)));
            assertEquals("InvalidSignatureException", f.error().shortType(), "checked before the key");
        }
    }

    /** An on-path change of X-Amz-Target on an otherwise valid request breaks the signature. */
    @Test
    void aChangedTargetIsRefused() {
        HttpRequestView req = signed("AKID", SECRET, body("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}"));
        assertInstanceOf(SigV4Verifier.Verified.class, verifier(T).verify(req));
        for (String target : List.of("DynamoDB_20120810.DeleteItem", "DynamoDB_20120810.Scan", "dynamodb_20120810.getitem")) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.add(h.getKey().equals("X-Amz-Target") ? Map.entry("X-Amz-Target", target) : h);
            }
            SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class,
                    verifier(T).verify(new HttpRequestView("POST", "/", "", headers, req.body())), target);
            assertEquals("InvalidSignatureException", f.error().shortType());
            assertEquals("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
                    f.error().message());
        }
        List<Map.Entry<String, String>> doubled = new ArrayList<>(req.headers());
        doubled.add(Map.entry("X-Amz-Target", "DynamoDB_20120810.DeleteItem"));
        assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(new HttpRequestView("POST", "/", "", doubled, req.body())));
    }

    /** A malformed percent-escape in the query is a failed signature, not an exception out of the verifier. */
    @Test
    void aMalformedQueryIsAFailedSignature() {
        HttpRequestView req = signed("AKID", SECRET, body("{}"));
        for (String query : List.of("a=%zz", "%", "X-Amz-Algorithm=%G1&X-Amz-Credential=%")) {
            HttpRequestView odd = new HttpRequestView("POST", "/", query, req.headers(), req.body());
            SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(odd), query);
            assertEquals("InvalidSignatureException", f.error().shortType(), query);
        }
    }

    @Test
    void bothFormsAtOnceAreRefused() {
        HttpRequestView req = signed("AKID", SECRET, body("{}"));
        HttpRequestView both = new HttpRequestView("POST", "/", "X-Amz-Algorithm=AWS4-HMAC-SHA256", req.headers(), req.body());
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(both));
        assertEquals("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
                f.error().message());
    }

    /** A request signed over every header of {@link #signed} but {@code left} (which it still sends). */
    private static HttpRequestView signedWithout(String left, String akid, String secret) {
        SigV4Signer signer = new SigV4Signer(new Credentials(akid, secret), "us-east-1", "dynamodb");
        List<Map.Entry<String, String>> toSign = new ArrayList<>();
        List<Map.Entry<String, String>> all = new ArrayList<>();
        for (Map.Entry<String, String> h : List.of(Map.entry("Host", "127.0.0.1:8000"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem"))) {
            (h.getKey().equals(left) ? all : toSign).add(h);
        }
        byte[] b = body("{}");
        all.addAll(toSign);
        for (Map.Entry<String, String> h : signer.sign("POST", "/", toSign, b, T)) {
            if (h.getKey().equals("Authorization") && left.equals("X-Amz-Date")) {
                all.add(Map.entry("Authorization", h.getValue().replace(";x-amz-date", "")));
            } else {
                all.add(h);
            }
        }
        return new HttpRequestView("POST", "/", "", all, b);
    }

    /** The Authorization header's parts may come with odd spacing, empty parts and repeats; the last repeat wins. */
    @Test
    void authorizationHeaderPartsAreReadLikeSplitAndTrim() {
        HttpRequestView req = signed("AKID", SECRET, body("{}"));
        String auth = req.header("Authorization");
        String params = auth.substring(SigV4.ALGORITHM.length() + 1);
        String[] parts = params.split(", ");
        for (String variant : List.of(
                SigV4.ALGORITHM + " " + String.join(",", parts),
                SigV4.ALGORITHM + " \t" + String.join(" ,\t ", parts) + " , ,",
                SigV4.ALGORITHM + " Signature=0000, Credential=NOBODY/x, " + params,
                SigV4.ALGORITHM + " Foo=1, X=, " + params + ",")) {
            assertEquals("AKID", assertInstanceOf(SigV4Verifier.Verified.class, verifier(T).verify(withAuthorization(req, variant)), variant).accessKeyId());
        }
        SigV4Verifier.Failed f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(
                withAuthorization(req, SigV4.ALGORITHM + " Credentials=" + parts[0].substring(11) + ", " + parts[1] + ", " + parts[2])));
        assertEquals("Authorization header requires 'Credential' parameter.", f.error().message());
        f = assertInstanceOf(SigV4Verifier.Failed.class, verifier(T).verify(withAuthorization(req,
                SigV4.ALGORITHM + " Credential=AKID/20150830/us-east-1/dynamodb/aws4_request/x, " + parts[1] + ", " + parts[2])));
        assertEquals("Credential should be scoped to a valid region. ", f.error().message());
    }

    private static HttpRequestView withAuthorization(HttpRequestView req, String authorization) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.add(h.getKey().equals("Authorization") ? Map.entry("Authorization", authorization) : h);
        }
        return new HttpRequestView(req.method(), req.rawPath(), req.rawQuery(), headers, req.body());
    }

    private static SigV4Verifier verifier(Instant now) {
        return new SigV4Verifier(k -> k.equals("AKID") ? SECRET : null, "dynamodb", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static HttpRequestView signed(String akid, String secret, byte[] body) {
        SigV4Signer signer = new SigV4Signer(new Credentials(akid, secret), "us-east-1", "dynamodb");
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                Map.entry("Host", "127.0.0.1:8000"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        headers.addAll(signer.sign("POST", "/", headers, body, T));
        return new HttpRequestView("POST", "/", "", headers, body);
    }

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
