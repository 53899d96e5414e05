package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.dpdk.lab.LabNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code proxy.transport: dpdk} (issue 17): weir's listener is the dpdk-bridge on DPDK's
 * af_packet driver, and the unmodified aws CLI in a client network namespace reaches it over a
 * veth pair, through lwIP, into the same pipeline as epoll connections: signatures are checked,
 * the sample policy's masks apply, the client's source address reaches the policy's context.
 */
class DpdkTransportEndToEndTest {
    static final String KEY = "{\"id\":{\"S\":\"p1\"}}";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theAwsCliInAClientNamespaceGetsMaskedAnswersOverTheBridge(@TempDir Path home) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the dpdk transport test needs root (network namespaces, hugepages, installing DPDK): skipped");
        LabNetwork lab = LabNetwork.open(ROOT, "d17-a", 2, 128);
        try (lab) {
            int storePort = ApplianceProcess.freePort();
            Path config = home.resolve("weir-dpdk.yaml");
            Files.createDirectories(home);
            Files.writeString(config, """
                    store: {enabled: true, host: 127.0.0.1, port: %d}
                    proxy:
                      transport: dpdk
                      port: 8000
                      dpdk:
                        eal_args: [%s]
                        ip: %s
                    upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                    policies: %s
                    principals: %s
                    masking: {hash_key_id: k1}
                    audit: {file: audit/audit.jsonl}
                    """.formatted(storePort, String.join(", ", lab.ealArgs().stream().map(a -> "'" + a + "'").toList()),
                    lab.bridgeAddress(), ApplianceProcess.CONF.resolve("policies"), ApplianceProcess.CONF.resolve("principals.yaml")));
            try (ApplianceProcess weir = ApplianceProcess.start(home, config, 8000, storePort)) {
                assertTrue(String.join("\n", weir.output()).contains("(dpdk ("),
                        weir.output().toString());
                String url = "http://" + lab.bridgeAddress() + ":8000";
                List<String> client = lab.inClient(List.of());
                AwsCli admin = new AwsCli(url, "AKIAWEIRADMIN0000001", "weir-admin-secret").through(client);
                AwsCli analyst = new AwsCli(url, "AKIAWEIRANALYST00001", "weir-analyst-secret").through(client);
                ok(admin.dynamodb("create-table", "--table-name", "people", "--billing-mode", "PAY_PER_REQUEST",
                        "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH"));
                String notes = "n".repeat(200_000); // a body of many segments each way
                Path itemFile = home.resolve("item.json"); // too long for one argument: the CLI reads it from a file
                Files.writeString(itemFile, """
                        {"id":{"S":"p1"},"name":{"S":"Ada"},"region":{"S":"eu"},"email":{"S":"ada@example.org"},
                         "ssn":{"S":"123-45-6789"},"salary":{"N":"100000"},"notes":{"S":"%s"},
                         "address":{"M":{"street":{"S":"1 Main St"},"city":{"S":"Berlin"}}}}""".formatted(notes));
                ok(admin.dynamodb("put-item", "--table-name", "people", "--item", "file://" + itemFile));
                JsonNode whole = ok(admin.dynamodb("get-item", "--table-name", "people", "--key", KEY))
                        .get("Item");
                assertEquals(notes, whole.path("notes").path("S").asText(), "200 kB came back intact through the bridge");
                assertEquals("100000", whole.path("salary").path("N").asText());

                JsonNode item = ok(analyst.dynamodb("get-item", "--table-name", "people", "--key", KEY))
                        .get("Item");
                assertEquals("Ada", item.path("name").path("S").asText());
                assertTrue(item.path("ssn").path("S").asText().endsWith("6789"), item.toString());
                assertFalse(item.toString().contains("123-45"), "the SSN is masked: " + item);
                assertFalse(item.toString().contains("ada@example.org"), "the e-mail is hashed: " + item);
                assertFalse(item.has("salary"), "salary is not in the analyst's fields: " + item);
                assertFalse(item.has("notes"), "notes are not in the analyst's fields: " + item);
                assertEquals("Berlin", item.path("address").path("M").path("city").path("S").asText());
                assertFalse(item.path("address").path("M").has("street"), "the street is removed: " + item);

                AwsCli.Result forged = new AwsCli(url, "AKIAWEIRANALYST00001", "a-guess").through(client)
                        .dynamodb("get-item", "--table-name", "people", "--key", KEY);
                assertNotEquals(0, forged.exit());
                assertTrue(forged.err().contains("InvalidSignatureException"), forged.err());
            }
        } finally {
            lab.releaseHugepages();
        }
    }

    private static JsonNode ok(AwsCli.Result r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return r.json();
    }
}
