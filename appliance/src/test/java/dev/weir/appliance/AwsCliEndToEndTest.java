package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aws CLI against the store alone ({@code weir store}) and against the firewall, as the README shows it. */
class AwsCliEndToEndTest {
    @Test
    void theStoreAloneAnswersTheAwsCli(@TempDir Path home) throws Exception {
        try (ApplianceProcess store = ApplianceProcess.startStoreAlone(home)) {
            String url = "http://127.0.0.1:" + store.proxyPort;
            AwsCli aws = new AwsCli(url, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET);
            ok(aws.dynamodb("create-table", "--table-name", "events", "--billing-mode", "PAY_PER_REQUEST",
                    "--attribute-definitions", "AttributeName=user,AttributeType=S", "AttributeName=ts,AttributeType=N",
                    "--key-schema", "AttributeName=user,KeyType=HASH", "AttributeName=ts,KeyType=RANGE"));
            for (int ts = 1; ts <= 3; ts++) {
                ok(aws.dynamodb("put-item", "--table-name", "events", "--item",
                        "{\"user\":{\"S\":\"ada\"},\"ts\":{\"N\":\"" + ts + "\"},\"n\":{\"N\":\"0\"}}"));
            }
            JsonNode q = ok(aws.dynamodb("query", "--table-name", "events", "--key-condition-expression", "#u = :u AND ts > :t",
                    "--expression-attribute-names", "{\"#u\":\"user\"}",
                    "--expression-attribute-values", "{\":u\":{\"S\":\"ada\"},\":t\":{\"N\":\"1\"}}", "--no-scan-index-forward"));
            assertEquals(2, q.get("Count").asInt());
            assertEquals("3", q.get("Items").get(0).get("ts").get("N").asText());
            JsonNode u = ok(aws.dynamodb("update-item", "--table-name", "events",
                    "--key", "{\"user\":{\"S\":\"ada\"},\"ts\":{\"N\":\"2\"}}", "--update-expression", "ADD n :one SET tag = :t",
                    "--expression-attribute-values", "{\":one\":{\"N\":\"5\"},\":t\":{\"S\":\"x\"}}", "--return-values", "UPDATED_NEW"));
            assertEquals("5", u.get("Attributes").get("n").get("N").asText());
            JsonNode s = ok(aws.dynamodb("scan", "--table-name", "events", "--filter-expression", "attribute_exists(tag)"));
            assertEquals(1, s.get("Count").asInt());
            assertEquals(3, s.get("ScannedCount").asInt());
            JsonNode legacyScan = ok(aws.dynamodb("scan", "--table-name", "events", "--scan-filter",
                    "{\"tag\":{\"ComparisonOperator\":\"NOT_NULL\"}}", "--attributes-to-get", "user", "tag"));
            assertEquals(1, legacyScan.get("Count").asInt());
            assertEquals(2, legacyScan.get("Items").get(0).size());
            ok(aws.dynamodb("delete-item", "--table-name", "events", "--key", "{\"user\":{\"S\":\"ada\"},\"ts\":{\"N\":\"1\"}}"));
            JsonNode g = ok(aws.dynamodb("get-item", "--table-name", "events", "--key", "{\"user\":{\"S\":\"ada\"},\"ts\":{\"N\":\"1\"}}"));
            assertFalse(g.has("Item"));
            AwsCli.Result missing = aws.dynamodb("describe-table", "--table-name", "nope");
            assertNotEquals(0, missing.exit());
            assertTrue(missing.err().contains("ResourceNotFoundException"), missing.err());

            // Only weir's upstream key pair is served: any other local process reads nothing.
            AwsCli.Result stranger = new AwsCli(url, "AKIASOMEONEELSE00001", "anything").dynamodb("scan", "--table-name", "events");
            assertNotEquals(0, stranger.exit());
            assertTrue(stranger.err().contains("UnrecognizedClientException"), stranger.err());
            AwsCli.Result guessed = new AwsCli(url, ApplianceProcess.UPSTREAM_KEY, "a-guess").dynamodb("scan", "--table-name", "events");
            assertNotEquals(0, guessed.exit());
            assertTrue(guessed.err().contains("InvalidSignatureException"), guessed.err());
        }
    }

    /** {@code weir store --access-key-id ... --secret-access-key ...}: the flags win over the configuration file. */
    @Test
    void theStoreAloneTakesItsKeyPairFromFlags(@TempDir Path home) throws Exception {
        try (ApplianceProcess store = ApplianceProcess.startStoreAlone(home, "--access-key-id", "AKIASTOREFLAGS000001",
                "--secret-access-key", "flag-secret")) {
            String url = "http://127.0.0.1:" + store.proxyPort;
            long deadline = System.nanoTime() + 10_000_000_000L;   // the line after the ready line may still be on its way
            while (!String.join("\n", store.output()).contains(" only; stop with Ctrl-C") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(String.join("\n", store.output()).contains("access key id AKIASTOREFLAGS000001 only"), store.output().toString());
            assertFalse(String.join("\n", store.output()).contains("flag-secret"), "the secret is never printed");
            ok(new AwsCli(url, "AKIASTOREFLAGS000001", "flag-secret").dynamodb("list-tables"));
            AwsCli.Result fromFile = new AwsCli(url, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET)
                    .dynamodb("list-tables");
            assertTrue(fromFile.err().contains("UnrecognizedClientException"), fromFile.err());
        }
    }

    @Test
    void theReadmeWalkThroughWorksThroughTheFirewall(@TempDir Path home) throws Exception {
        try (ApplianceProcess weir = ApplianceProcess.start(home)) {
            AwsCli admin = new AwsCli(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
            AwsCli analyst = new AwsCli(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret");
            AwsCli support = new AwsCli(weir.endpoint(), "AKIAWEIRSUPPORT00001", "weir-support-secret");
            AwsCli nobody = new AwsCli(weir.endpoint(), "AKIANOBODY0000000001", "no-such-secret");
            ok(admin.dynamodb("create-table", "--table-name", "people", "--attribute-definitions",
                    "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
                    "--billing-mode", "PAY_PER_REQUEST"));
            ok(admin.dynamodb("put-item", "--table-name", "people", "--item", """
                    {"id": {"S": "p-001"}, "name": {"S": "Ada Lovelace"}, "email": {"S": "ada@example.com"},
                     "ssn": {"S": "123-45-6789"}, "salary": {"N": "98000"}, "region": {"S": "eu"},
                     "address": {"M": {"street": {"S": "12 Analytical Row"}, "city": {"S": "London"}, "zip": {"S": "N1 9GU"}}}}"""));
            String key = "{\"id\": {\"S\": \"p-001\"}}";
            assertEquals("123-45-6789", ok(admin.dynamodb("get-item", "--table-name", "people", "--key", key))
                    .get("Item").get("ssn").get("S").asText());
            JsonNode seen = ok(analyst.dynamodb("get-item", "--table-name", "people", "--key", key)).get("Item");
            assertEquals("****6789", seen.get("ssn").get("S").asText());
            assertTrue(seen.get("email").get("S").asText().matches("k1:[0-9a-f]{64}"), seen.toString());
            assertFalse(seen.has("salary"));
            assertFalse(seen.get("address").get("M").has("street"));
            AwsCli.Result legacyGuess = analyst.dynamodb("get-item", "--table-name", "people", "--key", key,
                    "--attributes-to-get", "id", "ssn");
            assertTrue(legacyGuess.err().contains("AccessDeniedException") && legacyGuess.err().contains("'ssn'"),
                    legacyGuess.err());
            assertEquals(2, ok(support.dynamodb("get-item", "--table-name", "people", "--key", key,
                    "--attributes-to-get", "id", "name")).get("Item").size());
            // Under its row filter (region), the analyst gets exactly the attributes it asked for.
            assertEquals(2, ok(analyst.dynamodb("get-item", "--table-name", "people", "--key", key,
                    "--attributes-to-get", "id", "name")).get("Item").size());
            JsonNode contact = ok(support.dynamodb("get-item", "--table-name", "people", "--key", key)).get("Item");
            assertEquals(4, contact.size());

            AwsCli.Result put = analyst.dynamodb("put-item", "--table-name", "people", "--item", "{\"id\": {\"S\": \"p-002\"}}");
            assertTrue(put.err().contains("An error occurred (AccessDeniedException) when calling the PutItem operation: "
                    + "User: analyst is not authorized to perform: dynamodb:PutItem on resource: table/people because no weir "
                    + "policy allows it"), put.err());
            AwsCli.Result drop = admin.dynamodb("delete-table", "--table-name", "people");
            assertTrue(drop.err().contains("because rule people-never-dropped forbids it: the people table is never dropped "
                    + "through weir"), drop.err());
            AwsCli.Result stranger = nobody.dynamodb("get-item", "--table-name", "people", "--key", key);
            assertTrue(stranger.err().contains("An error occurred (UnrecognizedClientException) when calling the GetItem "
                    + "operation: The security token included in the request is invalid."), stranger.err());
        }
    }

    private static JsonNode ok(AwsCli.Result r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return r.json();
    }
}
