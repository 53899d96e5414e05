package dev.weir.proxy.server;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.AuditSink;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transparent.Destination;
import dev.weir.proxy.transparent.Interception;
import dev.weir.proxy.transparent.Route;
import dev.weir.proxy.transparent.RouteTable;
import dev.weir.proxy.transparent.UnroutedConnection;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.StubStore;
import dev.weir.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transparent listener on loopback, in TPROXY mode (IP_TRANSPARENT set on the listener, so
 * root or CAP_NET_ADMIN is needed): bound on 0.0.0.0, it is reached at 127.0.0.1, 127.0.0.2 and
 * 127.0.0.3 (all loopback), and the accepted socket's local address is the address the client
 * dialled, as it is for a TPROXYed connection. Route A is 127.0.0.1, route B 127.0.0.2, each
 * with its own store; 127.0.0.3 is in no route. The kernel's interception itself is tested in
 * network namespaces by the appliance's TransparentNamespacesEndToEndTest.
 */
class TransparentServerTest {
    private static final String POLICY = """
            role admin
            @id("admin-all") allow admin on table * op *
            """;
    private static final Principal ADMIN = new Principal("admin", "AKADMIN", "admin-secret", null, List.of("admin"), Map.of());

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private EventLoopGroup boss, workers;
    private Transport transport = Transport.EPOLL;
    private AuditPipeline audit;
    private int port;

    @BeforeEach
    void loops() throws Exception {
        assumeTrue(Transport.EPOLL.unavailabilityCause() == null, "native epoll is not available here");
        boss = Transport.EPOLL.newEventLoopGroup(1);
        workers = Transport.EPOLL.newEventLoopGroup(2);
        audit = new AuditPipeline(new AuditSink() {
            @Override public void write(AuditEvent event) {
                events.add(event);
            }

            @Override public void flush() {}

            @Override public void close() {}
        }, "test", 1024);
        toClose.add(audit);
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        if (boss != null) boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Route route(String name, String dst, Set<String> hosts, String itemName, SslContext tls) throws Exception {
        byte[] item = ("{\"Item\":{\"id\":{\"S\":\"p-1\"},\"name\":{\"S\":\"" + itemName + "\"}}}").getBytes(StandardCharsets.UTF_8);
        StubStore store = new StubStore(body -> new StubStore.Answer(0, item));
        toClose.add(store);
        UpstreamClient upstream = new UpstreamClient(URI.create("http://127.0.0.1:" + store.port()),
                new SigV4Signer(new Credentials("UPSTREAM-" + name, "upstream-secret"), "us-east-1", "dynamodb"), transport,
                workers, 2, Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
        toClose.add(upstream);
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY)));
        assertTrue(loaded.ok(), loaded.diagnostics().toString());
        Firewall firewall = Firewall.builder().identifier(new Identifier(new PrincipalDirectory(List.of(ADMIN)), Clock.systemUTC()))
                .policy(new PolicyHolder(new PolicySnapshot(loaded.table().orElseThrow(), loaded.contentHash())))
                .upstream(upstream).audit(audit).store(name, hosts).build();
        return new Route(name, List.of(Destination.parse(dst)), hosts, firewall, tls);
    }

    private TransparentServer start(Route... routes) throws Exception {
        TransparentServer server;
        try {
            server = TransparentServer.start("0.0.0.0", port, Interception.TPROXY, transport, boss, workers,
                    new RouteTable(List.of(routes)), ProxyServer.Limits.DEFAULT, audit);
        } catch (Exception e) {
            assumeTrue(false, "IP_TRANSPARENT needs root or CAP_NET_ADMIN: " + e);
            throw e;
        }
        toClose.add(server);
        return server;
    }

    @Test
    void eachDestinationReachesItsOwnStoreAndAnUnknownOneIsClosedAndAudited() throws Exception {
        TransparentServer server = start(route("store-a", "127.0.0.1:" + port, Set.of("127.0.0.1:" + port), "Ada", null),
                route("store-b", "127.0.0.2", Set.of("127.0.0.2:" + port), "Bob", null));
        assertTrue(exchange("127.0.0.1", "127.0.0.1:" + port).contains("\"Ada\""));
        assertTrue(exchange("127.0.0.2", "127.0.0.2:" + port).contains("\"Bob\""));
        try (Socket s = new Socket("127.0.0.3", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(getItem("127.0.0.3:" + port));
            assertEquals(-1, s.getInputStream().read(), "a connection to a destination in no route is closed unanswered");
        } catch (IOException reset) {
            // closed under the write: refused all the same
        }
        assertEquals(1, server.unrouted());
        awaitEvents(3);
        AuditEvent unrouted = events.stream().filter(e -> UnroutedConnection.OPERATION.equals(e.operation())).findFirst().orElseThrow();
        assertEquals("DENIED", unrouted.decision());
        assertTrue(unrouted.note().contains("127.0.0.3 port " + port), unrouted.note());
        assertTrue(events.stream().anyMatch(e -> "store-a/people".equals(e.table())), "audit records name the store: " + events);
        assertTrue(events.stream().anyMatch(e -> "store-b/people".equals(e.table())), "audit records name the store: " + events);
    }

    @Test
    void theIoUringListenerSetsIpTransparentAndRoutesTheSame() throws Exception {
        assumeTrue(Transport.IO_URING.unavailabilityCause() == null, "io_uring is not available here");
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        transport = Transport.IO_URING;
        boss = transport.newEventLoopGroup(1);
        workers = transport.newEventLoopGroup(2);
        TransparentServer server = start(route("store-a", "127.0.0.1:" + port, Set.of("127.0.0.1:" + port), "Ada", null),
                route("store-b", "127.0.0.2", Set.of("127.0.0.2:" + port), "Bob", null));
        assertTrue(exchange("127.0.0.2", "127.0.0.2:" + port).contains("\"Bob\""));
        assertTrue(exchange("127.0.0.1", "127.0.0.1:" + port).contains("\"Ada\""));
        try (Socket s = new Socket("127.0.0.3", port)) {
            s.setSoTimeout(5_000);
            assertEquals(-1, s.getInputStream().read());
        } catch (IOException reset) {
            // refused all the same
        }
        assertEquals(1, server.unrouted());
    }

    @Test
    void theNioTransportIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransparentServer.start("127.0.0.1", 0,
                Interception.REDIRECT, Transport.NIO, boss, workers, new RouteTable(List.of()), ProxyServer.Limits.DEFAULT, null));
        assertTrue(e.getMessage().contains("epoll or io_uring"), e.getMessage());
    }

    @Test
    void aRequestWhoseHostNamesAnotherStoreIsRefusedThoughItsSignatureIsGood() throws Exception {
        start(route("store-a", "127.0.0.1:" + port, Set.of("127.0.0.1:" + port), "Ada", null),
                route("store-b", "127.0.0.2:" + port, Set.of("127.0.0.2:" + port), "Bob", null));
        String answer = exchange("127.0.0.1", "127.0.0.2:" + port);
        assertTrue(answer.contains("InvalidSignatureException") && !answer.contains("Ada") && !answer.contains("Bob"), answer);
        awaitEvents(1);
        assertEquals("UNAUTHENTICATED", events.getFirst().decision(), events.toString());
    }

    @Test
    void tlsClientsGetTheRoutesCertificateByNameOrWithoutSniAndNoneForAnotherName() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("store-a.test", "EC", 256);
        SslContext tls = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
        start(route("store-a", "127.0.0.1:" + port, Set.of("store-a.test", "127.0.0.1:" + port), "Ada", tls));
        assertEquals("CN=store-a.test", tlsExchange("store-a.test", "store-a.test").getSubjectX500Principal().getName());
        assertEquals("CN=store-a.test", tlsExchange(null, "127.0.0.1:" + port).getSubjectX500Principal().getName());
        assertThrows(SSLException.class, () -> tlsExchange("store-b.test", "store-b.test"));
    }

    /** A GetItem over TLS to 127.0.0.1 with this SNI (null: none) and Host; the server's certificate, once the answer is the store's. */
    private X509Certificate tlsExchange(String sni, String host) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            s.setSoTimeout(5_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
            s.startHandshake();
            s.getOutputStream().write(getItem(host));
            String answer = PipelinedRequestsTest.readResponse(s.getInputStream());
            assertTrue(answer.contains("\"Ada\""), answer);
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private void awaitEvents(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.size() < n && System.nanoTime() < until) Thread.sleep(10);
        assertTrue(events.size() >= n, "audit events: " + events);
    }

    private String exchange(String address, String host) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(getItem(host));
            return PipelinedRequestsTest.readResponse(s.getInputStream());
        }
    }

    private static byte[] getItem(String host) {
        byte[] body = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", host),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        headers.addAll(new SigV4Signer(new Credentials(ADMIN.accessKeyId(), ADMIN.secretAccessKey()), "us-east-1", "dynamodb")
                .sign("POST", "/", headers, body, Instant.now()));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
