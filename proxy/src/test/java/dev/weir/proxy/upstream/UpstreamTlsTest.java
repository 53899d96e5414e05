package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream client over https, against a real TLS store on loopback ({@link TlsStubStore})
 * with a test CA, on BoringSSL (where it loads) and on the JDK: requests go over verified TLS with
 * the endpoint's host as SNI, each pooled connection shakes hands once; a certificate of another
 * CA or for another host, or a peer that speaks no TLS, fails the exchange with an
 * {@link UpstreamTlsException} and the store never gets the request.
 */
class UpstreamTlsTest {
    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(2);
    private final EventLoopGroup storeGroup = Transport.NIO.newEventLoopGroup(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir Path dir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        storeGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Stream<SslProvider> providers() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.OPENSSL, SslProvider.JDK) : Stream.of(SslProvider.JDK);
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private UpstreamClient client(String endpoint, int maxConnections, SslContext tls) {
        return closing(new UpstreamClient(URI.create(endpoint), new SigV4Signer(new Credentials("AKIDTEST", "test-secret"),
                "us-east-1", "dynamodb"), Transport.NIO, group, maxConnections, Duration.ofMillis(1500), Duration.ofSeconds(10),
                Clock.systemUTC(), tls));
    }

    private static String body(UpstreamResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Sends on {@code loop}, as a client connection's handler would. */
    private static CompletableFuture<UpstreamResponse> sendOn(EventLoop loop, UpstreamClient client) {
        CompletableFuture<UpstreamResponse> seen = new CompletableFuture<>();
        loop.execute(() -> client.send("DynamoDB_20120810.ListTables", "{}".getBytes(StandardCharsets.UTF_8)).whenComplete((r, e) -> {
            if (e != null) seen.completeExceptionally(e);
            else seen.complete(r);
        }));
        return seen;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void forwardsOverVerifiedTlsWithSniAndOneHandshakePerPooledConnection(SslProvider provider) throws Exception {
        TestCa ca = new TestCa("store CA");
        // SNI carries dotted host names only (RFC 6066; both TLS stacks leave "localhost" out), so the
        // store is called by a name only this test resolves, to loopback
        TlsStubStore store = closing(new TlsStubStore(storeGroup, ca.server("store.weir.test")));
        UpstreamClient client = client("https://store.weir.test:" + store.port(), 2,
                UpstreamTls.clientContext(ca.writePem(dir.resolve("ca.pem")), provider))
                .connectingTo(new java.net.InetSocketAddress("127.0.0.1", store.port()));
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) loops.add((EventLoop) e);
        // three requests one after the other on each loop: each loop's pool makes one connection and keeps it
        for (int round = 0; round < 3; round++) {
            for (EventLoop loop : loops) {
                UpstreamResponse r = sendOn(loop, client).get(10, TimeUnit.SECONDS);
                assertEquals(200, r.status());
                assertTrue(body(r).startsWith("{\"n\":"), body(r));
            }
        }
        assertEquals(6, store.requests());
        assertEquals(2, store.handshakes(), "one handshake per pooled connection, one connection per loop");
        assertEquals(List.of("store.weir.test", "store.weir.test"), store.sniNames(), "the endpoint's host goes out as SNI");
        assertTrue(store.hosts().stream().allMatch(h -> h.equals("store.weir.test:" + store.port())), store.hosts().toString());
        assertEquals(0, client.acquired());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anIpEndpointIsVerifiedAgainstTheCertificatesIpNames(SslProvider provider) throws Exception {
        TestCa ca = new TestCa("store CA");
        TlsStubStore store = closing(new TlsStubStore(storeGroup, ca.server("127.0.0.1")));
        UpstreamClient client = client("https://127.0.0.1:" + store.port(), 1,
                UpstreamTls.clientContext(ca.writePem(dir.resolve("ca.pem")), provider));
        assertEquals(200, client.send("DynamoDB_20120810.ListTables", new byte[0]).get(10, TimeUnit.SECONDS).status());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aCertificateOfAnotherCaIsRefusedAndNothingIsSent(SslProvider provider) throws Exception {
        TestCa storeCa = new TestCa("store CA"), otherCa = new TestCa("some other CA");
        TlsStubStore store = closing(new TlsStubStore(storeGroup, storeCa.server("localhost")));
        UpstreamClient client = client("https://localhost:" + store.port(), 1,
                UpstreamTls.clientContext(otherCa.writePem(dir.resolve("other.pem")), provider));
        for (int i = 0; i < 2; i++) {
            Throwable t = failure(client.send("DynamoDB_20120810.ListTables", "{}".getBytes(StandardCharsets.UTF_8)));
            UpstreamTlsException tls = assertInstanceOf(UpstreamTlsException.class, t);
            assertTrue(tls.getMessage().contains("localhost:" + store.port()), tls.getMessage());
            assertTrue(!tls.reason().isBlank());
        }
        assertEquals(0, store.requests(), "no request reached the store");
        assertEquals(0, store.handshakes());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.acquired() != 0 && System.nanoTime() < until) Thread.sleep(10);
        assertEquals(0, client.acquired(), "the failed connections went back to the pool");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aCertificateForAnotherHostIsRefused(SslProvider provider) throws Exception {
        TestCa ca = new TestCa("store CA");
        TlsStubStore store = closing(new TlsStubStore(storeGroup, ca.server("store.other.example", "10.9.9.9")));
        UpstreamClient client = client("https://localhost:" + store.port(), 1,
                UpstreamTls.clientContext(ca.writePem(dir.resolve("ca.pem")), provider));
        UpstreamTlsException tls = assertInstanceOf(UpstreamTlsException.class,
                failure(client.send("DynamoDB_20120810.ListTables", new byte[0])));
        assertTrue(tls.reason().toLowerCase().contains("localhost") || tls.reason().toLowerCase().contains("name"), tls.reason());
        assertEquals(0, store.requests());
        // the same certificate is fine for the name it carries: the refusal is the name check, not the chain
        UpstreamClient byIp = client("https://127.0.0.1:" + store.port(), 1,
                UpstreamTls.clientContext(dir.resolve("ca.pem"), provider));
        assertInstanceOf(UpstreamTlsException.class, failure(byIp.send("DynamoDB_20120810.ListTables", new byte[0])));
        assertEquals(0, store.requests());
    }

    @Test
    void aStoreThatSpeaksNoTlsIsNeverSentTheRequestInPlainText() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        StubStore plain = closing(new StubStore(b -> {
            answered.incrementAndGet();
            return new StubStore.Answer(0, "{}".getBytes(StandardCharsets.UTF_8));
        }));
        TestCa ca = new TestCa("store CA");
        UpstreamClient client = client("https://localhost:" + plain.port(), 1,
                UpstreamTls.clientContext(ca.writePem(dir.resolve("ca.pem"))));
        Throwable t = failure(client.send("DynamoDB_20120810.ListTables", "{}".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(UpstreamTlsException.class, t, String.valueOf(t));
        assertEquals(0, answered.get(), "the plain store never read a request");
    }

    @Test
    void onlyHttpAndHttpsEndpointsAndNoTlsContextForPlainHttp() throws Exception {
        SslContext tls = UpstreamTls.clientContext(null);
        assertThrows(IllegalArgumentException.class, () -> client("http://127.0.0.1:1", 1, tls));
        assertThrows(IllegalArgumentException.class, () -> client("ftp://127.0.0.1:1", 1, null));
        // https without a context trusts the system's CAs (a client of a real Amazon DynamoDB endpoint)
        client("https://dynamodb.us-east-1.amazonaws.com", 1, null);
    }

    @Test
    void aCaFileThatIsNotPemCertificatesIsRefusedAtStartUp() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        SSLException e = assertThrows(SSLException.class, () -> UpstreamTls.clientContext(notPem));
        assertTrue(e.getMessage().contains("upstream.ca_file"), e.getMessage());
        assertThrows(SSLException.class, () -> UpstreamTls.clientContext(dir.resolve("missing.pem")));
    }
}
