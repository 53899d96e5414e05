package dev.weir.store.http;

import dev.weir.store.BundledStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DynamoDB's HTTP edges, one test each, with a plain HTTP client or a socket. */
class StoreHttpEdgesTest {
    private static final String LIST_TABLES = "DynamoDB_20120810.ListTables";
    @TempDir
    static Path dir;
    static BundledStore store;
    static URI uri;
    static int port;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        store = BundledStore.open(dir, SignedHttp.CREDENTIALS);
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        port = address.getPort();
        uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder listTables() {
        return SignedHttp.post(uri, LIST_TABLES, "application/x-amz-json-1.0", "{}");
    }

    private static void assertError(HttpResponse<String> r, String type, String message) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("{\"__type\":\"com.amazon.coral.service#" + type + "\""
                + (message == null ? "" : ",\"message\":\"" + message + "\"") + "}", r.body());
    }

    @Test
    void bothJsonContentTypesAreAcceptedAndEchoed() throws Exception {
        for (String type : new String[] {"application/x-amz-json-1.0", "application/json", "application/json; charset=utf-8"}) {
            HttpResponse<String> r = send(SignedHttp.post(uri, LIST_TABLES, type, "{}"));
            assertEquals(200, r.statusCode(), type);
            assertEquals(type.split(";")[0], r.headers().firstValue("content-type").orElseThrow());
        }
        // DynamoDB answers a body of another content type with a bare 404, not a JSON error
        HttpResponse<String> xml = send(SignedHttp.post(uri, LIST_TABLES, "text/xml", "{}"));
        assertEquals(404, xml.statusCode());
        assertEquals("<UnknownOperationException/>\n", xml.body());
    }

    @Test
    void aBodyThatIsNotJsonIsASerializationException() throws Exception {
        HttpResponse<String> r = send(SignedHttp.post(uri, LIST_TABLES, "application/x-amz-json-1.0", "{not json"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"__type\":\"com.amazon.coral.service#SerializationException\""), r.body());
    }

    /** A signed request without a target (its absence signed) or with a target the store does not know. */
    @Test
    void aMissingOrWrongTargetIsAnUnknownOperation() throws Exception {
        for (String target : new String[] {null, "DynamoDB_20120810.DropEverything", "Kinesis_20131202.ListTables"}) {
            assertError(send(SignedHttp.post(uri, target, "application/x-amz-json-1.0", "{}")), "UnknownOperationException", null);
        }
    }

    /**
     * A body the store cannot decode is DynamoDB's 500 only for a signed caller: the signature,
     * which covers the bytes as sent, is checked first, so an unsigned caller learns nothing more
     * than that it must sign (as through weir, which checks the signature before decoding).
     */
    @Test
    void anUndecodableBodyIsA500OnlyForASignedCaller() throws Exception {
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", LIST_TABLES).header("Content-Encoding", "garbage").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(unsigned, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        for (String coding : new String[] {"garbage", "gzip", "deflate", "gzip, deflate", "x-gzip"}) {
            HttpResponse<String> r = send(encoded(coding, "{}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(500, r.statusCode(), coding);
            assertTrue(r.body().startsWith("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\""), r.body());
        }
    }

    /** A small gzip or deflate body that inflates past the store's limit is a 413, found while it is inflated. */
    @Test
    void aBodyLargerThanTheLimitOnceDecodedIs413() throws Exception {
        byte[] spaces = new byte[StoreServer.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(spaces, (byte) ' ');
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(spaces);
        }
        java.io.ByteArrayOutputStream zl = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.DeflaterOutputStream(zl)) {
            z.write(spaces);
        }
        assertEquals(413, send(encoded("gzip", gz.toByteArray())).statusCode());
        assertEquals(413, send(encoded("deflate", zl.toByteArray())).statusCode());
        // nothing is inflated before the signature: without it, the same body is the signature's error, not a 413
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", LIST_TABLES).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())));
        assertError(unsigned, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }

    /** A signed ListTables whose body is {@code body}, sent with {@code Content-Encoding: coding}. */
    private static HttpRequest.Builder encoded(String coding, byte[] body) {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", LIST_TABLES), Map.entry("Content-Encoding", coding));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        SignedHttp.sign(SignedHttp.CREDENTIALS, uri.getAuthority(), headers, body, java.time.Instant.now())
                .forEach(h -> b.header(h.getKey(), h.getValue()));
        return b;
    }

    @Test
    void anOversizedRequestIs413() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            String head = "POST / HTTP/1.1\r\n" + SignedHttp.rawHead("x", LIST_TABLES, "{}").replace("Content-Length: 2",
                    "Content-Length: " + (StoreServer.MAX_BODY_BYTES + 1)) + "\r\n{";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", in.readLine());
        }
    }

    @Test
    void corsPreflightAndResponseHeaders() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-amz-target,authorization,x-amz-date"));
        assertEquals(200, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("POST", preflight.headers().firstValue("access-control-allow-methods").orElseThrow());
        assertEquals("content-type,x-amz-target,authorization,x-amz-date",
                preflight.headers().firstValue("access-control-allow-headers").orElseThrow());
        assertEquals("172800", preflight.headers().firstValue("access-control-max-age").orElseThrow());

        HttpResponse<String> call = send(listTables().header("Origin", "https://app.example"));
        assertEquals(200, call.statusCode());
        assertEquals("*", call.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(call.headers().firstValue("access-control-expose-headers").orElseThrow().contains("x-amzn-RequestId"));
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri).header("Origin", "https://app.example")
                .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", LIST_TABLES)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(400, refused.statusCode());
        assertEquals("*", refused.headers().firstValue("access-control-allow-origin").orElseThrow());

        HttpResponse<String> noOrigin = send(listTables());
        assertFalse(noOrigin.headers().firstValue("access-control-allow-origin").isPresent());
    }

    @Test
    void getIsAPlainHealthAnswer() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("healthy: dynamodb.us-east-1.amazonaws.com ", r.body());
    }
}
