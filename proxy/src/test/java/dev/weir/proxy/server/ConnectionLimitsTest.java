package dev.weir.proxy.server;

import dev.weir.proxy.enforce.FirewallHarness;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection limits on a real listener, from several loopback sources (127.0.0.2 and up answer
 * on lo without setup): a source over its own limit and anyone over the global limit get a
 * DynamoDB 503 with Retry-After, not a silent close; other sources are still served; silent
 * connections leave at the first-byte deadline and free their slots.
 */
class ConnectionLimitsTest {
    private static final long FIRST_BYTE_MS = 1_000;

    private final List<Socket> sockets = new ArrayList<>();
    private FirewallHarness weir;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ProxyServer server;

    private void start(int max, int perSource, SslContext tls) throws Exception {
        weir = new FirewallHarness("role admin\n@id(\"all\") allow admin on table * op *\n",
                (target, body) -> Map.entry(200, "{\"TableNames\":[]}"), Map.of());
        boss = Transport.NIO.newEventLoopGroup(1);
        workers = Transport.NIO.newEventLoopGroup(2);
        server = ProxyServer.start("127.0.0.1", 0, Transport.NIO, boss, workers, weir.firewall,
                ProxyServer.Limits.builder().maxConnections(max).maxConnectionsPerSource(perSource)
                        .firstByteTimeoutMillis(FIRST_BYTE_MS).build(), tls);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
        if (boss != null) boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (weir != null) weir.close();
    }

    @Test
    void aSourceOverItsLimitIsAnsweredWith503AndOthersAreStillServed() throws Exception {
        start(100, 3, null);
        for (int i = 0; i < 3; i++) assertNull(silentFrom("127.0.0.2"), "within the source's limit: held open");
        String refused = exchange("127.0.0.2", health());
        assertRefused(refused, "too many open connections from your address");
        assertTrue(exchange("127.0.0.3", health()).startsWith("HTTP/1.1 200 OK"), "another source is served");
        assertTrue(exchange("127.0.0.1", health()).startsWith("HTTP/1.1 200 OK"));
    }

    @Test
    void atTheGlobalLimitEveryoneGetsA503WithRetryAfterUntilSilentConnectionsLeave() throws Exception {
        start(4, 2, null);
        long t0 = System.nanoTime();
        for (String source : List.of("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3")) assertNull(silentFrom(source));
        assertRefused(exchange("127.0.0.1", health()), "weir has too many open connections");
        // The four sent nothing: they are closed at the first-byte deadline, and their slots are free.
        for (Socket s : sockets) {
            s.setSoTimeout(5_000);
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= FIRST_BYTE_MS - 50 && ms < FIRST_BYTE_MS + 1_500, "silent connections closed after " + ms + " ms");
        String served = "";
        for (int i = 0; i < 50 && !served.startsWith("HTTP/1.1 200"); i++) {
            served = exchange("127.0.0.1", health());
            if (!served.startsWith("HTTP/1.1 200")) Thread.sleep(20);
        }
        assertTrue(served.startsWith("HTTP/1.1 200 OK"), served);
    }

    @Test
    void overTheLimitATlsClientGetsTheAnswerAfterTheHandshake() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
        start(1, 1, SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build());
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        assertNull(silentFrom("127.0.0.2"));
        try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
            tls.bind(new InetSocketAddress("127.0.0.3", 0));
            tls.connect(server.address(), 5_000);
            tls.setSoTimeout(5_000);
            tls.getOutputStream().write(health().getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            assertRefused(readAll(tls.getInputStream()), "weir has too many open connections");
        }
    }

    @Test
    void aSourceIsAnIpv4AddressOrAnIpv6Slash64() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:aaaa::1"), 1);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:bbbb::9"), 2);
        InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("2001:db8:1:3::1"), 1);
        assertEquals(ConnectionLimiter.source(a), ConnectionLimiter.source(b));
        assertTrue(!ConnectionLimiter.source(a).equals(ConnectionLimiter.source(other)));
        assertEquals(InetAddress.getByName("10.1.2.3"),
                ConnectionLimiter.source(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5)));
        assertEquals(InetAddress.getByName("10.1.2.3"), ConnectionLimiter.source(new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3}), 5)));
        assertNull(ConnectionLimiter.source(null));
    }

    @Test
    void countsGoBackWhenConnectionsClose() {
        ConnectionLimiter limiter = new ConnectionLimiter(3, 2);
        InetSocketAddress x = new InetSocketAddress("127.0.0.2", 1), y = new InetSocketAddress("127.0.0.3", 1);
        ConnectionLimiter.Admission x1 = limiter.admit(x), x2 = limiter.admit(x);
        assertTrue(limiter.admit(x) instanceof ConnectionLimiter.Refused r && r.answer());
        ConnectionLimiter.Admission y1 = limiter.admit(y);
        assertTrue(limiter.admit(y) instanceof ConnectionLimiter.Refused, "global limit");
        assertEquals(3, limiter.open());
        limiter.release(x1);
        assertEquals(1, limiter.openFrom(x));
        assertTrue(limiter.admit(x) instanceof ConnectionLimiter.Admitted);
        limiter.release(x2);
        limiter.release(y1);
        assertEquals(1, limiter.open());
        assertEquals(0, limiter.openFrom(y));
    }

    /** Opens a connection from {@code source} that sends nothing; what it received within 200 ms (null: nothing, still open). */
    private String silentFrom(String source) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(source, 0));
        s.connect(server.address(), 5_000);
        s.setSoTimeout(200);
        try {
            int b = s.getInputStream().read();
            return b < 0 ? "closed" : "answered";
        } catch (java.net.SocketTimeoutException quiet) {
            return null;
        }
    }

    /** Sends {@code request} from {@code source} and reads until the server closes. */
    private String exchange(String source, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(server.address(), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }

    private static String health() {
        return "GET / HTTP/1.1\r\nHost: weir\r\nConnection: close\r\n\r\n";
    }

    private static void assertRefused(String response, String message) {
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        assertTrue(response.contains("\r\nRetry-After: 1\r\n"), response);
        assertTrue(response.contains("\r\nContent-Type: application/x-amz-json-1.0\r\n"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertTrue(response.endsWith("{\"__type\":\"com.amazon.coral.service#ServiceUnavailableException\",\"message\":\""
                + message + "; retry later\"}"), response);
    }
}
