package dev.weir.appliance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The principals file is reloaded while weir runs; a broken version is refused and the old one stays. */
class PrincipalsReloadEndToEndTest {
    @Test
    void aNewPrincipalWorksWithoutARestartAndABrokenFileChangesNothing(@TempDir Path home) throws Exception {
        Path principals = home.resolve("principals.yaml");
        Files.copy(ApplianceProcess.CONF.resolve("principals.yaml"), principals);
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, ApplianceProcess.CONF.resolve("policies"), principals);
             DynamoDbClient auditor = DynamoClients.as(weir.endpoint(), "AKIAWEIRAUDITOR00001", "weir-auditor-secret");
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            assertEquals("UnrecognizedClientException",
                    assertThrows(DynamoDbException.class, auditor::listTables).awsErrorDetails().errorCode());

            Files.writeString(principals, Files.readString(principals) + """

                      - name: auditor
                        access_key_id: AKIAWEIRAUDITOR00001
                        secret_access_key: weir-auditor-secret
                        roles: [admin]
                    """);
            awaitTrue(() -> {
                try {
                    auditor.listTables();
                    return true;
                } catch (DynamoDbException e) {
                    return false;
                }
            });

            Files.writeString(principals, "principals:\n  - name: broken\n    acces_key_id: X\n");
            awaitTrue(() -> String.join("\n", weir.output()).contains("reload of " + principals + " refused"));
            String log = String.join("\n", weir.output());
            assertTrue(log.contains(principals + ":3:5: error: unknown key 'acces_key_id'"), log);
            auditor.listTables();
            admin.listTables();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(100);
        }
    }
}
