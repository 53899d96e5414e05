package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed requests and answers through a real weir with its bundled store, on the wire (no
 * SDK for Java compresses DynamoDB requests, so the requests are signed and sent by hand, as the
 * ScyllaDB Alternator tests that pass against DynamoDB send them): a gzip or deflate body is
 * decoded after its signature is checked and decided on as decoded; anything that is not what
 * its Content-Encoding says is a 500 with nothing written, as DynamoDB answers it; a body over
 * the limit once decoded is a 413; every refusal is audited. Answers of 4 KB or more go in the
 * coding the request accepts, with x-amz-crc32 over the bytes sent, and say exactly what the
 * uncompressed answer says: the caller's view, masks and removals included.
 */
class ContentCodingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";
    private static final String ANALYST_KEY = "AKIAWEIRANALYST00001", ANALYST_SECRET = "weir-analyst-secret";
    private static final String POLICY = """
            role admin
            role analyst
            @id("admin-all") allow admin on table * op *
            @id("read") allow analyst on table docs op [GetItem, Scan]
              remove secret
              mask code show_last(2)
            """;
    private static final int MAX_BODY = 1024 * 1024;

    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static DynamoDbClient admin;

    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), POLICY);
        int proxyPort = ApplianceProcess.freePort(), storePort;
        do storePort = ApplianceProcess.freePort(); while (storePort == proxyPort);
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d, max_body_bytes: %d, compress_answers: true}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                """.formatted(storePort, proxyPort, MAX_BODY, policies, ApplianceProcess.CONF.resolve("principals.yaml")));
        weir = ApplianceProcess.start(home, config, proxyPort, storePort);
        admin = DynamoClients.as(weir.endpoint(), ADMIN_KEY, ADMIN_SECRET);
        admin.createTable(b -> b.tableName("docs")
                .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
        if (weir != null) weir.close();
    }

    private static String put(String id, String notes) {
        return "{\"TableName\":\"docs\",\"Item\":{\"id\":{\"S\":\"" + id + "\"},\"secret\":{\"S\":\"TOPSECRET-" + id
                + "\"},\"code\":{\"S\":\"ABCDEF1234\"},\"notes\":{\"S\":\"" + notes + "\"}}}";
    }

    private static Map<String, AttributeValue> stored(String id) {
        return admin.getItem(b -> b.tableName("docs").key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }

    @Test
    void compressedRequestBodiesAreDecidedAndStoredAsDecoded() throws Exception {
        String notes = "compressible ".repeat(800);
        Reply gz = send(ADMIN_KEY, ADMIN_SECRET, "PutItem", gzip(put("gz", notes)), Map.of("Content-Encoding", "gzip"));
        assertEquals(200, gz.status(), gz.text());
        assertEquals(notes, stored("gz").get("notes").s());

        // two gzip members one after the other (RFC 1952 allows it, DynamoDB takes it)
        byte[] json = put("two", "x").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(gzip(java.util.Arrays.copyOfRange(json, 0, 10)));
        two.writeBytes(gzip(java.util.Arrays.copyOfRange(json, 10, json.length)));
        Reply members = send(ADMIN_KEY, ADMIN_SECRET, "PutItem", two.toByteArray(), Map.of("Content-Encoding", "GZIP"));
        assertEquals(200, members.status(), members.text());
        assertEquals("TOPSECRET-two", stored("two").get("secret").s());

        Reply zlib = send(ADMIN_KEY, ADMIN_SECRET, "PutItem", deflate(put("zlib", "y")), Map.of("Content-Encoding", "deflate"));
        assertEquals(200, zlib.status(), zlib.text());
        assertEquals("ABCDEF1234", stored("zlib").get("code").s());
    }

    @Test
    void bodiesThatAreNotWhatTheirCodingSaysGet500AndWriteNothing() throws Exception {
        byte[] good = gzip(put("bad-junk", "z"));
        byte[] junk = new byte[good.length + 4];
        System.arraycopy(good, 0, junk, 0, good.length);
        System.arraycopy("junk".getBytes(StandardCharsets.US_ASCII), 0, junk, good.length, 4);
        Map<String, Reply> replies = new LinkedHashMap<>();
        replies.put("bad-plain", send(ADMIN_KEY, ADMIN_SECRET, "PutItem", put("bad-plain", "z").getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "gzip")));
        replies.put("bad-junk", send(ADMIN_KEY, ADMIN_SECRET, "PutItem", junk, Map.of("Content-Encoding", "gzip")));
        replies.put("bad-short", send(ADMIN_KEY, ADMIN_SECRET, "PutItem",
                java.util.Arrays.copyOf(gzip(put("bad-short", "z")), good.length - 1), Map.of("Content-Encoding", "gzip")));
        replies.put("bad-br", send(ADMIN_KEY, ADMIN_SECRET, "PutItem", gzip(put("bad-br", "z")), Map.of("Content-Encoding", "br")));
        replies.put("bad-raw", send(ADMIN_KEY, ADMIN_SECRET, "PutItem", rawDeflate(put("bad-raw", "z")),
                Map.of("Content-Encoding", "deflate")));
        for (Map.Entry<String, Reply> e : replies.entrySet()) {
            Reply r = e.getValue();
            assertEquals(500, r.status(), e.getKey() + ": " + r.text());
            assertEquals("com.amazonaws.dynamodb.v20120810#InternalServerError", JSON.readTree(r.body()).path("__type").asText(), e.getKey());
            assertTrue(stored(e.getKey()).isEmpty(), e.getKey() + " must not be written");
            assertAudited(r, "InternalServerError");
        }
    }

    @Test
    void aBodyOverTheLimitOnceDecodedGets413() throws Exception {
        String json = put("bomb", "b");
        String padded = json.substring(0, json.length() - 1) + " ".repeat(2 * MAX_BODY) + "}";
        byte[] small = gzip(padded);
        assertTrue(small.length < MAX_BODY / 100, "the compressed body is small: " + small.length);
        Reply r = send(ADMIN_KEY, ADMIN_SECRET, "PutItem", small, Map.of("Content-Encoding", "gzip"));
        assertEquals(413, r.status(), r.text());
        assertEquals("RequestEntityTooLargeException", JSON.readTree(r.body()).path("__type").asText().replaceAll(".*#", ""));
        assertTrue(stored("bomb").isEmpty());
        assertAudited(r, "RequestEntityTooLargeException");
    }

    @Test
    void largeAnswersGoInTheAcceptedCodingAndSayWhatThePlainAnswerSays() throws Exception {
        admin.putItem(b -> b.tableName("docs").item(Map.of("id", AttributeValue.fromS("big"),
                "secret", AttributeValue.fromS("TOPSECRET-big"), "code", AttributeValue.fromS("ABCDEF1234"),
                "notes", AttributeValue.fromS("n".repeat(6000)))));
        admin.putItem(b -> b.tableName("docs").item(Map.of("id", AttributeValue.fromS("small"),
                "secret", AttributeValue.fromS("TOPSECRET-small"), "code", AttributeValue.fromS("ABCDEF1234"))));
        byte[] get = "{\"TableName\":\"docs\",\"Key\":{\"id\":{\"S\":\"big\"}}}".getBytes(StandardCharsets.UTF_8);

        Reply plain = send(ANALYST_KEY, ANALYST_SECRET, "GetItem", get, Map.of());
        assertEquals(200, plain.status(), plain.text());
        assertNull(plain.header("Content-Encoding"));
        JsonNode item = JSON.readTree(plain.body()).path("Item");
        assertFalse(item.has("secret"), plain.text());
        assertEquals("****34", item.path("code").path("S").asText());

        for (String coding : List.of("gzip", "deflate")) {
            Reply r = send(ANALYST_KEY, ANALYST_SECRET, "GetItem", get, Map.of("Accept-Encoding", "br, " + coding));
            assertEquals(200, r.status());
            assertEquals(coding, r.header("Content-Encoding"));
            assertTrue(r.body().length < plain.body().length / 4, coding + " compresses: " + r.body().length);
            CRC32 crc = new CRC32();
            crc.update(r.body());
            assertEquals(Long.toString(crc.getValue()), r.header("x-amz-crc32"), "the checksum is of the bytes sent");
            byte[] decoded = coding.equals("gzip") ? new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes()
                    : new InflaterInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
            assertEquals(plain.text(), new String(decoded, StandardCharsets.UTF_8), "the same answer, the same view");
        }
        Reply q0 = send(ANALYST_KEY, ANALYST_SECRET, "GetItem", get, Map.of("Accept-Encoding", "gzip;q=0"));
        assertNull(q0.header("Content-Encoding"), "q=0 refuses the coding");
        Reply small = send(ANALYST_KEY, ANALYST_SECRET, "GetItem",
                "{\"TableName\":\"docs\",\"Key\":{\"id\":{\"S\":\"small\"}}}".getBytes(StandardCharsets.UTF_8), Map.of("Accept-Encoding", "gzip"));
        assertNull(small.header("Content-Encoding"), "an answer under 4 KB goes as it is");
        assertFalse(small.text().contains("TOPSECRET"), small.text());
    }

    /** Without {@code proxy.compress_answers}, an Accept-Encoding is answered uncompressed (docs/threat-model.md says why). */
    @Test
    void answersAreNotCompressedUnlessTheSettingIsOn(@TempDir Path other) throws Exception {
        Path policies = Files.createDirectories(other.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), POLICY);
        try (ApplianceProcess plain = ApplianceProcess.startWith(other, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
             DynamoDbClient a = DynamoClients.as(plain.endpoint(), ADMIN_KEY, ADMIN_SECRET)) {
            a.createTable(b -> b.tableName("docs")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"));
            a.putItem(b -> b.tableName("docs").item(Map.of("id", AttributeValue.fromS("big"), "notes", AttributeValue.fromS("n".repeat(6000)))));
            Reply r = send(plain, ANALYST_KEY, ANALYST_SECRET, "GetItem",
                    "{\"TableName\":\"docs\",\"Key\":{\"id\":{\"S\":\"big\"}}}".getBytes(StandardCharsets.UTF_8),
                    Map.of("Accept-Encoding", "gzip"));
            assertEquals(200, r.status(), r.text());
            assertNull(r.header("Content-Encoding"));
            assertEquals(6000, JSON.readTree(r.body()).path("Item").path("notes").path("S").asText().length());
            // compressed requests are taken all the same
            Reply put = send(plain, ADMIN_KEY, ADMIN_SECRET, "PutItem", gzip(put("gz", "x")), Map.of("Content-Encoding", "gzip"));
            assertEquals(200, put.status(), put.text());
        }
    }

    /** The audit record of the refused request (found by the answer's request id) names the error. */
    private static void assertAudited(Reply r, String errorType) throws Exception {
        String id = r.header("x-amzn-RequestId");
        long until = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> lines = Files.exists(weir.auditFile()) ? Files.readAllLines(weir.auditFile()) : List.of();
            String line = lines.stream().filter(l -> l.contains(id)).findFirst().orElse(null);
            if (line != null) {
                assertTrue(line.contains(errorType), line);
                return;
            }
            if (System.nanoTime() > until) throw new AssertionError("no audit record of " + id);
            Thread.sleep(50);
        }
    }

    private static byte[] gzip(String s) throws IOException {
        return gzip(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Deflate data without the zlib wrapper that HTTP's deflate coding has. */
    private static byte[] rawDeflate(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new java.util.zip.Deflater(6, true))) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** One signed POST on its own connection (the signature covers the body as sent, compressed or not). */
    private static Reply send(String key, String secret, String op, byte[] body, Map<String, String> extra) throws IOException {
        return send(weir, key, secret, op, body, extra);
    }

    private static Reply send(ApplianceProcess to, String key, String secret, String op, byte[] body, Map<String, String> extra)
            throws IOException {
        int port = Integer.parseInt(to.endpoint().substring(to.endpoint().lastIndexOf(':') + 1));
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "127.0.0.1:" + port),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
        headers.addAll(extra.entrySet());
        headers.addAll(new SigV4Signer(new Credentials(key, secret), "us-east-1", "dynamodb").sign("POST", "/", headers, body, Instant.now()));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String status = line(in);
            Map<String, String> got = new LinkedHashMap<>();
            for (String l; !(l = line(in)).isEmpty(); ) {
                int colon = l.indexOf(':');
                got.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            byte[] content = in.readNBytes(Integer.parseInt(got.getOrDefault("content-length", "0")));
            return new Reply(Integer.parseInt(status.split(" ")[1]), got, content);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("the connection ended");
            if (b != '\r') sb.append((char) b);
        }
        return sb.toString();
    }
}
