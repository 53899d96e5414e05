package dev.weir.appliance.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleConfigTest {
    static final String BASE = """
            upstream: {access_key_id: A, secret_access_key: B}
            """;

    @Test
    void noBlockNoConsole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, BASE);
        assertNull(ConsoleConfig.load(f));
        ConfigLoader.load(f);
    }

    @Test
    void defaultsToLoopbackAndHalfAnHourSessions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, BASE + "console: {admin_roles: [admin, secops]}\n");
        ConsoleConfig c = ConsoleConfig.load(f);
        assertEquals("127.0.0.1", c.host());
        assertEquals(8003, c.port());
        assertEquals(List.of("admin", "secops"), c.adminRoles());
        assertEquals(Duration.ofMinutes(30), c.sessionTtl());
        ConfigLoader.load(f);  // the main loader accepts the block
    }

    @Test
    void theSampleConfigurationHasAConsoleOnLoopback() throws Exception {
        ConsoleConfig c = ConsoleConfig.load(Path.of("..", "conf", "weir.yaml").toAbsolutePath().normalize());
        assertEquals("127.0.0.1", c.host());
        assertEquals(List.of("admin"), c.adminRoles());
    }

    @Test
    void aConsoleWithoutAdminRolesDoesNotLoad(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, BASE + "console: {port: 9000}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConsoleConfig.load(f));
        assertTrue(e.getMessage().contains("console.admin_roles is required"), e.getMessage());
    }

    @Test
    void badSettingsSayWhere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, BASE + "console: {port: 70000, admin_roles: [admin]}\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConsoleConfig.load(f)).getMessage().contains("console.port"));
        Files.writeString(f, BASE + "console: {admin_roles: [admin], session_minutes: 0}\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConsoleConfig.load(f)).getMessage().contains("session_minutes"));
        Files.writeString(f, BASE + "console: {admin_roles: [admin], colour: blue}\n");
        assertThrows(ConfigException.class, () -> ConsoleConfig.load(f));
    }
}
