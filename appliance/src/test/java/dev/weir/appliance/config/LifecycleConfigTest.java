package dev.weir.appliance.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code lifecycle} block of weir.yaml: defaults, values, and refusals at the setting's line. */
class LifecycleConfigTest {
    private static final String UPSTREAM = "upstream: {access_key_id: a, secret_access_key: b}\n";

    private static WeirConfig load(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, UPSTREAM + yaml);
        return ConfigLoader.load(f);
    }

    @Test
    void defaultsWithoutABlock(@TempDir Path dir) throws Exception {
        WeirConfig.Lifecycle l = load(dir, "").lifecycle();
        assertNull(l.enabled(), "not set: the worker runs when the policy has a trigger");
        assertEquals(30_000, l.leaseMs());
        assertEquals(1_000, l.pollMs());
        assertEquals(10_000, l.callTimeoutMs());
    }

    @Test
    void valuesAndTheSecretNeverShown(@TempDir Path dir) throws Exception {
        WeirConfig.Lifecycle l = load(dir, "lifecycle: {enabled: true, instance_id: w1, lease_ms: 1500, poll_ms: 100,"
                + " call_timeout_ms: 2000, signing_secret: a-long-enough-secret}\n").lifecycle();
        assertTrue(l.enabled());
        assertEquals("w1", l.instanceId());
        assertEquals(1500, l.leaseMs());
        assertEquals(100, l.pollMs());
        assertEquals(2000, l.callTimeoutMs());
        assertFalse(l.toString().contains("a-long-enough-secret"));
        assertEquals(Boolean.FALSE, load(dir, "lifecycle: {enabled: false}\n").lifecycle().enabled());
    }

    @Test
    void refusals(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(dir, "lifecycle:\n  lease_ms: 100\n"));
        assertTrue(e.getMessage().contains(":3:3: error: lifecycle.lease_ms must be at least 300"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(dir, "lifecycle:\n  lease_ms: 3000\n  poll_ms: 2000\n"));
        assertTrue(e.getMessage().contains("lifecycle.poll_ms must be from 10 to a third of lifecycle.lease_ms (1000)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(dir, "lifecycle: {signing_secret: short}\n"));
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("short"), "the message names the setting, never the secret");
        e = assertThrows(ConfigException.class, () -> load(dir, "lifecycle: {instance_id: 'a|b'}\n"));
        assertTrue(e.getMessage().contains("lifecycle.instance_id"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(dir, "lifecycle: {lease: 5}\n"));
        assertTrue(e.getMessage().contains("unknown key 'lease'"), e.getMessage());
    }
}
