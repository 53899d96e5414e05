package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Crc32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's DynamoDB-compatibility suite ({@code store/src/test/resources/compat/cases.json},
 * the facts the bundled store is held to) run through weir, as the sample admin, in front of
 * the bundled store, with a raw HTTP client: for every request weir forwards, weir's answer is
 * the store's (status, {@code __type}, message and the member it is in); where weir refuses
 * a request itself in its own words ({@link #SAME_TYPE}) its answer has the same status and
 * {@code __type}; where it answers otherwise ({@link #DIFFERENT}) the reason is written down.
 * Each case is sent once to weir and once straight to the store (signed with weir's upstream
 * key), in the file's order, each against its own tables so the operation cases hold for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatibilityEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CASES = Path.of("..", "store", "src", "test", "resources", "compat", "cases.json").toAbsolutePath().normalize();
    private static final Credentials ADMIN = new Credentials("AKIAWEIRADMIN0000001", "weir-admin-secret");
    private static final Credentials UPSTREAM = new Credentials(ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET);

    /**
     * Cases weir refuses itself, before the store sees them, in its own words but with
     * DynamoDB's status and {@code __type} (an SDK reports them as it reports DynamoDB's):
     * weir's request parser checks these members before it decides.
     */
    private static final Set<String> SAME_TYPE = Set.of(
            "serialization: PutItem Item.a.BS.0 \"23456\"", "serialization: PutItem Item.a.BS.0 \"=+/=\"",
            "validation: GetItem members in DynamoDB's order", "validation: PutItem with nothing", "validation: PutItem enums",
            "validation: BatchGetItem with nothing", "validation: BatchGetItem empty RequestItems",
            "validation: BatchWriteItem with nothing", "validation: BatchWriteItem empty list",
            "validation: TransactGetItems with nothing", "validation: TransactWriteItems with nothing",
            "validation: TransactWriteItems at most ten errors", "validation: ExpressionAttributeValues without a condition",
            "validation: ExpressionAttributeValues without an update or condition",
            "validation: ExpressionAttributeValues with only a projection",
            // a Streams request's StreamArn or ShardIterator names its table: weir reads it first, in its own words
            "validation: ListStreams Limit and TableName", "validation: DescribeStream Limit and ExclusiveStartShardId",
            "validation: a constraint comes before Invalid StreamArn", "validation: GetShardIterator with nothing",
            "validation: GetShardIterator members", "validation: GetRecords empty iterator and Limit 0",
            // weir refuses what it does not enforce (SSESpecification on CreateTable) and a ResourceArn that is no table's
            "validation: CreateTable SSESpecification and Tags", "validation: TagResource tag members");

    /**
     * Cases weir answers otherwise than DynamoDB, and why; each must still differ (a case fixed
     * in weir leaves this list, so the list stays true). docs/store.md lists them.
     */
    private static final Map<String, String> DIFFERENT = differences();

    private static Map<String, String> differences() {
        Map<String, String> m = new TreeMap<>();
        String auth = "weir reads nothing of a request before its signature: MissingAuthenticationTokenException first";
        for (String c : List.of("PUT is a 404", "DELETE is a 404", "PATCH is a 404", "a body without a content type is a 404",
                "a body of another content type is a 404", "application/json that is not JSON", "x-amz-json-1.0 that is not JSON",
                "no target", "another API's target", "a misspelt operation")) {
            m.put("http: " + c, auth);
        }
        m.put("http: OPTIONS without an Origin is a 404", "weir answers every OPTIONS as a CORS preflight");
        m.put("serialization: null and unknown members are left alone",
                "weir refuses members it does not know (fail closed) instead of forwarding them unchecked");
        m.put("serialization: TransactWriteItems TransactItems.0.Put 'x'", "weir's request parser: a ValidationException");
        m.put("serialization: BatchWriteItem RequestItems.t.0 'x'", "weir's request parser: a ValidationException");
        String streams = "weir's request parser reads a Streams request's StreamArn or ShardIterator (its table) first and answers "
                + "a missing or invalid one with a ValidationException, before DynamoDB's deserializer finds a member of the wrong "
                + "JSON type (a SerializationException)";
        for (String c : List.of("DescribeStream Limit \"x\"", "GetRecords ShardIterator true", "GetShardIterator ShardIteratorType {}")) {
            m.put("serialization: " + c, streams);
        }
        m.put("http: bytes after the last gzip member are ignored",
                "weir decodes strictly (a 500): it forwards only bytes it has read, where DynamoDB and the store ignore the rest");
        return m;
    }

    private Path home;
    private ApplianceProcess weir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("weir-compat-");
        weir = ApplianceProcess.start(home);
        for (String table : List.of("compat", "compat2")) {
            Answer a = send(weirUri(), ADMIN, "POST", "DynamoDB_20120810.CreateTable", "application/x-amz-json-1.0", """
                    {"TableName":"%s","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}""".formatted(table),
                    true, null, false, false);
            assertEquals(200, a.status, a.text());
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(200, send(weirUri(), ADMIN, "POST", "DynamoDB_20120810.PutItem", "application/x-amz-json-1.0",
                    "{\"TableName\":\"compat\",\"Item\":{\"id\":{\"S\":\"bulk-" + i + "\"},\"text\":{\"S\":\"" + "x".repeat(100) + "\"}}}",
                    true, null, false, false).status);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (weir != null) weir.close();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private URI weirUri() {
        return URI.create(weir.endpoint() + "/");
    }

    private URI storeUri() {
        return URI.create("http://127.0.0.1:" + weir.storePort + "/");
    }

    @Test
    void weirAnswersEveryCaseAsTheStoreDoes() throws Exception {
        JsonNode cases = JSON.readTree(CASES.toFile());
        assertTrue(cases.size() > 100, "the suite is there: " + CASES);
        List<String> differences = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.path("group").asText() + ": " + c.path("name").asText();
            // the operation cases change data: weir's run first, then the store's on the same data would differ,
            // so they are compared with what the case says, which the store's own suite holds it to
            Answer viaWeir = send(c, weirUri(), ADMIN);
            Answer direct = c.path("group").asText().equals("operations") ? null : send(c, storeUri(), UPSTREAM);
            String difference = direct == null ? againstCase(c, viaWeir) : compare(viaWeir, direct, SAME_TYPE.contains(name));
            if (DIFFERENT.containsKey(name)) {
                if (difference == null) differences.add(name + ": now answered as the store does; take it off DIFFERENT");
            } else if (SAME_TYPE.contains(name) && direct != null && compare(viaWeir, direct, false) == null) {
                differences.add(name + ": now answered word for word as the store does; take it off SAME_TYPE");
            } else if (difference != null) {
                differences.add(name + ": " + difference);
            }
        }
        if (!differences.isEmpty()) {
            weir.output().stream().filter(l -> l.contains("Exception") || l.contains("ERROR")).limit(40).forEach(System.out::println);
        }
        assertEquals(List.of(), differences);
    }

    /** Null when weir's answer is the store's; {@code typeOnly}: weir's own refusal, same status and type. */
    private static String compare(Answer weir, Answer store, boolean typeOnly) {
        if (weir.status != store.status) return "status " + weir.status + " (weir) vs " + store.status + " (store): " + weir.text() + " | " + store.text();
        String crc = weir.header("x-amz-crc32");
        if (crc != null && !crc.equals(Crc32.of(weir.raw))) return "weir's x-amz-crc32 is not its body's";
        if (weir.status == 200) return null;
        JsonNode w = json(weir.text()), s = json(store.text());
        if (w == null || s == null) return weir.text().equals(store.text()) ? null : "body " + weir.text() + " vs " + store.text();
        if (!w.path("__type").equals(s.path("__type"))) return "type " + w.path("__type") + " vs " + s.path("__type");
        if (typeOnly) return null;
        if (!w.equals(s)) return "body " + w + " vs " + s;
        return null;
    }

    /** Null when weir's answer is what the case says (status, type, message). */
    private static String againstCase(JsonNode c, Answer a) {
        if (a.status != c.path("status").asInt()) return "status " + a.status + ": " + a.text();
        if (!c.has("type")) return null;
        JsonNode body = json(a.text());
        if (body == null || !body.path("__type").asText().equals(c.path("type").asText())) return "body " + a.text();
        if (c.has("message")) {
            String member = c.path("type").asText().endsWith("#SerializationException") ? "Message" : "message";
            if (!body.path(member).asText().equals(c.path("message").asText())) return "message " + a.text();
        }
        return null;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private record Answer(int status, java.net.http.HttpHeaders headers, byte[] raw) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text() {
            String coding = header("content-encoding");
            if (!"gzip".equals(coding) && !"deflate".equals(coding)) return new String(raw, StandardCharsets.UTF_8);
            try (java.io.InputStream in = "gzip".equals(coding) ? new GZIPInputStream(new ByteArrayInputStream(raw))
                    : new java.util.zip.InflaterInputStream(new ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(not gzip)";
            }
        }
    }

    private Answer send(JsonNode c, URI uri, Credentials credentials) throws Exception {
        return send(uri, credentials, c.path("method").asText("POST"), c.hasNonNull("target") ? c.get("target").asText() : null,
                c.has("contentType") ? c.get("contentType").asText() : "application/x-amz-json-1.0", c.path("body").asText(""),
                c.path("sign").asBoolean(true), c.hasNonNull("authorization") ? c.get("authorization").asText() : null,
                text(c, "requestCoding"), text(c, "contentEncodingHeader"), text(c, "trailingBytes"), text(c, "acceptEncoding"));
    }

    private static String text(JsonNode c, String member) {
        return c.hasNonNull(member) ? c.get(member).asText() : null;
    }

    private Answer send(URI uri, Credentials credentials, String method, String target, String contentType, String body, boolean sign,
                        String authorization, boolean gzipRequest, boolean acceptGzip) throws Exception {
        return send(uri, credentials, method, target, contentType, body, sign, authorization, gzipRequest ? "gzip" : null, null, null,
                acceptGzip ? "gzip" : null);
    }

    /** As the store's suite sends a case (its RawDynamo): the body compressed in {@code requestCoding}, or a Content-Encoding as written. */
    private Answer send(URI uri, Credentials credentials, String method, String target, String contentType, String body, boolean sign,
                        String authorization, String requestCoding, String contentEncodingHeader, String trailingBytes,
                        String acceptEncoding) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (requestCoding != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (java.io.OutputStream z = requestCoding.equals("gzip") ? new GZIPOutputStream(out)
                    : new java.util.zip.DeflaterOutputStream(out)) {
                z.write(bytes);
            }
            bytes = out.toByteArray();
        }
        if (trailingBytes != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes);
            out.writeBytes(trailingBytes.getBytes(StandardCharsets.UTF_8));
            bytes = out.toByteArray();
        }
        String contentEncoding = contentEncodingHeader != null ? contentEncodingHeader : requestCoding;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (!contentType.isEmpty()) headers.add(Map.entry("Content-Type", contentType));
        if (target != null) headers.add(Map.entry("X-Amz-Target", target));
        if (contentEncoding != null) headers.add(Map.entry("Content-Encoding", contentEncoding));
        if (acceptEncoding != null) headers.add(Map.entry("Accept-Encoding", acceptEncoding));
        if (authorization != null) headers.add(Map.entry("Authorization", authorization));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, bytes.length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        if (sign) {
            List<Map.Entry<String, String>> toSign = new ArrayList<>(headers);
            toSign.add(Map.entry("Host", uri.getAuthority()));
            new SigV4Signer(credentials, "us-east-1", "dynamodb").sign(method, "/", toSign, bytes, Instant.now())
                    .forEach(h -> b.header(h.getKey(), h.getValue()));
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.headers(), r.body());
    }
}
