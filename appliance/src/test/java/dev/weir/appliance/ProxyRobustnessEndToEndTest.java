package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** weir in front of an upstream that is down, and clients that send ambiguous or oversized requests. */
class ProxyRobustnessEndToEndTest {
    @TempDir
    static Path home;
    static ApplianceProcess weir;

    @BeforeAll
    static void start() throws Exception {
        int proxyPort = ApplianceProcess.freePort(), deadPort;
        do deadPort = ApplianceProcess.freePort(); while (deadPort == proxyPort);
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {port: %d, max_body_bytes: 65536}
                upstream: {endpoint: 'http://127.0.0.1:%d', access_key_id: U, secret_access_key: upstream-secret,
                           connect_timeout_ms: 1000}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                """.formatted(proxyPort, deadPort, ApplianceProcess.CONF.resolve("policies"),
                ApplianceProcess.CONF.resolve("principals.yaml")));
        weir = ApplianceProcess.start(home, config, proxyPort, deadPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void anUnreachableUpstreamGivesDynamoDbs5xxQuickly() {
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            long t0 = System.nanoTime();
            DynamoDbException e = assertThrows(DynamoDbException.class,
                    () -> admin.getItem(b -> b.tableName("people").key(Map.of("id",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("p-001")))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailableException", e.awsErrorDetails().errorCode());
            assertTrue(ms < 3000, "answered in " + ms + " ms");
        }
    }

    @Test
    void aSmugglingAttemptIsRefusedAndTheConnectionClosed() throws Exception {
        String reply = raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 400 Bad Request"), reply);
        assertTrue(reply.contains("both Content-Length and Transfer-Encoding"), reply);
        assertEquals(1, reply.split("HTTP/1.1 ", -1).length - 1, "exactly one response, then the connection closed");
    }

    @Test
    void anOversizedBodyGets413() throws Exception {
        String reply = raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n" + "x".repeat(70_000));
        assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
    }

    @Test
    void withoutATransportConfiguredEpollIsUsedWhereItRunsElseNioWithALogLine() {
        String log = String.join("\n", weir.output());
        if (io.netty.channel.epoll.Epoll.isAvailable()) {
            assertTrue(log.contains("(epoll transport)"), log);
        } else {
            assertTrue(log.contains("native epoll cannot run on this machine") && log.contains("(nio transport)"), log);
        }
    }

    @Test
    void browserPreflightsAreAnsweredAndResponsesCarryCorsHeaders() throws Exception {
        String preflight = rawLower("OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: x-amz-target,authorization\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(preflight.startsWith("http/1.1 200 ok"), preflight);
        assertTrue(preflight.contains("access-control-allow-origin: *"), preflight);
        assertTrue(preflight.contains("access-control-allow-headers: x-amz-target,authorization"), preflight);
        assertTrue(preflight.contains("access-control-max-age: 172800"), preflight);
        String denied = rawLower("POST / HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\nContent-Length: 2\r\n"
                + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nConnection: close\r\n\r\n{}");
        assertTrue(denied.contains("missingauthenticationtokenexception"), denied);
        assertTrue(denied.contains("access-control-allow-origin: *"), denied);
        assertTrue(denied.contains("access-control-expose-headers: x-amzn-requestid"), denied);
    }

    @Test
    void healthChecksAreAnsweredWithoutCredentials() throws Exception {
        String reply = raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 200 OK"), reply);
        assertTrue(reply.endsWith("healthy: weir\n"), reply);
    }

    private static String rawLower(String request) throws Exception {
        return raw(request).toLowerCase(java.util.Locale.ROOT);
    }

    /** Sends raw bytes and reads until the server closes the connection. */
    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", weir.proxyPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }
}
