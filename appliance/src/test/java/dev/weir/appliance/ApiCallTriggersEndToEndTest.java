package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API-call triggers end to end: weir (bundled store) with {@code trigger on request op
 * [DeleteItem] on table images} and a real HTTP function. A permitted DeleteItem calls the
 * function once, signed, with the request's key; a refused DeleteItem calls nothing.
 */
class ApiCallTriggersEndToEndTest {
    private static final String SECRET = "e2e-request-trigger-signing-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private HttpServer function;
    private Appliance weir;
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (weir != null) weir.close();
        if (function != null) function.stop(0);
    }

    @Test
    void aPermittedDeleteCallsTheFunctionOnceAndARefusedOneCallsNothing() throws Exception {
        function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        function.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String ts = ex.getRequestHeaders().getFirst("X-Weir-Timestamp");
            if (ts != null && ("v1=" + hmac(ts + ".", body)).equals(ex.getRequestHeaders().getFirst("X-Weir-Signature"))) {
                calls.add(JSON.readTree(body));
                keys.add(ex.getRequestHeaders().getFirst("X-Weir-Idempotency-Key"));
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(401, -1);
            }
            ex.close();
        });
        function.start();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("images.weir"), """
                role admin
                role reader
                role auditor
                allow admin on table * op *
                allow reader on table images op read
                allow auditor on table images op read fields [id]

                @id("audit-deletes")
                trigger on request op [DeleteItem] on table images
                  call "http://127.0.0.1:%d/deleted"
                  as role auditor
                  retry 2 backoff 50ms to 200ms
                """.formatted(function.getAddress().getPort()));
        Files.writeString(dir.resolve("principals.yaml"), """
                principals:
                  - {name: admin, access_key_id: AKIAWEIRADMIN0000001, secret_access_key: weir-admin-secret, roles: [admin]}
                  - {name: reader, access_key_id: AKIAWEIRREADER000001, secret_access_key: weir-reader-secret, roles: [reader]}
                """);
        int proxyPort = ApplianceProcess.freePort(), storePort;
        do storePort = ApplianceProcess.freePort(); while (storePort == proxyPort);
        Path config = dir.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                audit: {file: audit/audit.jsonl}
                lifecycle: {poll_ms: 100, signing_secret: %s}
                """.formatted(storePort, proxyPort, policies, dir.resolve("principals.yaml"), SECRET));
        weir = Appliance.start(config, dir.resolve("home"));
        String endpoint = "http://127.0.0.1:" + weir.proxyAddress().getPort();
        try (DynamoDbClient admin = DynamoClients.as(endpoint, "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient reader = DynamoClients.as(endpoint, "AKIAWEIRREADER000001", "weir-reader-secret")) {
            admin.createTable(b -> b.tableName("images").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
            for (String id : List.of("p-1", "p-2")) {
                admin.putItem(b -> b.tableName("images").item(Map.of("id", AttributeValue.fromS(id), "secret", AttributeValue.fromS("s"))));
            }
            DynamoDbException refused = assertThrows(DynamoDbException.class,
                    () -> reader.deleteItem(b -> b.tableName("images").key(Map.of("id", AttributeValue.fromS("p-2")))));
            assertEquals(400, refused.statusCode());
            admin.getItem(b -> b.tableName("images").key(Map.of("id", AttributeValue.fromS("p-1")))); // not a DeleteItem
            var deleted = admin.deleteItem(b -> b.tableName("images").key(Map.of("id", AttributeValue.fromS("p-1"))));
            String requestId = deleted.responseMetadata().requestId();

            long end = System.nanoTime() + 10_000_000_000L;
            while (calls.isEmpty() && System.nanoTime() < end) Thread.sleep(50);
            Thread.sleep(700); // room for a wrong second call
            assertEquals(1, calls.size(), calls.toString());
            JsonNode call = calls.getFirst();
            assertEquals("audit-deletes", call.path("trigger").asText());
            assertEquals("images", call.path("table").asText());
            assertEquals("DeleteItem", call.path("operation").asText());
            assertEquals("admin", call.path("principal").asText());
            assertEquals(JSON.readTree("[{\"id\":{\"S\":\"p-1\"}}]"), call.path("keys"));
            assertEquals(requestId, call.path("eventId").asText(), "the event id is the request id the client got");
            assertEquals(List.of(requestId), keys);
            assertTrue(admin.getItem(b -> b.tableName("images").key(Map.of("id", AttributeValue.fromS("p-2")))).hasItem(),
                    "the refused delete did nothing");
        }
    }

    private static String hmac(String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
