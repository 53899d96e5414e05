package dev.weir.appliance.config;

import dev.weir.policy.field.HashKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code masking} block of weir.yaml and where the hash key comes from. */
class HashKeySourceTest {
    private static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();
    private static final String UPSTREAM = "upstream: {access_key_id: a, secret_access_key: b}\n";

    private static Path config(Path dir, String text) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, UPSTREAM + text);
        return f;
    }

    @Test
    void theSampleConfigurationNamesKeyK1UnderTheHomeFolder() throws Exception {
        WeirConfig.Masking m = ConfigLoader.load(CONF.resolve("weir.yaml")).masking();
        assertEquals(new WeirConfig.Masking("k1", Path.of("keys/hash-k1.key")), m);
    }

    @Test
    void withoutABlockThereIsNoHashKey(@TempDir Path dir) throws Exception {
        Path f = config(dir, "");
        assertNull(ConfigLoader.load(f).masking());
        assertEquals(Optional.empty(), HashKeySource.resolve(f, dir, null, Map.of()));
    }

    @Test
    void theKeyFileDefaultsToTheId(@TempDir Path dir) throws Exception {
        assertEquals(new WeirConfig.Masking("k2", Path.of("keys/hash-k2.key")),
                ConfigLoader.load(config(dir, "masking: {hash_key_id: k2}\n")).masking());
    }

    @Test
    void configErrorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = config(dir, "masking:\n  hash_key_file: keys/x.key\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2:1: error: masking.hash_key_id is required"), e.getMessage());

        Path g = config(dir, "masking:\n  hash_key_id: 'k:1'\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(g));
        String[] lines = e.getMessage().split("\n");
        assertEquals(g + ":3:3: error: masking.hash_key_id is 1 to 64 letters, digits, '_' or '-', got 'k:1'", lines[0]);
        assertEquals("  hash_key_id: 'k:1'", lines[1]);
        assertEquals("  ^", lines[2]);

        Path h = config(dir, "masking:\n  hash_key_id: k1\n  hash_kye_file: x\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(h));
        assertTrue(e.getMessage().startsWith(h + ":4:3: error: unknown key 'hash_kye_file'"), e.getMessage());
    }

    @Test
    void theKeyFileIsCreatedOnceOwnerOnlyAndThenReused(@TempDir Path home) throws Exception {
        Path f = config(home, "masking: {hash_key_id: k1}\n");
        WeirConfig.Masking m = ConfigLoader.load(f).masking();
        HashKey first = HashKeySource.resolve(f, home, m, Map.of()).orElseThrow();
        Path file = home.resolve("keys/hash-k1.key");
        assertEquals("k1", first.id());
        assertArrayEquals(Files.readAllBytes(file), first.secret());
        assertEquals(32, first.secret().length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        HashKey again = HashKeySource.resolve(f, home, m, Map.of()).orElseThrow();
        assertEquals(first, again, "a restart reads the same key");
        Path other = Files.createTempDirectory("weir-home-");
        try {
            assertFalse(java.util.Arrays.equals(first.secret(), HashKeySource.resolve(f, other, m, Map.of()).orElseThrow().secret()),
                    "another home, another random key");
        } finally {
            Files.delete(other.resolve("keys/hash-k1.key"));
            Files.delete(other.resolve("keys"));
            Files.delete(other);
        }
    }

    @Test
    void theEnvironmentTakesThePlaceOfTheFile(@TempDir Path home) throws Exception {
        Path f = config(home, "masking: {hash_key_id: k-2}\n");
        WeirConfig.Masking m = ConfigLoader.load(f).masking();
        String secret = "an environment secret of some length";
        HashKey k = HashKeySource.resolve(f, home, m, Map.of("WEIR_HASH_KEY_K_2", secret)).orElseThrow();
        assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), k.secret());
        assertFalse(Files.exists(home.resolve("keys/hash-k-2.key")), "no file is made when the variable is set");

        ConfigException e = assertThrows(ConfigException.class,
                () -> HashKeySource.resolve(f, home, m, Map.of("WEIR_HASH_KEY_K_2", "short")));
        assertTrue(e.getMessage().startsWith(f + ":2:11: error: WEIR_HASH_KEY_K_2 holds 5 bytes; a hash key needs at least 16"),
                e.getMessage());
        assertFalse(e.getMessage().contains("short\n"), "the value is never shown");
    }

    @Test
    void aShortOrUnreadableKeyFileStopsStartUpWithThePlace(@TempDir Path home) throws Exception {
        Path f = config(home, "masking:\n  hash_key_id: k1\n  hash_key_file: keys/short.key\n");
        WeirConfig.Masking m = ConfigLoader.load(f).masking();
        Files.createDirectories(home.resolve("keys"));
        Files.write(home.resolve("keys/short.key"), new byte[8]);
        ConfigException e = assertThrows(ConfigException.class, () -> HashKeySource.resolve(f, home, m, Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":4:3: error: hash key file " + home.resolve("keys/short.key") + " holds 8 bytes"),
                e.getMessage());

        Files.delete(home.resolve("keys/short.key"));
        Files.createDirectory(home.resolve("keys/short.key"));
        e = assertThrows(ConfigException.class, () -> HashKeySource.resolve(f, home, m, Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":4:3: error: cannot read or create the hash key file"), e.getMessage());
    }
}
