package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton end to end: a real weir process (firewall, sample policies and
 * principals, audit) in front of a real store, driven by the AWS SDK for Java v2 as
 * different principals. Subclasses choose the store: the bundled one, or dynalite.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WalkingSkeletonEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SSN = "123-45-6789";
    private static final String EMAIL = "ada@example.com";

    private Path home;
    private ApplianceProcess weir;
    /** The analyst's pseudonym of Ada's e-mail, as first seen. */
    private String emailPseudonym;
    /** Calls made through the proxy, in order: (principal, expected decision). */
    private final List<String[]> calls = new ArrayList<>();

    static final Map<String, AttributeValue> ADA = Map.of(
            "id", s("p-001"), "name", s("Ada Lovelace"), "email", s(EMAIL), "ssn", s(SSN),
            "salary", AttributeValue.fromN("98000"), "region", s("eu"),
            "address", AttributeValue.fromM(Map.of("street", s("12 Analytical Row"), "city", s("London"),
                    "zip", s("N1 9GU"))));

    /** Starts weir in front of this suite's store, under {@code home}. */
    abstract ApplianceProcess startWeir(Path home) throws Exception;

    /** The running appliance (a test may restart it). */
    ApplianceProcess weir() {
        return weir;
    }

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("weir-e2e-");
        weir = startWeir(home);
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
    void adminCreatesTheTableAndWritesAnItem() {
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            admin.createTable(b -> b.tableName("people")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST"));
            calls.add(new String[] {"admin", "ALLOWED"});
            admin.putItem(b -> b.tableName("people").item(ADA));
            calls.add(new String[] {"admin", "ALLOWED"});
            Map<String, AttributeValue> whole = get(admin);
            calls.add(new String[] {"admin", "ALLOWED"});
            assertEquals(ADA, whole);
        }
    }

    @Test
    @Order(2)
    void analystSeesTheSsnMaskedTheEmailPseudonymisedAndNoSalary() throws Exception {
        Path keyFile = home.resolve("keys/hash-k1.key");
        assertEquals(32, Files.readAllBytes(keyFile).length, "the hash key file is made on first start");
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(keyFile));
        assertTrue(weir.output().stream().anyMatch(l -> l.contains("hash key k1 created in")), String.join("\n", weir.output()));
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            Map<String, AttributeValue> seen = get(analyst);
            calls.add(new String[] {"analyst", "ALLOWED"});
            assertEquals("****6789", seen.get("ssn").s());
            emailPseudonym = seen.get("email").s();
            assertEquals("k1:" + hmacHex(Files.readAllBytes(keyFile), EMAIL), emailPseudonym,
                    "hash is HMAC-SHA256 under the deployment's key, written <key id>:<hex>");
            assertFalse(seen.containsKey("salary"));
            assertEquals(Map.of("city", s("London"), "zip", s("N1 9GU")), seen.get("address").m());
            assertEquals("Ada Lovelace", seen.get("name").s());

            DynamoDbException e = assertThrows(DynamoDbException.class,
                    () -> analyst.putItem(b -> b.tableName("people").item(Map.of("id", s("p-002")))));
            calls.add(new String[] {"analyst", "NOT_PERMITTED"});
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    @Order(3)
    void supportSeesOnlyContactFields() {
        try (DynamoDbClient support = client("AKIAWEIRSUPPORT00001", "weir-support-secret")) {
            Map<String, AttributeValue> seen = get(support);
            calls.add(new String[] {"support", "ALLOWED"});
            assertEquals(Map.of("id", s("p-001"), "name", s("Ada Lovelace"), "email", s(EMAIL), "region", s("eu")), seen);
        }
    }

    @Test
    @Order(4)
    void ingestWritesAllowedFieldsOnlyAndReadsNothing() {
        try (DynamoDbClient ingest = client("AKIAWEIRINGEST000001", "weir-ingest-secret")) {
            ingest.putItem(b -> b.tableName("people").item(Map.of("id", s("p-003"), "name", s("Grace"), "region", s("us"))));
            calls.add(new String[] {"ingest", "ALLOWED"});
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> ingest.putItem(b -> b.tableName("people")
                    .item(Map.of("id", s("p-004"), "salary", AttributeValue.fromN("1")))));
            calls.add(new String[] {"ingest", "FORBIDDEN"}); // refused by the write check after the allow: never ALLOWED
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("'salary'"), e.awsErrorDetails().errorMessage());
            DynamoDbException read = assertThrows(DynamoDbException.class, () -> get(ingest));
            calls.add(new String[] {"ingest", "NOT_PERMITTED"});
            assertEquals("AccessDeniedException", read.awsErrorDetails().errorCode());
        }
    }

    @Test
    @Order(5)
    void aDenyRuleForbidsEvenTheAdminAndNamesItsReason() {
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> admin.deleteTable(b -> b.tableName("people")));
            calls.add(new String[] {"admin", "FORBIDDEN"});
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("people-never-dropped"), e.awsErrorDetails().errorMessage());
            assertTrue(e.awsErrorDetails().errorMessage().contains("never dropped through weir"));
        }
    }

    @Test
    @Order(6)
    void unknownKeysAndBadSignaturesAreRefusedAsDynamoDbWould() {
        try (DynamoDbClient stranger = client("AKIANOBODY0000000001", "whatever")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> get(stranger));
            calls.add(new String[] {null, "UNAUTHENTICATED"});
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
            assertEquals(400, e.statusCode());
        }
        try (DynamoDbClient forger = client("AKIAWEIRADMIN0000001", "not-the-admin-secret")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> get(forger));
            calls.add(new String[] {null, "UNAUTHENTICATED"});
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    @Order(7)
    void everyCallIsAuditedAndTheItemSurvivesARestart() throws Exception {
        int exit = weir.stop();
        assertTrue(exit == 0 || exit == 143, "clean stop on SIGTERM, exit code " + exit);
        assertTrue(weir.output().contains("weir: stopped"), "exit " + exit + "\n" + String.join("\n", weir.output()));

        List<String> lines = Files.readAllLines(weir.auditFile());
        assertEquals(calls.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = JSON.readTree(lines.get(i));
            assertEquals(calls.get(i)[1], event.get("weir.decision").asText(), lines.get(i));
            if (calls.get(i)[0] != null) assertEquals(calls.get(i)[0], event.get("user.name").asText());
            assertEquals(i + 1, event.get("event.sequence").asLong());
            assertNotNull(event.get("weir.policy_hash"));
        }
        String everything = String.join("\n", lines) + String.join("\n", weir.output());
        assertFalse(everything.contains(SSN), "the SSN must appear in no log line or audit event");
        for (String secret : List.of("weir-admin-secret", "weir-analyst-secret", "weir-support-secret", "weir-ingest-secret",
                "weir-upstream-sample-secret")) {
            assertFalse(everything.contains(secret), "no secret in logs or audit: " + secret);
        }

        byte[] key = Files.readAllBytes(home.resolve("keys/hash-k1.key"));
        for (String shown : List.of(HexFormat.of().formatHex(key), java.util.Base64.getEncoder().encodeToString(key))) {
            assertFalse(everything.contains(shown), "the hash key appears in no log line or audit event");
        }

        weir = startWeir(home);
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            assertEquals(ADA, get(admin));
        }
        assertTrue(weir.output().stream().noneMatch(l -> l.contains("hash key k1 created")), "the key file is reused");
        assertArrayEquals(key, Files.readAllBytes(home.resolve("keys/hash-k1.key")));
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            assertEquals(emailPseudonym, get(analyst).get("email").s(), "pseudonyms are stable across a restart");
        }
    }

    private static String hmacHex(byte[] key, String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Map<String, AttributeValue> get(DynamoDbClient c) {
        return c.getItem(b -> b.tableName("people").key(Map.of("id", s("p-001")))).item();
    }

    private DynamoDbClient client(String accessKeyId, String secret) {
        return DynamoClients.as(weir.endpoint(), accessKeyId, secret);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
