package dev.weir.store.http;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.store.BundledStore;
import dev.weir.store.StoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store answers only requests signed with the credentials it was given (weir's upstream
 * key pair) and refuses every other with DynamoDB's own errors, on every lane a request can
 * take (an inline GetItem, a Scan on the reader pool, a PutItem on the writer pool).
 */
class StoreSignaturesTest {
    private static final String PREFIX = "DynamoDB_20120810.";
    private static final String JSON = "application/x-amz-json-1.0";
    private static final String GET_P1 = "{\"TableName\":\"sig\",\"Key\":{\"id\":{\"S\":\"p1\"}}}";
    private static final String INVALID_SIGNATURE = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    @TempDir
    static Path dir;
    static BundledStore store;
    static URI uri;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        store = BundledStore.open(dir, SignedHttp.CREDENTIALS);
        uri = URI.create("http://127.0.0.1:" + store.listen("127.0.0.1", 0).getPort() + "/");
        try (DynamoDbClient ddb = sdk(SignedHttp.CREDENTIALS)) {
            ddb.createTable(b -> b.tableName("sig").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            ddb.putItem(b -> b.tableName("sig").item(Map.of("id", s("p1"), "secret", s("s-1"))));
            ddb.putItem(b -> b.tableName("sig").item(Map.of("id", s("p2"), "secret", s("s-2"))));
        }
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void theRightCredentialsAreServed() throws Exception {
        try (DynamoDbClient ddb = sdk(SignedHttp.CREDENTIALS)) {
            assertEquals("s-1", ddb.getItem(b -> b.tableName("sig").key(Map.of("id", s("p1")))).item().get("secret").s());
            assertEquals(2, ddb.scan(b -> b.tableName("sig")).count());
        }
        HttpResponse<String> r = send(SignedHttp.post(uri, PREFIX + "GetItem", JSON, GET_P1));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("s-1"), r.body());
    }

    @Test
    void anUnsignedRequestIsMissingItsToken() throws Exception {
        for (String[] call : calls()) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri).header("Content-Type", JSON)
                    .header("X-Amz-Target", PREFIX + call[0]).POST(HttpRequest.BodyPublishers.ofString(call[1])));
            assertError(r, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }
    }

    /**
     * As DynamoDB does, the body's JSON and the target are checked before the signature: an
     * unauthenticated caller learns whether it sent JSON and a DynamoDB operation name, what
     * DynamoDB tells anyone, and nothing of the store.
     */
    @Test
    void anUnsignedRequestLearnsOnlyWhatDynamoDbTellsAnyone() throws Exception {
        HttpResponse<String> notJson = send(HttpRequest.newBuilder(uri).header("Content-Type", JSON).header("X-Amz-Target", "Foo_1.Bar")
                .POST(HttpRequest.BodyPublishers.ofString("not json")));
        assertEquals(400, notJson.statusCode());
        assertEquals("{\"__type\":\"com.amazon.coral.service#SerializationException\"}", notJson.body());
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri).header("Content-Type", JSON).header("X-Amz-Target", "Foo_1.Bar")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(400, unknown.statusCode());
        assertEquals("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}", unknown.body());
        assertError(send(HttpRequest.newBuilder(uri).header("Content-Type", JSON).header("X-Amz-Target", PREFIX + "DeleteTable")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":5}"))),
                "MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }

    @Test
    void anotherKeyIsAnUnrecognizedClient() throws Exception {
        Credentials other = new Credentials("AKIDSOMEONEELSE00001", SignedHttp.CREDENTIALS.secretAccessKey());
        for (String[] call : calls()) {
            assertError(send(SignedHttp.post(other, uri, PREFIX + call[0], JSON, call[1])),
                    "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        try (DynamoDbClient ddb = sdk(other)) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> ddb.scan(b -> b.tableName("sig")));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() throws Exception {
        Credentials wrong = new Credentials(SignedHttp.CREDENTIALS.accessKeyId(), "not-the-secret");
        for (String[] call : calls()) {
            assertError(send(SignedHttp.post(wrong, uri, PREFIX + call[0], JSON, call[1])),
                    "InvalidSignatureException", INVALID_SIGNATURE);
        }
        try (DynamoDbClient ddb = sdk(wrong)) {
            DynamoDbException e = assertThrows(DynamoDbException.class,
                    () -> ddb.getItem(b -> b.tableName("sig").key(Map.of("id", s("p1")))));
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aTamperedBodyIsAnInvalidSignature() throws Exception {
        List<Map.Entry<String, String>> headers = signedHeaders(PREFIX + "GetItem", GET_P1);
        assertEquals(200, send(headers, GET_P1).statusCode());
        assertError(send(headers, GET_P1.replace("p1", "p2")), "InvalidSignatureException", INVALID_SIGNATURE);
    }

    /** A signed GetItem replayed with another target (a DeleteItem of the same key) is refused; the item stays. */
    @Test
    void aSignedRequestReplayedWithAnotherTargetIsRefused() throws Exception {
        List<Map.Entry<String, String>> headers = signedHeaders(PREFIX + "GetItem", GET_P1);
        for (String target : List.of("DeleteItem", "Scan", "PutItem")) {
            List<Map.Entry<String, String>> replayed = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                replayed.add(h.getKey().equals("X-Amz-Target") ? Map.entry("X-Amz-Target", PREFIX + target) : h);
            }
            assertError(send(replayed, GET_P1), "InvalidSignatureException", INVALID_SIGNATURE);
        }
        assertTrue(send(headers, GET_P1).body().contains("s-1"));
    }

    /** A signature that leaves the target (or the content type) out is refused, though it is otherwise right. */
    @Test
    void aSignatureThatDoesNotCoverTheTargetIsRefused() throws Exception {
        byte[] body = GET_P1.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("X-Amz-Target", PREFIX + "GetItem")));
        headers.addAll(SignedHttp.sign(SignedHttp.CREDENTIALS, uri.getAuthority(), List.of(Map.entry("Content-Type", JSON)),
                body, Instant.now()));
        assertError(send(headers, GET_P1), "InvalidSignatureException",
                "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void aMalformedAuthorizationIsAnIncompleteSignature() throws Exception {
        assertError(send(HttpRequest.newBuilder(uri).header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x")
                        .header("Content-Type", JSON).header("X-Amz-Target", PREFIX + "ListTables")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                "IncompleteSignatureException", "Authorization header requires 'SignedHeaders' parameter. "
                        + "Authorization header requires 'Signature' parameter.");
    }

    /** The query-string form, signed right, is served; with a made-up signature it is not. */
    @Test
    void theQueryStringFormIsVerifiedToo() throws Exception {
        Instant now = Instant.now();
        String amzDate = SigV4.formatAmzDate(now);
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + SignedHttp.CREDENTIALS.accessKeyId()
                + "%2F" + amzDate.substring(0, 8) + "%2Fus-east-1%2Fdynamodb%2Faws4_request&X-Amz-Date=" + amzDate
                + "&X-Amz-Expires=300&X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-target";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Content-Type", JSON),
                Map.entry("Host", uri.getAuthority()), Map.entry("X-Amz-Target", PREFIX + "ListTables"));
        String canonical = SigV4.canonicalRequest(new HttpRequestView("POST", "/", query, headers, body),
                List.of("content-type", "host", "x-amz-target"), SigV4.sha256Hex(body), true);
        String signature = SigV4.signature(SigV4.signingKey(SignedHttp.CREDENTIALS.secretAccessKey(), amzDate.substring(0, 8),
                "us-east-1", "dynamodb"), SigV4.stringToSign(amzDate, amzDate.substring(0, 8) + "/us-east-1/dynamodb/aws4_request",
                canonical));
        HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(uri + "?" + query + "&X-Amz-Signature=" + signature))
                .header("Content-Type", JSON).header("X-Amz-Target", PREFIX + "ListTables")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(200, ok.statusCode(), ok.body());
        assertError(send(HttpRequest.newBuilder(URI.create(uri + "?" + query + "&X-Amz-Signature=0123456789abcdef"))
                .header("Content-Type", JSON).header("X-Amz-Target", PREFIX + "ListTables")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))), "InvalidSignatureException", INVALID_SIGNATURE);
    }

    /** A query the verifier cannot decode is refused with an answer, on a worker lane too (no silent hang). */
    @Test
    void aMalformedQueryIsRefusedNotLeftUnanswered() throws Exception {
        String body = "{\"TableName\":\"sig\"}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout(5000);
            String request = "POST /?a=%zz HTTP/1.1\r\n" + SignedHttp.rawHead("x", PREFIX + "Scan", body)
                    + "Connection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
            assertTrue(answer.contains("InvalidSignatureException"), answer);
        }
    }

    /** No credentials, no store: it does not fall back to trusting its network. */
    @Test
    void withoutCredentialsTheStoreDoesNotStart(@TempDir Path other) throws Exception {
        for (Credentials none : new Credentials[] {null, new Credentials("", "x"), new Credentials("AKID", " "),
                new Credentials(null, "x")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundledStore.open(other, none));
            assertTrue(e.getMessage().contains("does not run open"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.signedBy(null));
        try (var files = Files.list(other)) {
            assertFalse(files.findAny().isPresent(), "nothing was created");
        }
    }

    /** One call per lane: an inline GetItem, a Scan on the readers, a PutItem on the writers. */
    private static List<String[]> calls() {
        return List.of(new String[] {"GetItem", GET_P1}, new String[] {"Scan", "{\"TableName\":\"sig\"}"},
                new String[] {"PutItem", "{\"TableName\":\"sig\",\"Item\":{\"id\":{\"S\":\"p1\"},\"secret\":{\"S\":\"overwritten\"}}}"});
    }

    private static List<Map.Entry<String, String>> signedHeaders(String target, String body) {
        return SignedHttp.sign(SignedHttp.CREDENTIALS, uri.getAuthority(),
                List.of(Map.entry("Content-Type", JSON), Map.entry("X-Amz-Target", target)),
                body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    private static HttpResponse<String> send(List<Map.Entry<String, String>> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, String type, String message) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("{\"__type\":\"com.amazon.coral.service#" + type + "\",\"message\":\"" + message + "\"}", r.body());
    }

    private static DynamoDbClient sdk(Credentials credentials) {
        return DynamoDbClient.builder()
                .endpointOverride(uri)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
