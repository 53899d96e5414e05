package dev.weir.appliance;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests pipelined on one keep-alive connection, all in one write, against the real
 * appliance and store: GetItems of different ids and item sizes, a PutItem, a Query, an
 * unauthenticated request, a refused one and a health check. The answers arrive in request
 * order, each naming its id, over plain TCP and over TLS, round after round in shuffled orders.
 */
class PipelinedRequestsEndToEndTest {
    private static final String ADMIN = "AKIAWEIRADMIN0000001";
    private static final String ANALYST = "AKIAWEIRANALYST00001";
    private static final Map<String, String> SECRETS = Map.of(ADMIN, "weir-admin-secret", ANALYST, "weir-analyst-secret");

    /** One pipelined request and what its answer must contain. */
    record Call(byte[] bytes, String expect) {}

    @Test
    void answersArriveInRequestOrder(@TempDir Path home) throws Exception {
        try (ApplianceProcess weir = ApplianceProcess.start(home)) {
            seed(weir.endpoint());
            pipeline(weir.proxyPort, null, 6);
        }
    }

    @Test
    void answersArriveInRequestOrderOverTls(@TempDir Path home) throws Exception {
        try (ApplianceProcess weir = ApplianceProcess.start(home, "--tls")) {
            SSLContext tls = trusting(home.resolve("tls/ca.pem"));
            try (Socket s = tls.getSocketFactory().createSocket("127.0.0.1", weir.proxyPort)) {
                s.getOutputStream().write(request(weir.proxyPort, ADMIN, SECRETS.get(ADMIN), "CreateTable", """
                        {"TableName":"people","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                         "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}""").bytes());
                assertTrue(readResponse(s.getInputStream()).contains("TableDescription"));
                for (Call put : seedPuts(weir.proxyPort)) {
                    s.getOutputStream().write(put.bytes());
                    readResponse(s.getInputStream());
                }
            }
            pipeline(weir.proxyPort, tls, 3);
        }
    }

    private static void pipeline(int port, SSLContext tls, int rounds) throws Exception {
        Random random = new Random(4711);
        for (int round = 0; round < rounds; round++) {
            List<Call> calls = new ArrayList<>(List.of(
                    get(port, ADMIN, "L2"), get(port, ADMIN, "L1"), get(port, ANALYST, "L3"), get(port, ADMIN, "S5"),
                    put(port, "P1"), query(port, "L3"), unauthenticated(port), refused(port), health(),
                    get(port, ANALYST, "L1"), get(port, ADMIN, "L3"), get(port, ANALYST, "L2")));
            if (round > 0) Collections.shuffle(calls, random);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Call c : calls) all.writeBytes(c.bytes());
            try (Socket s = tls == null ? new Socket("127.0.0.1", port) : tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(all.toByteArray());
                s.getOutputStream().flush();
                for (int i = 0; i < calls.size(); i++) {
                    String body = readResponse(s.getInputStream());
                    assertTrue(body.contains(calls.get(i).expect()), "round " + round + ", answer " + (i + 1) + " should contain "
                            + calls.get(i).expect() + " (requests in order " + calls.stream().map(Call::expect).toList() + "), got: "
                            + body.substring(0, Math.min(160, body.length())));
                }
            }
        }
    }

    /** Items of different sizes, all in the analyst's region. */
    private static void seed(String endpoint) {
        try (DynamoDbClient admin = DynamoClients.as(endpoint, ADMIN, SECRETS.get(ADMIN))) {
            admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            for (Map.Entry<String, Integer> e : SIZES.entrySet()) {
                admin.putItem(b -> b.tableName("people").item(Map.of("id", AttributeValue.fromS(e.getKey()),
                        "region", AttributeValue.fromS("eu"), "name", AttributeValue.fromS("n".repeat(e.getValue())))));
            }
        }
    }

    private static final Map<String, Integer> SIZES = Map.of("L1", 10, "L2", 300_000, "L3", 90_000, "P1", 10,
            "S5", 5);

    private static List<Call> seedPuts(int port) {
        List<Call> out = new ArrayList<>();
        SIZES.forEach((id, size) -> out.add(request(port, ADMIN, SECRETS.get(ADMIN), "PutItem", "{\"TableName\":\"people\",\"Item\":"
                + "{\"id\":{\"S\":\"" + id + "\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"" + "n".repeat(size) + "\"}}}")));
        return out;
    }

    private static Call get(int port, String key, String id) {
        Call c = request(port, key, SECRETS.get(key), "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + id + "\"}}}");
        return new Call(c.bytes(), "{\"S\":\"" + id + "\"}");
    }

    private static Call put(int port, String id) {
        Call c = request(port, ADMIN, SECRETS.get(ADMIN), "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"" + id + "\"},"
                + "\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"nnnnnnnnnn\"}},\"ReturnValues\":\"ALL_OLD\"}");
        return new Call(c.bytes(), "\"Attributes\"");
    }

    private static Call query(int port, String id) {
        Call c = request(port, ADMIN, SECRETS.get(ADMIN), "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"ExpressionAttributeValues\":{\":id\":{\"S\":\"" + id + "\"}}}");
        return new Call(c.bytes(), "\"Count\":1");
    }

    private static Call unauthenticated(int port) {
        Call c = request(port, ANALYST, "not-the-secret", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"L1\"}}}");
        return new Call(c.bytes(), "InvalidSignatureException");
    }

    private static Call refused(int port) {
        Call c = request(port, ANALYST, SECRETS.get(ANALYST), "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"L1\"}}}");
        return new Call(c.bytes(), "dynamodb:PutItem on resource: table/people because no weir policy allows it");
    }

    private static Call health() {
        return new Call("GET / HTTP/1.1\r\nHost: weir\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "healthy: weir");
    }

    private static Call request(int port, String key, String secret, String op, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "127.0.0.1:" + port),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
        headers.addAll(new SigV4Signer(new Credentials(key, secret), "us-east-1", "dynamodb").sign("POST", "/", headers, body, Instant.now()));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return new Call(out.toByteArray(), null);
    }

    /** Reads one HTTP/1.1 response framed by Content-Length; returns its body. */
    private static String readResponse(InputStream in) throws IOException {
        int length = -1;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(lower.substring(15).trim());
        }
        assertTrue(length >= 0, "a response without Content-Length");
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "the connection ended inside a response");
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("the connection ended");
            if (b != '\r') sb.append((char) b);
        }
        return sb.toString();
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
