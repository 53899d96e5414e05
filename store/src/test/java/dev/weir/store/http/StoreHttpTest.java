package dev.weir.store.http;

import dev.weir.protocol.wire.Crc32;
import dev.weir.store.BundledStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire details an SDK depends on, checked with a plain HTTP client. */
class StoreHttpTest {
    @TempDir
    static Path dir;
    static BundledStore store;
    static URI uri;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        store = BundledStore.open(dir, SignedHttp.CREDENTIALS);
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        uri = URI.create("http://127.0.0.1:" + address.getPort() + "/");
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        return http.send(SignedHttp.post(uri, target, "application/x-amz-json-1.0", body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void responsesCarryContentTypeChecksumAndRequestId() throws Exception {
        HttpResponse<String> r = post("DynamoDB_20120810.ListTables", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-amz-json-1.0", r.headers().firstValue("content-type").orElseThrow());
        assertEquals(Crc32.of(r.body().getBytes()), r.headers().firstValue("x-amz-crc32").orElseThrow());
        assertEquals(52, r.headers().firstValue("x-amzn-requestid").orElseThrow().length());
        assertTrue(r.body().startsWith("{\"TableNames\":["), r.body());
    }

    @Test
    void errorsAreDynamoDbShaped() throws Exception {
        HttpResponse<String> notJson = post("DynamoDB_20120810.ListTables", "this is not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("\"__type\":\"com.amazon.coral.service#SerializationException\""));
        assertEquals(Crc32.of(notJson.body().getBytes()), notJson.headers().firstValue("x-amz-crc32").orElseThrow());

        HttpResponse<String> noTarget = post(null, "{}");
        assertEquals(400, noTarget.statusCode());
        assertEquals("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}", noTarget.body());

        HttpResponse<String> missing = post("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"nope\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                + "\"message\":\"Requested resource not found: Table: nope not found\"}", missing.body());
    }

    @Test
    void manyConcurrentRequestsAreAllAnswered() {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(http.sendAsync(SignedHttp.post(uri, "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", "{\"Limit\":5}").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : futures) assertEquals(200, f.join().statusCode());
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout(5000);
            StringBuilder requests = new StringBuilder();
            String[] tables = {"pipe-1", "pipe-2", "pipe-3"};
            for (String t : tables) {
                String body = "{\"TableName\":\"" + t + "\"}";
                requests.append("POST / HTTP/1.1\r\n").append(SignedHttp.rawHead("x", "DynamoDB_20120810.DescribeTable", body))
                        .append("\r\n").append(body);
            }
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String t : tables) {
                assertEquals("HTTP/1.1 400 Bad Request", in.readLine());
                int length = -1;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
                }
                char[] body = new char[length];
                for (int read = 0; read < length; ) read += in.read(body, read, length - read);
                assertTrue(new String(body).contains("Table: " + t + " not found"), new String(body));
            }
        }
    }

    @Test
    void getIsAHealthCheck() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("healthy:"));
    }
}
