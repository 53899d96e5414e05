package dev.weir.appliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policies are reloaded while weir runs: a good change takes effect, a broken one is refused and audited. */
class PolicyReloadEndToEndTest {
    private static final String ALLOW_SUPPORT = """
            role admin
            role support
            @id("admin-all") allow admin on table * op *
            @id("support-list") allow support on table * op [ListTables]
            """;

    @Test
    void aGoodChangeIsPublishedAndABrokenOneRefused(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("p.weir"), ALLOW_SUPPORT);
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
             DynamoDbClient support = DynamoClients.as(weir.endpoint(), "AKIAWEIRSUPPORT00001", "weir-support-secret")) {
            support.listTables();

            Files.writeString(policies.resolve("p.weir"), ALLOW_SUPPORT.replace("@id(\"support-list\") allow support on table * op [ListTables]\n", ""));
            await(() -> {
                try {
                    support.listTables();
                    return false;
                } catch (DynamoDbException e) {
                    return "AccessDeniedException".equals(e.awsErrorDetails().errorCode());
                }
            });

            Files.writeString(policies.resolve("p.weir"), ALLOW_SUPPORT + "allow suport on table * op [Scan]\n");
            await(() -> String.join("\n", weir.output()).contains("policy change refused"));
            String log = String.join("\n", weir.output());
            assertTrue(log.contains("p.weir:5:7: error: unknown role 'suport' (did you mean 'support'?)"), log);
            assertEquals("AccessDeniedException",
                    assertThrows(DynamoDbException.class, support::listTables).awsErrorDetails().errorCode(),
                    "the running (second) policy stays");

            weir.stop();
            ObjectMapper json = new ObjectMapper();
            long reloads = Files.readAllLines(weir.auditFile()).stream().map(l -> {
                try {
                    return json.readTree(l);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).filter(e -> "weir:PolicyReload".equals(e.get("event.action").asText())).count();
            assertEquals(2, reloads, "one audited reload and one audited refusal");
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 15 s");
            Thread.sleep(100);
        }
    }
}
