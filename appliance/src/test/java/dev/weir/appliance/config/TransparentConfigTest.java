package dev.weir.appliance.config;

import dev.weir.appliance.transparent.InterceptionRules;
import dev.weir.proxy.transparent.Interception;
import dev.weir.proxy.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transparent block: what loads, what every route must say, and the rules printed for it. */
class TransparentConfigTest {
    private static final String HEAD = "upstream: {access_key_id: a, secret_access_key: b}\n";
    private static final String ROUTE = """
                - name: store-a
                  destinations: ['10.0.2.2:8000', '[fd00::2]:8000', '10.0.3.0/24']
                  hosts: ['dynamodb.us-east-1.amazonaws.com', '10.0.2.2:8000']
                  policies: policies-a
                  upstream: {endpoint: 'http://10.0.2.2:8000', region: eu-west-1, account_id: '123456789012', access_key_id: k, secret_access_key: s-secret}
            """;

    private static Path file(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("weir.yaml");
        Files.writeString(f, HEAD + yaml);
        return f;
    }

    @Test
    void aRouteLoadsWithItsOwnUpstreamAndPolicies(@TempDir Path dir) throws Exception {
        TransparentConfig c = TransparentConfig.load(file(dir, "transparent:\n  mode: redirect\n  port: 15002\n  routes:\n" + ROUTE),
                Transport.EPOLL);
        assertEquals(Interception.REDIRECT, c.mode());
        assertEquals("::", c.host());
        TransparentConfig.Route r = c.routes().getFirst();
        assertEquals(3, r.destinations().size());
        assertEquals(dir.resolve("policies-a"), r.policies());
        assertEquals("eu-west-1", r.upstream().region());
        assertEquals("123456789012", r.upstream().accountId());
        assertNull(TransparentConfig.load(file(dir, ""), Transport.EPOLL), "no block: no transparent mode");
    }

    @Test
    void everyRouteMustSayWhereItGoesWhatItIsCalledAndItsPolicy(@TempDir Path dir) throws Exception {
        for (String[] cut : new String[][] {
                {"      policies: policies-a\n", "policies is required"},
                {"      hosts: ['dynamodb.us-east-1.amazonaws.com', '10.0.2.2:8000']\n", "hosts is required"},
                {"      destinations: ['10.0.2.2:8000', '[fd00::2]:8000', '10.0.3.0/24']\n", "destinations is required"},
                {"endpoint: 'http://10.0.2.2:8000', ", "endpoint is required"}}) {
            Path f = file(dir, "transparent:\n  routes:\n" + ROUTE.replace(cut[0].replace("      ", "      "), ""));
            ConfigException e = assertThrows(ConfigException.class, () -> TransparentConfig.load(f, Transport.EPOLL), cut[1]);
            assertTrue(e.getMessage().contains(cut[1]), e.getMessage());
            assertFalse(e.getMessage().contains("s-secret"), "an error never shows a secret: " + e.getMessage());
        }
        ConfigException bad = assertThrows(ConfigException.class, () -> TransparentConfig.load(
                file(dir, "transparent:\n  routes:\n" + ROUTE.replace("10.0.3.0/24", "store.example")), Transport.EPOLL));
        assertTrue(bad.getMessage().contains("numeric"), bad.getMessage());
        ConfigException none = assertThrows(ConfigException.class,
                () -> TransparentConfig.load(file(dir, "transparent:\n  mode: tproxy\n"), Transport.EPOLL));
        assertTrue(none.getMessage().contains("transparent.routes is required"), none.getMessage());
        ConfigException nio = assertThrows(ConfigException.class,
                () -> TransparentConfig.load(file(dir, "transparent:\n  routes:\n" + ROUTE), Transport.NIO));
        assertTrue(nio.getMessage().contains("epoll or io_uring"), nio.getMessage());
        ConfigException mode = assertThrows(ConfigException.class,
                () -> TransparentConfig.load(file(dir, "transparent:\n  mode: divert\n  routes:\n" + ROUTE), Transport.EPOLL));
        assertTrue(mode.getMessage().contains("tproxy or redirect"), mode.getMessage());
    }

    @Test
    void theMainLoaderAcceptsTheBlock(@TempDir Path dir) throws Exception {
        assertEquals(8000, ConfigLoader.load(file(dir, "transparent:\n  routes:\n" + ROUTE)).proxy().port());
    }

    @Test
    void theRulesSendExactlyTheRoutesDestinations(@TempDir Path dir) throws Exception {
        String tproxy = InterceptionRules.script(TransparentConfig.load(file(dir, "transparent:\n  routes:\n" + ROUTE), Transport.EPOLL));
        assertTrue(tproxy.contains("type filter hook prerouting priority mangle;"), tproxy);
        assertTrue(tproxy.contains("ip daddr 10.0.2.2 tcp dport 8000 tproxy ip to :15001 meta mark set 1 accept"), tproxy);
        assertTrue(tproxy.contains("ip6 daddr fd00:0:0:0:0:0:0:2 tcp dport 8000 tproxy ip6 to :15001 meta mark set 1 accept"), tproxy);
        assertTrue(tproxy.contains("ip daddr 10.0.3.0/24 meta l4proto tcp tproxy ip to :15001"), tproxy);
        assertTrue(tproxy.contains("ip rule add fwmark 1 lookup 100") && tproxy.contains("ip -6 route replace local ::/0 dev lo table 100"),
                tproxy);
        String redirect = InterceptionRules.script(TransparentConfig.load(file(dir,
                "transparent:\n  mode: redirect\n  port: 15002\n  routes:\n" + ROUTE), Transport.EPOLL));
        assertTrue(redirect.contains("type nat hook prerouting priority dstnat;"), redirect);
        assertTrue(redirect.contains("ip daddr 10.0.2.2 tcp dport 8000 redirect to :15002"), redirect);
        assertFalse(redirect.contains("ip rule"), "REDIRECT needs no policy routing");
        assertEquals(3, redirect.lines().filter(l -> l.contains("redirect to")).count());
    }

    @Test
    void aRouteUpstreamMayBeHttpsWithItsOwnCaFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("orders-ca.pem"), "x");
        String https = ROUTE.replace("endpoint: 'http://10.0.2.2:8000'", "endpoint: 'https://10.0.2.2:8443', ca_file: orders-ca.pem");
        TransparentConfig c = TransparentConfig.load(file(dir, "transparent:\n  routes:\n" + https), Transport.EPOLL);
        assertEquals("https://10.0.2.2:8443", c.routes().getFirst().upstream().endpoint());
        assertEquals(dir.resolve("orders-ca.pem"), c.routes().getFirst().upstream().caFile());
        String plain = ROUTE.replace("endpoint: 'http://10.0.2.2:8000'", "endpoint: 'http://10.0.2.2:8000', ca_file: orders-ca.pem");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TransparentConfig.load(file(dir, "transparent:\n  routes:\n" + plain), Transport.EPOLL));
        assertTrue(e.getMessage().contains("route store-a: upstream.ca_file is set but"), e.getMessage());
    }
}
