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

/** A policy that does not load leaves weir up but denying everything, even the admin. */
class FailClosedEndToEndTest {
    @Test
    void aBrokenPolicyMeansEveryRequestIsDenied(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("broken.weir"), "role admin\nallow admni on table * op *\n");
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"))) {
            try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                DynamoDbException e = assertThrows(DynamoDbException.class, () -> admin.listTables());
                assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
                assertTrue(e.awsErrorDetails().errorMessage().endsWith("because no policy is loaded"));
            }
            String log = String.join("\n", weir.output());
            assertTrue(log.contains("broken.weir:2:7: error: unknown role 'admni' (did you mean 'admin'?)"), log);
            assertTrue(log.contains("every request will be denied"), log);
        }
    }
}
