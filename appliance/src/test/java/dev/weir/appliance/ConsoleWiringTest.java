package dev.weir.appliance;

import dev.weir.appliance.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the appliance wires the console: only with the audit on, on its own listener, with its own sink name. */
class ConsoleWiringTest {
    private static Path config(Path dir, String audit, String console) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, """
                store: {enabled: true, host: 127.0.0.1, port: 0}
                proxy: {host: 127.0.0.1, port: 0}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: %s
                %s
                """.formatted(ApplianceProcess.CONF.resolve("policies"), ApplianceProcess.CONF.resolve("principals.yaml"), audit, console));
        return f;
    }

    @Test
    void aConsoleNeedsTheAudit(@TempDir Path dir) throws Exception {
        Path f = config(dir, "{mode: off}", "console: {port: 0, admin_roles: [admin]}");
        ConfigException e = assertThrows(ConfigException.class, () -> Appliance.start(f, dir.resolve("home")).close());
        assertTrue(e.getMessage().contains("the console needs the audit"), e.getMessage());
    }

    @Test
    void theConsoleSinkNameIsTheConsoles(@TempDir Path dir) throws Exception {
        Path f = config(dir, "{file: audit/a.jsonl, sinks: [{name: console, type: file, dir: audit/c}]}",
                "console: {port: 0, admin_roles: [admin]}");
        ConfigException e = assertThrows(ConfigException.class, () -> Appliance.start(f, dir.resolve("home")).close());
        assertTrue(e.getMessage().contains("the console's own sink"), e.getMessage());
    }

    @Test
    void theConsoleListensApartFromTheClientPortAndOnlyWhenConfigured(@TempDir Path dir) throws Exception {
        try (Appliance none = Appliance.start(config(dir, "{file: audit/a.jsonl}", ""), dir.resolve("home1"))) {
            assertNull(none.consoleAddress());
        }
        try (Appliance a = Appliance.start(config(dir, "{file: audit/a.jsonl}", "console: {port: 0, admin_roles: [admin]}"),
                dir.resolve("home2"))) {
            assertNotNull(a.consoleAddress());
            assertTrue(a.consoleAddress().getAddress().isLoopbackAddress());
            assertTrue(a.consoleAddress().getPort() != a.proxyAddress().getPort());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + a.consoleAddress().getPort() + "/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, r.statusCode(), "an unsigned request is sent to sign in");
            assertEquals("/signin", r.headers().firstValue("Location").orElseThrow());
        }
    }
}
