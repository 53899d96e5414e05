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
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.StubStore;
import dev.weir.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole data path on one event loop: with the upstream client on the listener's worker
 * loops (as the appliance wires it), every answer the firewall gives completes on the client
 * connection's own loop, so the write to the client needs no hand-off; with the upstream client
 * on other loops, every forwarded answer needs one (which shows the count can see a hop).
 */
class OneLoopPerRequestTest {
    private static final String POLICY = """
            role admin
            @id("admin-all") allow admin on table * op *
            """;
    private static final Principal ADMIN = new Principal("admin", "AKADMIN", "admin-secret", null, List.of("admin"), Map.of());
    private static final byte[] ITEM = "{\"Item\":{\"id\":{\"S\":\"p-1\"},\"name\":{\"S\":\"Ada\"}}}".getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        for (EventLoopGroup g : groups) g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private EventLoopGroup group(int threads) {
        EventLoopGroup g = Transport.NIO.newEventLoopGroup(threads);
        groups.add(g);
        return g;
    }

    /** weir (async audit) on 2 worker loops, its upstream client on {@code upstreamLoops}, in front of a stub store. */
    private ProxyServer weir(EventLoopGroup workers, EventLoopGroup upstreamLoops, int storePort) throws Exception {
        UpstreamClient upstream = new UpstreamClient(URI.create("http://127.0.0.1:" + storePort),
                new SigV4Signer(new Credentials("UPSTREAM", "upstream-secret"), "us-east-1", "dynamodb"), Transport.NIO,
                upstreamLoops, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
        toClose.add(upstream);
        AuditPipeline audit = new AuditPipeline(new AuditSink() {
            @Override public void write(AuditEvent event) {
                events.add(event);
            }

            @Override public void flush() {}

            @Override public void close() {}
        }, "test", 1024);
        toClose.add(audit);
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY)));
        assertTrue(loaded.ok(), loaded.diagnostics().toString());
        Firewall firewall = Firewall.builder().identifier(new Identifier(new PrincipalDirectory(List.of(ADMIN)), Clock.systemUTC()))
                .policy(new PolicyHolder(new PolicySnapshot(loaded.table().orElseThrow(), loaded.contentHash())))
                .upstream(upstream).audit(audit).build();
        ProxyServer server = ProxyServer.start("127.0.0.1", 0, Transport.NIO, group(1), workers, firewall,
                ProxyServer.Limits.DEFAULT, null);
        toClose.add(server);
        return server;
    }

    /** Four keep-alive connections (spread over the two worker loops), ten GetItems each, and one refused request each. */
    private static void traffic(ProxyServer server) throws Exception {
        for (int c = 0; c < 4; c++) {
            try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
                s.setSoTimeout(10_000);
                for (int i = 0; i < 10; i++) {
                    s.getOutputStream().write(getItem(server, ADMIN.secretAccessKey()));
                    String body = PipelinedRequestsTest.readResponse(s.getInputStream());
                    assertTrue(body.contains("\"Ada\""), body);
                }
                s.getOutputStream().write(getItem(server, "not-the-secret"));
                assertTrue(PipelinedRequestsTest.readResponse(s.getInputStream()).contains("InvalidSignatureException"));
            }
        }
    }

    @Test
    void withTheUpstreamOnTheWorkerLoopsEveryAnswerIsWrittenFromTheClientsOwnLoop() throws Exception {
        StubStore store = new StubStore(body -> new StubStore.Answer(0, ITEM));
        toClose.add(store);
        EventLoopGroup workers = group(2);
        ProxyServer server = weir(workers, workers, store.port());
        traffic(server);
        assertEquals(0, server.answersOffLoop(), "no answer came on another thread than its connection's loop");
        assertTrue(store.connections() <= 2, "at most one upstream connection per loop for sequential clients, was "
                + store.connections());
    }

    @Test
    void withTheUpstreamOnOtherLoopsEveryForwardedAnswerHopsBack() throws Exception {
        StubStore store = new StubStore(body -> new StubStore.Answer(0, ITEM));
        toClose.add(store);
        ProxyServer server = weir(group(2), group(2), store.port());
        traffic(server);
        // An answer that is complete before the handler chains its write on it is written on the
        // client's loop all the same, so not every one of the 40 forwarded answers need count.
        long off = server.answersOffLoop();
        assertTrue(off >= 20 && off <= 40, "forwarded answers came on the upstream's loops: " + off + " of 40 hopped");
    }

    private static byte[] getItem(ProxyServer server, String secret) {
        byte[] body = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "127.0.0.1:" + server.address().getPort()),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        headers.addAll(new SigV4Signer(new Credentials(ADMIN.accessKeyId(), secret), "us-east-1", "dynamodb")
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
