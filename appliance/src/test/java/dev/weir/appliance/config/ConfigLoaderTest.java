package dev.weir.appliance.config;

import dev.weir.proxy.transport.Transport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

    @Test
    void theSampleConfigurationLoads() throws Exception {
        WeirConfig c = ConfigLoader.load(CONF.resolve("weir.yaml"));
        assertEquals(8000, c.proxy().port());
        assertEquals(8001, c.store().port());
        assertTrue(c.store().enabled());
        assertNull(c.upstream().endpoint(), "no endpoint: the bundled store");
        assertEquals(CONF.resolve("policies"), c.policies());
        assertEquals(Path.of("audit/audit.jsonl"), c.audit().file());
        assertTrue(!c.upstream().toString().contains(c.upstream().secretAccessKey()), "toString hides the secret");
    }

    @Test
    void theSamplePrincipalsLoad() throws Exception {
        List<ConfigLoader.PrincipalEntry> p = ConfigLoader.loadPrincipals(CONF.resolve("principals.yaml"));
        assertEquals(List.of("admin", "analyst", "support", "ingest"), p.stream().map(ConfigLoader.PrincipalEntry::name).toList());
        assertEquals(List.of("eu"), p.get(1).attributes().get("region"));
        assertEquals(List.of("eu", "us"), p.get(3).attributes().get("regions"));
    }

    @Test
    void anUnknownKeyIsReportedWithFileLineColumnAndTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "proxy:\n  host: 127.0.0.1\n  prot: 8000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        String[] lines = e.getMessage().split("\n");
        assertTrue(lines[0].startsWith(f + ":3:3: error: unknown key 'prot'"), lines[0]);
        assertEquals("  prot: 8000", lines[1]);
        assertEquals("  ^", lines[2]);
    }

    @Test
    void aWrongTypeIsReportedWhereItIs(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "proxy:\n  port: eight\nupstream: {access_key_id: a, secret_access_key: b}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":2:3: error:"), e.getMessage());
    }

    @Test
    void upstreamCredentialsAndEndpointAreChecked(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "upstream: {region: us-east-1}\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .contains("upstream.access_key_id and upstream.secret_access_key are required"));
        Files.writeString(f, "upstream: {endpoint: 'ftp://x', access_key_id: a, secret_access_key: b}\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .contains("upstream.endpoint must be an http:// or https:// URL"));
    }

    @Test
    void anErrorNeverShowsASecretFromTheOffendingLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("principals.yaml");
        Files.writeString(f, "principals:\n  - {name: a, access_key_id: K1, secret_access_key: hunter2, rolez: [x]}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadPrincipals(f));
        assertTrue(e.getMessage().contains("unknown key 'rolez'"), e.getMessage());
        assertTrue(e.getMessage().contains("secret_access_key: ********"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals("    secret_access_key: ********", YamlFiles.withoutSecrets("    secret_access_key: s3cr3t value"));
    }

    @Test
    void connectionLimitsAndTheFirstByteTimeoutHaveDefaultsAndAreCheckedWhereTheyStand(@TempDir Path dir) throws Exception {
        WeirConfig sample = ConfigLoader.load(CONF.resolve("weir.yaml"));
        assertEquals(256, sample.proxy().maxConnectionsPerSource());
        assertEquals(5_000, sample.proxy().firstByteTimeoutMs());
        Path f = dir.resolve("weir.yaml");
        String upstream = "upstream: {access_key_id: a, secret_access_key: b, timeout_ms: 1000}\n";
        Files.writeString(f, "proxy: {idle_timeout_ms: 2000}\n" + upstream);
        WeirConfig defaults = ConfigLoader.load(f);
        assertEquals(2_000, defaults.proxy().firstByteTimeoutMs(), "the default is never longer than idle");
        assertEquals(10_000, defaults.proxy().maxConnections());

        Files.writeString(f, "proxy:\n  max_connections: 100\n  max_connections_per_source: 101\n" + upstream);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":3:3: error: proxy.max_connections_per_source must be from 0 "
                + "(no limit per source) to proxy.max_connections (100), got 101"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  max_connections_per_source: 101\n  ^"), e.getMessage());

        Files.writeString(f, "proxy: {port: 1, first_byte_timeout_ms: 70000}\n" + upstream);
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":1:18: error: proxy.first_byte_timeout_ms must be from 1 to "
                + "proxy.idle_timeout_ms (60000), got 70000"), e.getMessage());

        Files.writeString(f, "proxy:\n  first_byte_timeout_ms: 0\n" + upstream);
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage().startsWith(f + ":2:3: error:"));

        Files.writeString(f, "proxy:\n  max_connections: 0\n" + upstream);
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .startsWith(f + ":2:3: error: proxy.max_connections must be at least 1"));

        Files.writeString(f, "proxy:\n  idle_timeout_ms: 900\n" + upstream);
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .startsWith(f + ":2:3: error: proxy.idle_timeout_ms must be longer than upstream.timeout_ms"));

        Files.writeString(f, "proxy: {max_connections: 50, max_connections_per_source: 0}\n" + upstream);
        assertEquals(0, ConfigLoader.load(f).proxy().maxConnectionsPerSource(), "0: no limit per source");
        Files.writeString(f, "proxy: {max_connections: 50}\n" + upstream);
        assertEquals(50, ConfigLoader.load(f).proxy().maxConnectionsPerSource(), "the default is never above the global limit");
    }

    @Test
    void anUnknownTransportIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "proxy: {transport: netmap}\nupstream: {access_key_id: a, secret_access_key: b}\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .contains("proxy.transport must be nio, epoll, io_uring or dpdk, got 'netmap'"));
    }

    @Test
    void withoutATransportNamedEpollIsUsedWhereItRunsElseNio(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "proxy: {port: 8000}\nupstream: {access_key_id: a, secret_access_key: b}\n");
        assertEquals(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO, ConfigLoader.load(f).proxy().transport());
        assertEquals(ConfigLoader.load(f).proxy().transport(), ConfigLoader.load(CONF.resolve("weir.yaml")).proxy().transport(),
                "the sample configuration leaves the choice to weir");
        Files.writeString(f, "proxy: {transport: nio}\nupstream: {access_key_id: a, secret_access_key: b}\n");
        assertEquals(Transport.NIO, ConfigLoader.load(f).proxy().transport(), "nio named is nio");
    }

    @Test
    void aNamedTransportThatCannotRunHereStopsStartUpInsteadOfFallingBack(@TempDir Path dir) throws Exception {
        Transport missing = java.util.Arrays.stream(Transport.values()).filter(t -> t.unavailabilityCause() != null)
                .findFirst().orElse(null);
        Path f = dir.resolve("weir.yaml");
        for (Transport t : Transport.values()) {
            if (t.unavailabilityCause() != null) continue;
            Files.writeString(f, "proxy: {transport: " + t.configName() + "}\nupstream: {access_key_id: a, secret_access_key: b}\n");
            assertEquals(t, ConfigLoader.load(f).proxy().transport(), t + " runs here and is used when named");
        }
        if (missing != null) {
            Files.writeString(f, "upstream: {access_key_id: a, secret_access_key: b}\nproxy:\n  transport: " + missing.configName() + "\n");
            String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage();
            assertTrue(message.startsWith(f + ":3:") && message.contains("proxy.transport " + missing.configName()
                    + " cannot run on this machine"), message);
        }
        // the same on a machine without epoll, whatever this one has
        Files.writeString(f, "upstream: {access_key_id: a, secret_access_key: b}\nproxy:\n  transport: epoll\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.named(f, "epoll",
                t -> t == Transport.EPOLL ? new UnsatisfiedLinkError("no libnetty_transport_native_epoll") : null)).getMessage();
        assertTrue(message.startsWith(f + ":3:") && message.contains("proxy.transport epoll cannot run on this machine")
                && message.contains("no libnetty_transport_native_epoll"), message);
        assertEquals(Transport.NIO, ConfigLoader.named(f, "nio", t -> t == Transport.EPOLL ? new UnsatisfiedLinkError("x") : null));
    }

    @Test
    void aKeyGivenToTwoPrincipalsIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("principals.yaml");
        Files.writeString(f, """
                principals:
                  - {name: a, access_key_id: K1, secret_access_key: s1}
                  - {name: b, access_key_id: K1, secret_access_key: s2}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadPrincipals(f));
        assertTrue(e.getMessage().contains("principal #2 'b': error: access key id K1 is used twice"), e.getMessage());
        assertTrue(!e.getMessage().contains("s2"), "no secret in the error");
    }

    @Test
    void auditDefaultsAreAsyncBlockingWithTheSampleSinks() throws Exception {
        WeirConfig.Audit a = ConfigLoader.load(CONF.resolve("weir.yaml")).audit();
        assertEquals("async", a.mode());
        assertEquals("block", a.whenFull());
        assertEquals(Path.of("audit/audit.jsonl"), a.file());
        assertEquals(List.of("chain"), a.sinks().stream().map(s -> s.get("name")).toList());
        assertEquals("file", a.sinks().getFirst().get("type"));
        assertEquals(Path.of("audit/spool"), a.spool());
    }

    /** A spool limit is honoured as given (issue 14: it used to be raised to 32 MiB silently); below 1 MiB it is refused where it stands. */
    @Test
    void spoolMaxBytesIsHonouredOrRefusedWhereItStands(@TempDir Path dir) throws Exception {
        String upstream = "upstream: {access_key_id: a, secret_access_key: b}\n";
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, upstream + "audit:\n  mode: sync\n  spool_max_bytes: 4194304\n");
        assertEquals(4L << 20, ConfigLoader.load(f).audit().spoolMaxBytes());
        Files.writeString(f, upstream + "audit:\n  mode: sync\n  spool_max_bytes: 65536\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":4:3: error: audit.spool_max_bytes must be at least 1048576 (1 MiB), got 65536"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\n  spool_max_bytes: 65536\n  ^"), e.getMessage());
        Files.writeString(f, upstream + "audit:\n  block_timeout_ms: 0\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage()
                .startsWith(f + ":3:3: error: audit.block_timeout_ms must be at least 1, got 0"));
    }

    @Test
    void auditSettingsAreCheckedWhereTheyStand(@TempDir Path dir) throws Exception {
        String upstream = "upstream: {access_key_id: a, secret_access_key: b}\n";
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, upstream + "audit:\n  mode: later\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":3:3: error: audit.mode must be async, sync or off, got 'later'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\n  mode: later\n  ^"), e.getMessage());

        Files.writeString(f, upstream + "audit:\n  sinks:\n    - {name: a, type: file, dir: x}\n    - {name: b, type: carrier_pigeon}\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":5:8: error: audit.sinks #2: audit sink 'b': type must be one of "
                + "[file, hec, kafka, syslog], not 'carrier_pigeon'"), e.getMessage());

        Files.writeString(f, upstream + "audit:\n  sinks:\n    - name: k\n      type: kafka\n      topics: [a]\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith(f + ":4:7: error: audit.sinks #1: audit sink 'k': unknown setting 'topics'"),
                e.getMessage());

        Files.writeString(f, upstream + "audit:\n  sinks:\n    - {name: file, type: file, dir: x}\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().contains("sink name 'file' is used twice"), e.getMessage());

        Files.writeString(f, upstream + "audit:\n  file: ''\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().contains("audit has no sink"), e.getMessage());

        Files.writeString(f, upstream + "audit:\n  skip:\n    - {tables: [people], operations: [Peek]}\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()));
        assertTrue(e.getMessage().contains("audit.skip #1: unknown operation 'Peek'"), e.getMessage());

        Files.writeString(f, upstream + "audit:\n  mode: 'off'\n  file: ''\n  skip:\n    - {tables: ['*'], operations: [read, PutItem]}\n");
        WeirConfig.Audit a = ConfigLoader.load(f).audit();
        assertEquals("off", a.mode());
        assertNull(a.file());
        assertEquals(List.of("read", "PutItem"), a.skip().getFirst().operations());
    }

    /** A replica's audit name (scale-out: docs/scale-out.md) is checked where it stands; without one it is left to InstanceId. */
    @Test
    void auditInstanceIdIsReadOrRefusedWhereItStands(@TempDir Path dir) throws Exception {
        String upstream = "upstream: {access_key_id: a, secret_access_key: b}\n";
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, upstream + "audit:\n  instance_id: weir-eu-1.b\n");
        assertEquals("weir-eu-1.b", ConfigLoader.load(f).audit().instanceId());
        assertNull(ConfigLoader.load(CONF.resolve("weir.yaml")).audit().instanceId());
        Files.writeString(f, upstream + "audit:\n  mode: sync\n  instance_id: 'weir a'\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith(f + ":4:3: error: audit.instance_id must be 1 to 64 letters, digits, '.', '_' or '-', "
                + "got 'weir a'"), e.getMessage());
    }

    @Test
    void anHttpsUpstreamTakesACaFileResolvedBesideTheConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(dir.resolve("store-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(f, "upstream: {endpoint: 'https://dynamodb.eu-west-1.amazonaws.com', ca_file: store-ca.pem,"
                + " access_key_id: a, secret_access_key: b}\n");
        WeirConfig.Upstream up = ConfigLoader.load(f, java.util.Map.of()).upstream();
        assertEquals("https://dynamodb.eu-west-1.amazonaws.com", up.endpoint());
        assertEquals(dir.resolve("store-ca.pem"), up.caFile());
        // no ca_file: the system's CAs
        Files.writeString(f, "upstream: {endpoint: 'https://dynamodb.eu-west-1.amazonaws.com', access_key_id: a, secret_access_key: b}\n");
        assertNull(ConfigLoader.load(f, java.util.Map.of()).upstream().caFile());
    }

    @Test
    void aCaFileNeedsAnHttpsEndpointAndMustBeReadable(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(dir.resolve("ca.pem"), "x");
        Files.writeString(f, "upstream: {endpoint: 'http://10.0.0.1:8000', ca_file: ca.pem, access_key_id: a, secret_access_key: b}\n");
        String plain = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage();
        assertTrue(plain.contains("upstream.ca_file is set but upstream.endpoint is not an https:// URL"), plain);
        Files.writeString(f, "upstream: {ca_file: ca.pem, access_key_id: a, secret_access_key: b}\n");
        assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of()), "the bundled store speaks http");
        Files.writeString(f, "upstream: {endpoint: 'https://h', ca_file: missing.pem, access_key_id: a, secret_access_key: b}\n");
        String missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, java.util.Map.of())).getMessage();
        assertTrue(missing.contains("upstream.ca_file " + dir.resolve("missing.pem") + " cannot be read"), missing);
    }

    @Test
    void upstreamCredentialsMayComeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "upstream: {endpoint: 'https://dynamodb.us-east-1.amazonaws.com'}\n");
        WeirConfig.Upstream up = ConfigLoader.load(f, java.util.Map.of(ConfigLoader.UPSTREAM_ACCESS_KEY_ID, "AKIAFROMENV",
                ConfigLoader.UPSTREAM_SECRET_ACCESS_KEY, "secret-from-env")).upstream();
        assertEquals("AKIAFROMENV", up.accessKeyId());
        assertEquals("secret-from-env", up.secretAccessKey());
        // both are needed; an empty one is none
        String half = assertThrows(ConfigException.class, () -> ConfigLoader.load(f,
                java.util.Map.of(ConfigLoader.UPSTREAM_ACCESS_KEY_ID, "AKIAFROMENV", ConfigLoader.UPSTREAM_SECRET_ACCESS_KEY, "")))
                .getMessage();
        assertTrue(half.contains("WEIR_UPSTREAM_SECRET_ACCESS_KEY"), half);
        assertTrue(!half.contains("AKIAFROMENV"), "the error names the variables, not their values");
        // the file's own pair wins over the environment
        Files.writeString(f, "upstream: {access_key_id: a, secret_access_key: b}\n");
        assertEquals("a", ConfigLoader.load(f, java.util.Map.of(ConfigLoader.UPSTREAM_ACCESS_KEY_ID, "x",
                ConfigLoader.UPSTREAM_SECRET_ACCESS_KEY, "y")).upstream().accessKeyId());
    }
}
