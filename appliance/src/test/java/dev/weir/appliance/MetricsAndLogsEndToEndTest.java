package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.appliance.metrics.Exposition;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics and logs of a real {@code weir up} process: its {@code /metrics} (scraped and read
 * strictly, {@link Exposition}) counts an allowed GetItem, a denied one and a refused leak under
 * the right labels; its log is JSON lines; and no item value a client sent or the store holds
 * appears in anything it printed, for allowed, refused, malformed and unauthenticated requests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndLogsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinctive item values: none of them may ever be in weir's output. */
    private static final String NAME = "Zyxwv-Name-4f1e", SSN = "Zyxwv-Ssn-77a0", NOTE = "Zyxwv-Note-c3d9",
            PROBE = "Zyxwv-Probe-0b2", MALFORMED = "Zyxwv-Malformed-19e", LITERAL = "Zyxwv-Literal-6ad",
            UNSIGNED = "Zyxwv-Unsigned-e5", VAULT = "Zyxwv-Vault-a11";
    private static final List<String> VALUES = List.of(NAME, SSN, NOTE, PROBE, MALFORMED, LITERAL, UNSIGNED, VAULT);
    private static final String ADMIN = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";
    private static final String ANALYST = "AKIAWEIRANALYST00001", ANALYST_SECRET = "weir-analyst-secret";

    private Path home;
    private ApplianceProcess weir;
    private int metricsPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("weir-metrics-e2e-");
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), """
                role admin
                role analyst
                @id("admin-all")
                allow admin on table * op *
                @id("people-read")
                allow analyst on table people op [GetItem, Scan]
                  fields [id, name, ssn]
                  mask ssn show_last(4)
                @id("vault-closed")
                deny analyst on table vault op *
                  reason "the vault is closed to analysts"
                """);
        int proxyPort = ApplianceProcess.freePort(), storePort, metrics;
        do storePort = ApplianceProcess.freePort(); while (storePort == proxyPort);
        do metrics = ApplianceProcess.freePort(); while (metrics == proxyPort || metrics == storePort);
        metricsPort = metrics;
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                metrics: {host: 127.0.0.1, port: %d}
                """.formatted(storePort, proxyPort, policies, ApplianceProcess.CONF.resolve("principals.yaml"), metricsPort));
        weir = ApplianceProcess.start(home, config, proxyPort, storePort);
    }

    @AfterAll
    void stop() throws Exception {
        if (weir != null) weir.close();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void requestsCountUnderTheirOperationTableDecisionAndRule() throws Exception {
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), ADMIN, ADMIN_SECRET);
             DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), ANALYST, ANALYST_SECRET)) {
            admin.createTable(b -> b.tableName("people")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"));
            admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-1"), "name", s(NAME), "ssn", s(SSN), "note", s(NOTE))));
            Exposition before = scrape();

            Map<String, AttributeValue> seen = analyst.getItem(b -> b.tableName("people").key(Map.of("id", s("p-1")))).item();
            assertEquals(NAME, seen.get("name").s());
            DynamoDbException denied = assertThrows(DynamoDbException.class,
                    () -> analyst.getItem(b -> b.tableName("vault").key(Map.of("id", s(VAULT)))));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            DynamoDbException leak = assertThrows(DynamoDbException.class, () -> analyst.scan(b -> b.tableName("people")
                    .filterExpression("begins_with(ssn, :p)").expressionAttributeValues(Map.of(":p", s(PROBE)))));
            assertTrue(leak.getMessage().contains("it tests the field 'ssn'"), leak.getMessage());

            Exposition after = scrape();
            assertEquals(1, delta(before, after, "weir_requests_total", "operation", "GetItem", "table", "people", "decision", "ALLOWED"));
            assertEquals(1, delta(before, after, "weir_requests_total", "operation", "GetItem", "table", "vault", "decision", "FORBIDDEN"));
            assertEquals(1, delta(before, after, "weir_requests_total", "operation", "Scan", "table", "people", "decision", "FORBIDDEN"));
            assertEquals(1, delta(before, after, "weir_rule_decisions_total", "rule", "people-read", "decision", "ALLOWED"));
            assertEquals(1, delta(before, after, "weir_rule_decisions_total", "rule", "vault-closed", "decision", "FORBIDDEN"));
            assertEquals(1, delta(before, after, "weir_rule_decisions_total", "rule", "people-read", "decision", "FORBIDDEN"));
            assertEquals(3, delta(before, after, "weir_request_duration_seconds_count"), "each request timed once");
            assertEquals(3, delta(before, after, "weir_decide_duration_seconds_count"));
            assertEquals(1, delta(before, after, "weir_upstream_duration_seconds_count"), "only the allowed one was forwarded");
            assertTrue(delta(before, after, "weir_audit_events_published_total") >= 3);
            assertEquals(1, after.value("weir_policy_loaded"));
            assertEquals(3, after.value("weir_policy_rules"));
            assertEquals(1, after.samples().keySet().stream().filter(k -> k.startsWith("weir_policy_info{")).count());
            assertTrue(after.has("weir_open_connections") && after.has("weir_upstream_errors_total")
                    && after.has("weir_audit_sink_lag_records") && after.has("jvm_memory_used_bytes"), after.names().toString());
            assertEquals(0, after.value("weir_upstream_errors_total", "reason", "timeout"));
        }
    }

    @Test
    @Order(2)
    void refusedMalformedAndUnsignedRequestsAreCountedAndNoItemValueIsLogged() throws Exception {
        Exposition before = scrape();
        // malformed JSON carrying an item value, signed by the admin
        assertEquals(400, send("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"" + MALFORMED + "\"}", true).statusCode());
        // a literal in an expression (DynamoDB has none): a parse error
        assertEquals(400, send("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"p-2\"}},"
                + "\"ConditionExpression\":\"name = '" + LITERAL + "'\"}", true).statusCode());
        // no signature at all
        assertEquals(400, send("PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"" + UNSIGNED + "\"}}}", false)
                .statusCode());
        Exposition after = scrape();
        assertEquals(2, delta(before, after, "weir_requests_total", "operation", "PutItem", "table", "none", "decision", "INVALID")
                + delta(before, after, "weir_requests_total", "operation", "PutItem", "table", "people", "decision", "INVALID"));
        assertEquals(1, delta(before, after, "weir_requests_total", "operation", "PutItem", "table", "none",
                "decision", "UNAUTHENTICATED"));

        List<String> output = weir.output();
        for (String v : VALUES) {
            for (String line : output) assertTrue(!line.contains(v), "an item value in weir's output: " + line);
        }
        String metrics = new String(http.send(HttpRequest.newBuilder(metricsUri()).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body(), StandardCharsets.UTF_8);
        for (String v : VALUES) assertTrue(!metrics.contains(v), "an item value in /metrics: " + v);
    }

    @Test
    @Order(3)
    void weirUpLogsJsonLines() throws Exception {
        List<String> logLines = new ArrayList<>();
        for (String line : weir.output()) if (line.startsWith("{")) logLines.add(line);
        assertTrue(logLines.stream().anyMatch(l -> l.contains("firewall listening on")), String.join("\n", weir.output()));
        for (String line : logLines) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.has("@timestamp") && event.has("log.level") && event.has("log.logger") && event.has("message"), line);
        }
    }

    /**
     * Every expression of the Grafana dashboard (deploy/grafana/weir.json), its variable queries
     * included, names at least one metric, and every metric it names is one this weir exports.
     */
    @Test
    @Order(4)
    void theGrafanaDashboardNamesOnlyMetricsWeirExports() throws Exception {
        Exposition exported = scrape();
        JsonNode dashboard = JSON.readTree(Path.of("..", "deploy", "grafana", "weir.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) expressions.add(variable.path("query").asText());
        }
        assertTrue(expressions.size() >= 20, "the dashboard has its panels: " + expressions.size());
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(?:weir|jvm|process)_[a-zA-Z0-9_]+");
        for (String expr : expressions) {
            java.util.regex.Matcher m = metric.matcher(expr);
            int named = 0;
            while (m.find()) {
                named++;
                assertTrue(exported.names().contains(m.group()), "the dashboard names " + m.group() + ", which weir does not export: "
                        + expr + "\nexported: " + exported.names());
            }
            assertTrue(named > 0, "an expression that names no weir metric: " + expr);
        }
    }

    private HttpResponse<String> send(String op, String body, boolean signed) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "127.0.0.1:" + weir.proxyPort),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
        if (signed) {
            headers.addAll(new SigV4Signer(new Credentials(ADMIN, ADMIN_SECRET), "us-east-1", "dynamodb")
                    .sign("POST", "/", headers, bytes, Instant.now()));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(weir.endpoint())).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (Map.Entry<String, String> h : headers) if (!h.getKey().equals("Host")) b.header(h.getKey(), h.getValue());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI metricsUri() {
        return URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
    }

    private Exposition scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metricsUri()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        return Exposition.parse(r.body());
    }

    private static double delta(Exposition before, Exposition after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
