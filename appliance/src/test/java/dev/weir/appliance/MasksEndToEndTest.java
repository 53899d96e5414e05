package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Masks that hold, through the firewall and the AWS SDK (the GetItem also through the aws CLI
 * and boto3): a mask on a map, list or set reaches
 * the caller as one value without its keys or element count; {@code path[*]} masks each
 * element; a policy using {@code hash} without a configured hash key does not load.
 */
class MasksEndToEndTest {
    private static final String POLICY = """
            role admin
            role analyst
            @id("admin-all") allow admin on table * op *
            @id("read") allow analyst on table masked op [GetItem, Scan]
              mask address hash
              mask tags show_last(2)
              mask scores[*] bucket(10)
              mask notes[*] show_first(1)
              mask prefs constant("hidden")
            """;

    private static final List<String> HIDDEN = List.of("keyofthehiddenaccount", "iban", "keytagsecret", "keynewsletter",
            "street", "Berlin");

    private static final Map<String, AttributeValue> ITEM = Map.of(
            "id", s("1"),
            "address", AttributeValue.fromM(Map.of("street", s("Main 1"), "city", s("Berlin"),
                    "keyofthehiddenaccount", AttributeValue.fromM(Map.of("iban", s("DE00"))))),
            "tags", AttributeValue.fromSs(List.of("vip", "keytagsecret")),
            "scores", AttributeValue.fromNs(List.of("17", "42", "45")),
            "notes", AttributeValue.fromL(List.of(s("call back"), s("x"))),
            "prefs", AttributeValue.fromM(Map.of("keynewsletter", AttributeValue.fromBool(true))));

    @Test
    void containersAreMaskedAsAWholeAndElementsOneByOne(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), POLICY);
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            admin.createTable(b -> b.tableName("masked")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"));
            admin.putItem(b -> b.tableName("masked").item(ITEM));

            byte[] key = Files.readAllBytes(home.resolve("keys/hash-k1.key"));
            String canonicalAddress = "{\"M\":{\"city\":{\"S\":\"Berlin\"},\"keyofthehiddenaccount\":{\"M\":{\"iban\":{\"S\":\"DE00\"}}},"
                    + "\"street\":{\"S\":\"Main 1\"}}}";
            Map<String, AttributeValue> expected = Map.of(
                    "id", s("1"),
                    "address", s("k1:" + hmacHex(key, canonicalAddress)),
                    "tags", s("****]}"),
                    "scores", AttributeValue.fromNs(List.of("10", "40")),
                    "notes", AttributeValue.fromL(List.of(s("c****"), s("*****"))), // "x" is no longer than n: not shown
                    "prefs", s("hidden"));
            Map<String, AttributeValue> got = sortedScores(analyst.getItem(b -> b.tableName("masked").key(Map.of("id", s("1")))).item());
            assertEquals(expected.keySet(), got.keySet());
            expected.forEach((name, v) -> assertEquals(v, got.get(name), name));
            List<Map<String, AttributeValue>> scanned = analyst.scan(b -> b.tableName("masked")).items();
            assertEquals(List.of(got), scanned.stream().map(MasksEndToEndTest::sortedScores).toList());
            String everything = got.toString() + scanned;
            for (String hidden : HIDDEN) {
                assertFalse(everything.contains(hidden), hidden + " shows through: " + everything);
            }

            // the same answer through the aws CLI and boto3, as each client parses it
            AwsCli.Result cli = new AwsCli(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")
                    .dynamodb("get-item", "--table-name", "masked", "--key", "{\"id\":{\"S\":\"1\"}}");
            assertEquals(0, cli.exit(), cli.err());
            JsonNode py = new Boto3(weir.endpoint()).call("AKIAWEIRANALYST00001", "weir-analyst-secret", "get_item",
                    "{\"TableName\":\"masked\",\"Key\":{\"id\":{\"S\":\"1\"}}}").run().getFirst();
            assertTrue(py.path("ok").asBoolean(), py.toString());
            for (JsonNode item : List.of(cli.json().path("Item"), py.path("response").path("Item"))) {
                assertEquals(expected.get("address").s(), item.path("address").path("S").asText(), item.toString());
                assertEquals("****]}", item.path("tags").path("S").asText(), "fixed length, no element count: " + item);
                assertEquals("hidden", item.path("prefs").path("S").asText());
                assertEquals("[{\"S\":\"c****\"},{\"S\":\"*****\"}]", item.path("notes").path("L").toString());
                List<String> scores = new java.util.ArrayList<>();
                item.path("scores").path("NS").forEach(n -> scores.add(n.asText()));
                assertEquals(List.of("10", "40"), scores.stream().sorted().toList());
                for (String hidden : HIDDEN) assertFalse(item.toString().contains(hidden), hidden + " shows through: " + item);
            }
        }
    }

    @Test
    void aPolicyUsingHashWithoutAHashKeyDoesNotLoad(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), POLICY);
        int proxyPort = ApplianceProcess.freePort(), storePort;
        do storePort = ApplianceProcess.freePort(); while (storePort == proxyPort);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                audit: {file: audit/audit.jsonl}
                """.formatted(storePort, proxyPort, policies, ApplianceProcess.CONF.resolve("principals.yaml")));
        try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, storePort);
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, admin::listTables);
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            String log = String.join("\n", weir.output());
            assertTrue(log.contains("p.weir:5:3: error: hash needs the deployment's hash key, and none is configured "
                    + "(set masking.hash_key_id in weir.yaml"), log);
            assertFalse(Files.exists(home.resolve("keys")), "no key is made without a masking block");
        }
    }

    /** The number set as the SDK returns it is in no particular order. */
    private static Map<String, AttributeValue> sortedScores(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> copy = new java.util.HashMap<>(item);
        copy.put("scores", AttributeValue.fromNs(item.get("scores").ns().stream().sorted().toList()));
        return copy;
    }

    private static String hmacHex(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
