package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.fault.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit says what happened, against the real appliance in sync mode with an AWS SDK v2
 * client: the client's request id finds its records (a decision record before the store was
 * asked, an outcome record after); a PutItem's records name the item's key and the attributes
 * written; an unidentified caller's record has an action; policy and principals reloads are
 * recorded, a refused one as a failure with its file:line:column; an empty policy is accepted
 * loudly. And with the spool on a full file system, a PutItem gets a 500 and is not in the store.
 */
class AuditBeforeAccessEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";

    private static Path config(Path home, int proxyPort, int storePort, Path policies, Path principals, String audit)
            throws IOException {
        Files.createDirectories(home);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                """.formatted(storePort, proxyPort, policies, principals) + audit);
        return config;
    }

    @Test
    void theAuditSaysWhatHappened(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(ApplianceProcess.CONF.resolve("policies/people.weir"), policies.resolve("people.weir"));
        Path principals = home.resolve("principals.yaml");
        Files.copy(ApplianceProcess.CONF.resolve("principals.yaml"), principals);
        int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
        Path config = config(home, proxyPort, storePort, policies, principals, """
                audit: {mode: sync, file: audit/audit.jsonl}
                """);
        try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort);
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), ADMIN, ADMIN_SECRET);
             DynamoDbClient stranger = DynamoClients.as(weir.endpoint(), "AKIAWEIRNOBODY000001", "nope")) {
            createPeople(admin);

            // The client's request id finds both records of its PutItem; they name the key and the written fields.
            PutItemResponse put = admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-1"), "name", s("Ada"),
                    "region", s("eu"))));
            String requestId = put.responseMetadata().requestId();
            List<JsonNode> records = await(weir, 2, e -> requestId.equals(e.path("http.request.id").asText()));
            JsonNode decision = records.get(0), outcome = records.get(1);
            assertEquals("decision", decision.path("weir.phase").asText());
            assertEquals("unknown", decision.path("event.outcome").asText());
            assertEquals("outcome", outcome.path("weir.phase").asText());
            assertEquals("success", outcome.path("event.outcome").asText());
            assertTrue(decision.path("event.sequence").asLong() < outcome.path("event.sequence").asLong());
            for (JsonNode e : records) {
                assertEquals("PutItem", e.path("event.action").asText());
                assertEquals("admin", e.path("user.name").asText());
                assertEquals(List.of("id=p-1"), strings(e.path("weir.keys")));
                assertEquals(List.of("id", "name", "region"), strings(e.path("weir.fields.written")).stream().sorted().toList());
            }

            // An unidentified caller: its record has an action and its request id.
            DynamoDbException unknown = assertThrows(DynamoDbException.class, () -> stranger.getItem(b -> b.tableName("people")
                    .key(Map.of("id", s("p-1")))));
            JsonNode unauth = await(weir, 1, e -> unknown.requestId().equals(e.path("http.request.id").asText())).getFirst();
            assertEquals("GetItem", unauth.path("event.action").asText());
            assertEquals("UNAUTHENTICATED", unauth.path("weir.decision").asText());
            assertEquals("failure", unauth.path("event.outcome").asText());

            // A refused policy reload is a failure with its file:line:column; the running policy stays.
            String good = Files.readString(policies.resolve("people.weir"));
            Files.writeString(policies.resolve("people.weir"), good.replace("allow admin on table * op *", "allow admni on table * op *"));
            JsonNode refused = await(weir, 1, e -> "weir:PolicyReload".equals(e.path("event.action").asText())).getFirst();
            assertEquals("REFUSED", refused.path("weir.decision").asText());
            assertEquals("failure", refused.path("event.outcome").asText());
            assertTrue(refused.path("message").asText().matches(".*people\\.weir:\\d+:\\d+: error: unknown role 'admni'.*"),
                    refused.toString());
            admin.getItem(b -> b.tableName("people").key(Map.of("id", s("p-1"))));

            // Principals reloads are recorded: one that took effect, one that was refused.
            Files.writeString(principals, Files.readString(principals) + """

                      - name: auditor
                        access_key_id: AKIAWEIRAUDITOR00001
                        secret_access_key: weir-auditor-secret
                        roles: [admin]
                    """);
            JsonNode reloaded = await(weir, 1, e -> "weir:PrincipalsReload".equals(e.path("event.action").asText())).getFirst();
            assertEquals("RELOADED", reloaded.path("weir.decision").asText());
            assertEquals("success", reloaded.path("event.outcome").asText());
            assertTrue(reloaded.path("message").asText().endsWith(": 5 principals"), reloaded.toString());
            Files.writeString(principals, "principals:\n  - name: broken\n    acces_key_id: X\n");
            JsonNode badPrincipals = await(weir, 2, e -> "weir:PrincipalsReload".equals(e.path("event.action").asText())).get(1);
            assertEquals("REFUSED", badPrincipals.path("weir.decision").asText());
            assertEquals("failure", badPrincipals.path("event.outcome").asText());
            assertTrue(badPrincipals.path("message").asText().contains(principals + ":3:5: error: unknown key 'acces_key_id'"),
                    badPrincipals.toString());
            assertFalse(badPrincipals.toString().contains("weir-admin-secret"), "no secret in the record");

            // An empty policy file is accepted (everyone is denied), with a warning in the log and the record.
            Files.writeString(policies.resolve("people.weir"), "");
            JsonNode empty = await(weir, 2, e -> "weir:PolicyReload".equals(e.path("event.action").asText())).get(1);
            assertEquals("RELOADED", empty.path("weir.decision").asText());
            assertTrue(empty.path("message").asText().contains("the policy set has no rules: every request will be denied"),
                    empty.toString());
            assertEquals("AccessDeniedException", assertThrows(DynamoDbException.class, () -> admin.getItem(b -> b.tableName("people")
                    .key(Map.of("id", s("p-1"))))).awsErrorDetails().errorCode());
            String log = String.join("\n", weir.output());
            assertTrue(log.contains("warning: the policy set has no rules"), log);
        }
    }

    /**
     * sync mode with the spool on a full file system (a tmpfs filled up while weir runs): the
     * PutItem gets a 500 and the item is not in the store (read from the store directly).
     */
    @Test
    void withTheSpoolOnAFullDiskAWriteGets500AndNeverReachesTheStore(@TempDir Path home) throws Exception {
        try (Tmpfs disk = Tmpfs.mount(home.resolve("spool-fs"), "64m")) {
            Path mount = disk.dir;
            int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort();
            Path config = config(home, proxyPort, storePort, ApplianceProcess.CONF.resolve("policies"),
                    ApplianceProcess.CONF.resolve("principals.yaml"), """
                    audit: {mode: sync, when_full: block, block_timeout_ms: 500, spool: %s, file: audit/audit.jsonl}
                    """.formatted(mount.resolve("spool")));
            try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort);
                 DynamoDbClient admin = DynamoClients.as(weir.endpoint(), ADMIN, ADMIN_SECRET);
                 DynamoDbClient store = DynamoClients.as("http://127.0.0.1:" + storePort, ApplianceProcess.UPSTREAM_KEY,
                         ApplianceProcess.UPSTREAM_SECRET)) {
                createPeople(admin);
                admin.putItem(b -> b.tableName("people").item(Map.of("id", s("before"), "region", s("eu"))));

                disk.fill();
                // The spool's last page may still hold a few records: put until three were kept from the store.
                // A put whose decision record was durable but whose outcome record was not reached the store
                // and got a 500 that says so; its decision record is in the audit.
                Map<String, String> answers = new java.util.LinkedHashMap<>();  // id -> "200", or the 500's request id and message
                int notSent = 0;
                for (int i = 0; i < 200 && notSent < 3; i++) {
                    String id = "after-" + i;
                    try {
                        admin.putItem(b -> b.tableName("people").item(Map.of("id", s(id), "region", s("eu"))));
                        answers.put(id, "200");
                    } catch (DynamoDbException e) {
                        assertEquals(500, e.statusCode(), e.toString());
                        assertEquals("InternalServerError", e.awsErrorDetails().errorCode(), e.toString());
                        answers.put(id, e.requestId() + " " + e.awsErrorDetails().errorMessage());
                        if (e.awsErrorDetails().errorMessage().contains("not sent to the store")) notSent++;
                    }
                }
                assertEquals(3, notSent, "the full spool kept writes from the store: " + answers);
                assertTrue(store.getItem(b -> b.tableName("people").key(Map.of("id", s("before"))).consistentRead(true)).hasItem());
                for (Map.Entry<String, String> a : answers.entrySet()) {
                    boolean stored = store.getItem(b -> b.tableName("people").key(Map.of("id", s(a.getKey()))).consistentRead(true))
                            .hasItem();
                    if (a.getValue().equals("200")) {
                        assertTrue(stored, a.getKey() + " got a 200 and is stored");
                    } else if (a.getValue().contains("not sent to the store")) {
                        assertFalse(stored, a.getKey() + ": its decision record could not be made durable, so it never reached the store");
                    } else {
                        assertTrue(a.getValue().contains("could not record the outcome"), a.toString());
                        assertTrue(stored, a.getKey() + " reached the store before its outcome record failed");
                        String requestId = a.getValue().substring(0, a.getValue().indexOf(' '));
                        JsonNode decision = await(weir, 1, e -> requestId.equals(e.path("http.request.id").asText())).getFirst();
                        assertEquals("decision", decision.path("weir.phase").asText(), "its decision record is durable: " + decision);
                    }
                }
                Files.delete(mount.resolve("filler"));
                // space is back: the records that waited for it are written, and each 500's last record says 500
                // (a store's 200 recorded for a client answered 500 would misstate what happened)
                for (Map.Entry<String, String> a : answers.entrySet()) {
                    if (a.getValue().equals("200")) continue;
                    String requestId = a.getValue().substring(0, a.getValue().indexOf(' '));
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (true) {
                        List<JsonNode> records = await(weir, 1, e -> requestId.equals(e.path("http.request.id").asText()));
                        JsonNode last = records.getLast();
                        if (last.path("http.response.status_code").asInt() == 500 && records.size() >= 2) {
                            assertEquals("decision", records.getFirst().path("weir.phase").asText(), records.toString());
                            break;
                        }
                        assertTrue(System.nanoTime() < deadline, a.getKey() + ": its records do not end with its 500: " + records);
                        Thread.sleep(100);
                    }
                }
                // and the spool and its sinks resume, and weir stops cleanly
                int exit = weir.stop();
                assertTrue((exit == 0 || exit == 143) && weir.output().contains("weir: stopped"),
                        "weir did not stop cleanly once space returned: " + exit);
            }
        }
    }

    private static void createPeople(DynamoDbClient admin) {
        admin.createTable(b -> b.tableName("people").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The first {@code count} records of the plain audit file that match, in file order, waiting up to 10 s. */
    private static List<JsonNode> await(ApplianceProcess weir, int count, Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<JsonNode> found = new ArrayList<>();
            if (Files.exists(weir.auditFile())) {
                for (String line : Files.readAllLines(weir.auditFile(), StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    JsonNode e;
                    try {
                        e = JSON.readTree(line);
                    } catch (IOException partial) {
                        continue;  // a line still being written
                    }
                    if (match.test(e)) found.add(e);
                }
            }
            if (found.size() >= count) return found;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("found " + found + " of " + count + "\n" + String.join("\n", weir.output()));
            }
            Thread.sleep(50);
        }
    }
}
