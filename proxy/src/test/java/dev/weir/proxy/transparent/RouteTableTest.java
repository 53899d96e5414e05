package dev.weir.proxy.transparent;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which store a destination reaches: the most specific entry, never the configuration's order; unknown is none. */
class RouteTableTest {
    private static EventLoopGroup group;
    private static Firewall firewall;

    @BeforeAll
    static void firewall() {
        group = Transport.NIO.newEventLoopGroup(1);
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("p.weir", "role admin\n")));
        firewall = Firewall.builder().identifier(new Identifier(new PrincipalDirectory(List.of()), Clock.systemUTC()))
                .policy(new PolicyHolder(loaded.ok() && loaded.table().isPresent()
                        ? new PolicySnapshot(loaded.table().get(), loaded.contentHash()) : PolicySnapshot.NONE))
                .upstream(new UpstreamClient(URI.create("http://127.0.0.1:9"), new SigV4Signer(new Credentials("K", "S"),
                        "us-east-1", "dynamodb"), Transport.NIO, group, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                        Clock.systemUTC()))
                .build();
    }

    @AfterAll
    static void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Route route(String name, String... destinations) {
        return new Route(name, Arrays.stream(destinations).map(Destination::parse).toList(), Set.of(name + ".example"), firewall, null);
    }

    private static String nameFor(RouteTable t, String ip, int port) throws Exception {
        Route r = t.routeFor(new InetSocketAddress(InetAddress.getByName(ip), port));
        return r == null ? null : r.name();
    }

    @Test
    void theMostSpecificEntryWinsWhateverTheOrder() throws Exception {
        for (boolean reversed : new boolean[] {false, true}) {
            List<Route> routes = List.of(route("wide", "10.0.0.0/8"), route("block", "10.0.2.0/24:8000", "[fd00::]/64"),
                    route("one", "10.0.2.2:8000"), route("anyport", "10.0.2.2"));
            RouteTable t = new RouteTable(reversed ? routes.reversed() : routes);
            assertEquals("one", nameFor(t, "10.0.2.2", 8000));
            assertEquals("anyport", nameFor(t, "10.0.2.2", 8001), "a /32 on any port is more specific than a /24 on a port");
            assertEquals("block", nameFor(t, "10.0.2.3", 8000));
            assertEquals("wide", nameFor(t, "10.0.2.3", 8001));
            assertEquals("block", nameFor(t, "fd00::9", 1));
            assertNull(nameFor(t, "11.0.0.1", 8000), "a destination in no route reaches no store");
            assertNull(nameFor(t, "fd01::9", 1));
            assertNull(t.routeFor(null), "a destination that could not be read reaches no store");
        }
    }

    @Test
    void oneDestinationInTwoRoutesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(List.of(route("a", "10.0.2.2:8000"), route("b", "10.0.2.2:8000"))));
        assertTrue(e.getMessage().contains("a and b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RouteTable(List.of(route("a", "10.0.2.2"), route("a", "10.0.2.3"))));
    }

    @Test
    void hostsMatchWithoutCaseAndWithOrWithoutADefaultPort() {
        Set<String> hosts = Set.of("dynamodb.us-east-1.amazonaws.com", "10.0.2.2:8000", "[fd00::2]:8000");
        assertTrue(Route.accepts(hosts, "DynamoDB.us-east-1.amazonaws.com"));
        assertTrue(Route.accepts(hosts, "dynamodb.us-east-1.amazonaws.com:443"));
        assertTrue(Route.accepts(hosts, "[FD00::2]:8000"));
        assertFalse(Route.accepts(hosts, "10.0.2.2"));
        assertFalse(Route.accepts(hosts, "10.0.2.2:8001"));
        assertFalse(Route.accepts(hosts, "dynamodb.eu-west-1.amazonaws.com"));
        assertFalse(Route.accepts(hosts, null));
        assertEquals(Set.of("dynamodb.us-east-1.amazonaws.com", "10.0.2.2", "fd00::2"),
                new Route("r", List.of(Destination.parse("10.0.2.2")), hosts, firewall, null).serverNames());
    }
}
