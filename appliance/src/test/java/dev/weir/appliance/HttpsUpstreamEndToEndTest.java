package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.appliance.tls.DevCertificates;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * weir in front of an {@code https://} store: the bundled store behind a TLS terminator
 * ({@link TlsRelay}) with a test CA. With {@code upstream.ca_file} naming that CA, weir forwards
 * over TLS and re-signs (the store answers only weir's own signature) and the firewall works as
 * ever (a masked read). A certificate of another CA, or one for another host name, is refused:
 * the client gets a DynamoDB-style 503 that says TLS, the audit record says why, and not a byte
 * of the request reaches the store.
 */
class HttpsUpstreamEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static ApplianceProcess store;
    static TlsRelay relay, wrongHostRelay;
    static Path ca, otherCa;
    static final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        store = ApplianceProcess.startStoreAlone(home.resolve("store"));
        Path tls = home.resolve("tls");
        DevCertificates.Issued issued = DevCertificates.ensure(tls, List.of()); // server.pem names localhost and 127.0.0.1
        DevCaIssuer.issueServer(tls, "other-host", "CN=db.other.example,O=weir", new GeneralName(GeneralName.dNSName, "db.other.example"));
        ca = issued.caCertificate();
        otherCa = DevCertificates.ensure(home.resolve("other-ca"), List.of()).caCertificate();
        relay = new TlsRelay(issued.serverCertificate(), issued.serverKey(), store.proxyPort);
        wrongHostRelay = new TlsRelay(tls.resolve("servers/other-host.pem"), tls.resolve("servers/other-host.key"), store.proxyPort);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        if (relay != null) relay.close();
        if (wrongHostRelay != null) wrongHostRelay.close();
        if (store != null) store.close();
    }

    /** weir (no bundled store) in front of {@code endpoint}, trusting {@code caFile}, auditing to its home. */
    private static ApplianceProcess weir(String name, String endpoint, Path caFile) throws Exception {
        Path dir = home.resolve(name);
        Files.createDirectories(dir);
        int proxyPort = ApplianceProcess.freePort();
        Path config = dir.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {endpoint: '%s', ca_file: '%s', region: us-east-1, access_key_id: %s,
                           secret_access_key: %s, timeout_ms: 5000}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                """.formatted(proxyPort, endpoint, caFile, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET,
                ApplianceProcess.CONF.resolve("policies"), ApplianceProcess.CONF.resolve("principals.yaml")));
        ApplianceProcess weir = ApplianceProcess.start(dir, config, proxyPort, -1);
        toClose.add(weir);
        return weir;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    @Test
    void forwardsOverVerifiedTlsAndReSigns() throws Exception {
        ApplianceProcess weir = weir("good", "https://localhost:" + relay.port(), ca);
        assertTrue(String.join("\n", weir.output()).contains("over TLS by"), String.join("\n", weir.output()));
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-001"), "ssn", s("123-45-6789"), "region", s("eu"),
                    "name", s("Ada"))));
            Map<String, AttributeValue> item = analyst.getItem(b -> b.tableName("people").key(Map.of("id", s("p-001")))).item();
            assertEquals("****6789", item.get("ssn").s(), "the firewall masks as ever behind TLS");
            for (int i = 0; i < 5; i++) admin.getItem(b -> b.tableName("people").key(Map.of("id", s("p-001"))));
        }
        assertTrue(relay.bytesRelayedToStore() > 0);
        // weir's pools keep their connections: far fewer handshakes than the 8 requests (at most one per event loop)
        assertTrue(relay.handshakes() >= 1 && relay.handshakes() <= Runtime.getRuntime().availableProcessors() + 1,
                "handshakes: " + relay.handshakes());
    }

    @Test
    void aStoreCertificateOfAnotherCaIsRefusedAudited() throws Exception {
        int failedBefore = relay.failedHandshakes();
        long relayedBefore = relay.bytesRelayedToStore();
        ApplianceProcess weir = weir("wrong-ca", "https://localhost:" + relay.port(), otherCa);
        assertRefusedAndAudited(weir);
        // the relay counts the refusal on its own loop when weir's alert arrives, which can be after weir has answered
        long until = System.nanoTime() + 5_000_000_000L;
        while (relay.failedHandshakes() <= failedBefore && System.nanoTime() < until) Thread.sleep(20);
        assertTrue(relay.failedHandshakes() > failedBefore, "the relay saw the handshake refused");
        assertEquals(relayedBefore, relay.bytesRelayedToStore(), "nothing reached the store");
    }

    @Test
    void aStoreCertificateForAnotherHostIsRefusedAudited() throws Exception {
        ApplianceProcess weir = weir("wrong-host", "https://localhost:" + wrongHostRelay.port(), ca);
        assertRefusedAndAudited(weir);
        assertEquals(0, wrongHostRelay.bytesRelayedToStore(), "nothing reached the store");
        assertEquals(0, wrongHostRelay.handshakes());
    }

    private static void assertRefusedAndAudited(ApplianceProcess weir) throws Exception {
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            DynamoDbException e = org.junit.jupiter.api.Assertions.assertThrows(DynamoDbException.class, admin::listTables);
            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailableException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("over TLS"), e.awsErrorDetails().errorMessage());
        }
        JsonNode record = null;
        long until = System.nanoTime() + 10_000_000_000L;
        while (record == null && System.nanoTime() < until) {
            if (Files.exists(weir.auditFile())) {
                for (String line : Files.readAllLines(weir.auditFile(), StandardCharsets.UTF_8)) {
                    JsonNode r = JSON.readTree(line);
                    if ("ListTables".equals(r.path("event.action").asText()) || line.contains("\"ListTables\"")) record = r;
                }
            }
            if (record == null) Thread.sleep(50);
        }
        assertTrue(record != null, "the refused request has an audit record");
        assertEquals(503, record.path("http.response.status_code").asInt(), record.toString());
        assertEquals("ServiceUnavailableException", record.path("error.type").asText(), record.toString());
        assertTrue(record.path("message").asText().startsWith("upstream TLS refused: "), record.toString());
    }
}
