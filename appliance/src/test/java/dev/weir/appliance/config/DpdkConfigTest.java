package dev.weir.appliance.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code proxy.transport: dpdk} and its {@code proxy.dpdk} block (issue 17): read, or refused with the reason. */
class DpdkConfigTest {
    private static final String UPSTREAM = "upstream: {access_key_id: a, secret_access_key: b}\n";

    private static WeirConfig load(Path dir, String proxy) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, "proxy:\n" + proxy + UPSTREAM);
        return ConfigLoader.load(f);
    }

    @Test
    void theBridgeSettingsAreRead(@TempDir Path dir) throws Exception {
        WeirConfig c = load(dir, """
                  transport: dpdk
                  port: 8000
                  dpdk: {eal_args: [-l, '0', --vdev, 'net_af_packet0,iface=eth1'], ip: 192.0.2.10, idle_park_us: 0, library: lib.so}
                """);
        var d = c.proxy().dpdk();
        assertEquals(List.of("-l", "0", "--vdev", "net_af_packet0,iface=eth1"), d.ealArgs());
        assertEquals("192.0.2.10", d.ip());
        assertEquals("255.255.255.0", d.netmask());
        assertEquals(0, d.idleParkNanos());
        assertEquals(dir.toAbsolutePath().resolve("lib.so"), d.library());
        assertEquals("epoll", c.proxy().transport().configName(), "the loops and the upstream client run on epoll");
    }

    @Test
    void offByDefault(@TempDir Path dir) throws Exception {
        assertNull(load(dir, "  port: 8000\n").proxy().dpdk());
    }

    @Test
    void missingOrWrongSettingsAreErrorsNotAFallBack(@TempDir Path dir) throws Exception {
        String noArgs = assertThrows(ConfigException.class, () -> load(dir, "  transport: dpdk\n")).getMessage();
        assertTrue(noArgs.contains("proxy.dpdk.eal_args"), noArgs);
        String badIp = assertThrows(ConfigException.class,
                () -> load(dir, "  transport: dpdk\n  dpdk: {eal_args: [--no-huge], ip: 'fe80::1'}\n")).getMessage();
        assertTrue(badIp.contains("proxy.dpdk.ip"), badIp);
        String stray = assertThrows(ConfigException.class,
                () -> load(dir, "  transport: epoll\n  dpdk: {eal_args: [--no-huge], ip: 192.0.2.10}\n")).getMessage();
        assertTrue(stray.contains("proxy.transport is not dpdk"), stray);
        String unknown = assertThrows(ConfigException.class, () -> load(dir, "  transport: dpdk2\n")).getMessage();
        assertTrue(unknown.contains("nio, epoll, io_uring or dpdk"), unknown);
    }
}
