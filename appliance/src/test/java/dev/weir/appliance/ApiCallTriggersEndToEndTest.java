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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API-call triggers end to end: weir (bundled store, a {@code schema.yaml} naming the key of
 * {@code images}) with a trigger on DeleteItem and one on PutItem, BatchWriteItem and
 * TransactWriteItems, and a real HTTP function that checks each call's signature. Permitted
 * requests call the function once each, signed, with the request id as event id and the keys of
 * {@code images} they name (ConditionChecks and other tables left out), whatever the store
 * answered; refused ones call nothing; no value outside the trigger role's fields is sent.
 */
class ApiCallTriggersEndToEndTest {
    private static final String SECRET = "e2e-request-trigger-signing-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private HttpServer function;
    private Appliance weir;
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (weir != null) weir.close();
        if (function != null) function.stop(0);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static Map<String, AttributeValue> image(String id) {
        return Map.of("id", s(id), "secret", s("s3cret-" + id));
    }

    private static Map<String, AttributeValue> id(String id) {
        return Map.of("id", s(id));
    }

    @Test
    void permittedRequestsCallTheFunctionOnceWithTheirKeysAndRefusedOnesCallNothing() throws Exception {
        function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        function.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String ts = ex.getRequestHeaders().getFirst("X-Weir-Timestamp");
            if (FunctionSignature.valid(SECRET, ts, body, ex.getRequestHeaders().getFirst("X-Weir-Signature"))) {
                calls.add(JSON.readTree(body));
                bodies.add(new String(body, StandardCharsets.UTF_8));
                keys.add(ex.getRequestHeaders().getFirst("X-Weir-Idempotency-Key"));
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(401, -1);
            }
            ex.close();
        });
        function.start();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("schema.yaml"), """
                tables:
                  images:
                    key: [id]
                    attributes: {id: S, secret: S, seen: N}
                  videos:
                    key: [vid]
                    attributes: {vid: S}
                """);
        Files.writeString(policies.resolve("images.weir"), """
                role admin
                role reader
                role auditor
                allow admin on table * op *
                allow reader on table images op read
                allow auditor on table images op read fields [id]

                @id("audit-deletes")
                trigger on request op [DeleteItem] on table images
                  call "http://127.0.0.1:%1$d/deleted"
                  as role auditor
                  retry 2 backoff 50ms to 200ms

                @id("audit-writes")
                trigger on request op [PutItem, BatchWriteItem, TransactWriteItems] on table images
                  call "http://127.0.0.1:%1$d/written"
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
        // request id → the call it must make: trigger, operation, keys
        Map<String, List<String>> expected = new LinkedHashMap<>();
        try (DynamoDbClient admin = DynamoClients.as(endpoint, "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient reader = DynamoClients.as(endpoint, "AKIAWEIRREADER000001", "weir-reader-secret")) {
            admin.createTable(b -> b.tableName("images").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
            admin.createTable(b -> b.tableName("videos").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("vid").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("vid").attributeType(ScalarAttributeType.S)));
            for (String id : List.of("p-1", "p-2")) {
                String put = admin.putItem(b -> b.tableName("images").item(image(id))).responseMetadata().requestId();
                expected.put(put, List.of("audit-writes", "PutItem", "[{\"id\":{\"S\":\"" + id + "\"}}]"));
            }

            // refused: the reader may not write, so nothing is called for any of these
            for (Runnable refused : List.<Runnable>of(
                    () -> reader.deleteItem(b -> b.tableName("images").key(id("p-2"))),
                    () -> reader.putItem(b -> b.tableName("images").item(image("r-1"))),
                    () -> reader.batchWriteItem(b -> b.requestItems(Map.of("images", List.of(
                            WriteRequest.builder().putRequest(p -> p.item(image("r-2"))).build())))),
                    () -> reader.transactWriteItems(b -> b.transactItems(
                            TransactWriteItem.builder().put(p -> p.tableName("images").item(image("r-3"))).build())))) {
                DynamoDbException e = assertThrows(DynamoDbException.class, refused::run);
                assertEquals(400, e.statusCode(), e.getMessage());
            }
            admin.getItem(b -> b.tableName("images").key(id("p-1"))); // no trigger on GetItem
            admin.putItem(b -> b.tableName("videos").item(Map.of("vid", s("v-0")))); // no trigger on videos

            String deleted = admin.deleteItem(b -> b.tableName("images").key(id("p-1"))).responseMetadata().requestId();
            expected.put(deleted, List.of("audit-deletes", "DeleteItem", "[{\"id\":{\"S\":\"p-1\"}}]"));

            String batch = admin.batchWriteItem(b -> b.requestItems(Map.of(
                    "images", List.of(WriteRequest.builder().putRequest(p -> p.item(image("p-3"))).build(),
                            WriteRequest.builder().deleteRequest(d -> d.key(id("p-2"))).build()),
                    "videos", List.of(WriteRequest.builder().putRequest(p -> p.item(Map.of("vid", s("v-1")))).build()))))
                    .responseMetadata().requestId();
            expected.put(batch, List.of("audit-writes", "BatchWriteItem", "[{\"id\":{\"S\":\"p-3\"}},{\"id\":{\"S\":\"p-2\"}}]"));

            String tx = admin.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName("images").key(id("p-3"))
                            .conditionExpression("attribute_exists(id)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName("images").key(id("p-4"))
                            .updateExpression("SET seen = :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("images").item(image("p-5"))).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName("images").key(id("p-9"))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("videos").item(Map.of("vid", s("v-2")))).build()))
                    .responseMetadata().requestId();
            expected.put(tx, List.of("audit-writes", "TransactWriteItems",
                    "[{\"id\":{\"S\":\"p-4\"}},{\"id\":{\"S\":\"p-5\"}},{\"id\":{\"S\":\"p-9\"}}]"));

            // a transaction the store cancels still fires: whether its condition held is not the function's to learn
            TransactionCanceledException canceled = assertThrows(TransactionCanceledException.class, () -> admin.transactWriteItems(
                    b -> b.transactItems(
                            TransactWriteItem.builder().conditionCheck(c -> c.tableName("images").key(id("p-100"))
                                    .conditionExpression("attribute_exists(id)")).build(),
                            TransactWriteItem.builder().put(p -> p.tableName("images").item(image("p-6"))).build())));
            expected.put(canceled.requestId(), List.of("audit-writes", "TransactWriteItems", "[{\"id\":{\"S\":\"p-6\"}}]"));

            // images named only by a ConditionCheck: nothing changes there, so the images trigger does not fire
            admin.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName("images").key(id("p-3"))
                            .conditionExpression("attribute_exists(id)")).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("videos").item(Map.of("vid", s("v-3")))).build()));

            long end = System.nanoTime() + 15_000_000_000L;
            while (calls.size() < expected.size() && System.nanoTime() < end) Thread.sleep(50);
            Thread.sleep(700); // room for a wrong extra call
            assertEquals(expected.size(), calls.size(), calls.toString());
            Map<String, List<String>> got = new LinkedHashMap<>();
            for (JsonNode call : calls) {
                assertEquals("images", call.path("table").asText());
                assertEquals("admin", call.path("principal").asText());
                assertNull(got.put(call.path("eventId").asText(), List.of(call.path("trigger").asText(),
                        call.path("operation").asText(), call.path("keys").toString())), "one call per request: " + calls);
            }
            assertEquals(expected, got, "each permitted request called once, its event id the request id the client got");
            assertEquals(java.util.Set.copyOf(expected.keySet()), java.util.Set.copyOf(keys), "the idempotency key is the request id");
            assertTrue(bodies.stream().noneMatch(b -> b.contains("s3cret") || b.contains("v-")),
                    "no value outside the role's fields, and no other table's key, is sent: " + bodies);
            assertTrue(admin.getItem(b -> b.tableName("images").key(id("p-3"))).hasItem(), "the batch put p-3");
            assertTrue(!admin.getItem(b -> b.tableName("images").key(id("p-6"))).hasItem(), "the canceled transaction put nothing");
        }
    }
}
