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

import static dev.weir.store.http.StoreHttpTest.AUTHORIZATION;
import static dev.weir.store.http.StoreHttpTest.DATE;
import static dev.weir.store.http.StoreHttpTest.signed;
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
        store = BundledStore.open(dir);
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

    private static HttpRequest.Builder listTables(HttpRequest.Builder b) {
        return b.header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", LIST_TABLES)
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
    }

    private static void assertError(HttpResponse<String> r, String type, String message) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("{\"__type\":\"com.amazon.coral.service#" + type + "\""
                + (message == null ? "" : ",\"message\":\"" + message + "\"") + "}", r.body());
    }

    @Test
    void bothJsonContentTypesAreAcceptedAndEchoed() throws Exception {
        for (String type : new String[] {"application/x-amz-json-1.0", "application/json", "application/json; charset=utf-8"}) {
            HttpResponse<String> r = send(signed(uri).header("Content-Type", type).header("X-Amz-Target", LIST_TABLES)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(200, r.statusCode(), type);
            assertEquals(type.split(";")[0], r.headers().firstValue("content-type").orElseThrow());
        }
        HttpResponse<String> other = send(signed(uri).header("Content-Type", "text/xml").header("X-Amz-Target", LIST_TABLES)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(other, "UnknownOperationException", null);
    }

    @Test
    void aBodyThatIsNotJsonIsASerializationException() throws Exception {
        HttpResponse<String> r = send(signed(uri).header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", LIST_TABLES).POST(HttpRequest.BodyPublishers.ofString("{not json")));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"__type\":\"com.amazon.coral.service#SerializationException\""), r.body());
    }

    @Test
    void aMissingOrWrongTargetIsAnUnknownOperation() throws Exception {
        assertError(send(signed(uri).header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), "UnknownOperationException", null);
        assertError(send(signed(uri).header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.DropEverything")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), "UnknownOperationException", null);
        assertError(send(signed(uri).header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "Kinesis_20131202.ListTables")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), "UnknownOperationException", null);
    }

    @Test
    void aRequestWithoutAuthorizationIsMissingItsToken() throws Exception {
        assertError(send(listTables(HttpRequest.newBuilder(uri))), "MissingAuthenticationTokenException",
                "Request is missing Authentication Token");
    }

    @Test
    void aMalformedAuthorizationHeaderIsAnIncompleteSignature() throws Exception {
        assertError(send(listTables(HttpRequest.newBuilder(uri).header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x"))),
                "IncompleteSignatureException", "Authorization header requires 'Signature' parameter. "
                        + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence "
                        + "of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKID/x");
        assertError(send(listTables(HttpRequest.newBuilder(uri).header("Authorization", AUTHORIZATION))),
                "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a "
                        + "'Date' header. Authorization=" + AUTHORIZATION);
        assertEquals(200, send(listTables(HttpRequest.newBuilder(uri).header("Authorization", AUTHORIZATION)
                .header("X-Amz-Date", DATE))).statusCode());
    }

    @Test
    void aMalformedQueryStringSignatureIsAnIncompleteSignature() throws Exception {
        URI partial = URI.create(uri + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20250101%2Fus-east-1"
                + "%2Fdynamodb%2Faws4_request");
        assertError(send(listTables(HttpRequest.newBuilder(partial))), "IncompleteSignatureException",
                "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
                        + "'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. "
                        + "Re-examine the query-string parameters.");
        URI complete = URI.create(partial + "&X-Amz-Date=" + DATE + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=0123456789abcdef");
        assertEquals(200, send(listTables(HttpRequest.newBuilder(complete))).statusCode());
        HttpResponse<String> both = send(listTables(signed(complete)));
        assertEquals(400, both.statusCode());
        assertTrue(both.body().contains("InvalidSignatureException"), both.body());
    }

    @Test
    void anOversizedRequestIs413() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            String head = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + LIST_TABLES + "\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nAuthorization: " + AUTHORIZATION + "\r\nX-Amz-Date: " + DATE
                    + "\r\nContent-Length: " + (StoreServer.MAX_BODY_BYTES + 1) + "\r\n\r\n{";
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

        HttpResponse<String> call = send(listTables(signed(uri).header("Origin", "https://app.example")));
        assertEquals(200, call.statusCode());
        assertEquals("*", call.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(call.headers().firstValue("access-control-expose-headers").orElseThrow().contains("x-amzn-RequestId"));
        HttpResponse<String> refused = send(listTables(HttpRequest.newBuilder(uri).header("Origin", "https://app.example")));
        assertEquals(400, refused.statusCode());
        assertEquals("*", refused.headers().firstValue("access-control-allow-origin").orElseThrow());

        HttpResponse<String> noOrigin = send(listTables(signed(uri)));
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
