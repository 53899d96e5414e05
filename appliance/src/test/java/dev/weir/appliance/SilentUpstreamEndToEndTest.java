package dev.weir.appliance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upstream that accepts connections and never answers: every caller gets a 503 in bounded time, none hangs. */
class SilentUpstreamEndToEndTest {
    @Test
    void callersWaitingForABusyPooledConnectionTimeOutToo(@TempDir Path home) throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (Exception closed) {
                    // test over
                }
            });
            int proxyPort = ApplianceProcess.freePort();
            Path config = home.resolve("weir.yaml");
            Files.writeString(config, """
                    store: {enabled: false}
                    proxy: {port: %d}
                    upstream: {endpoint: 'http://127.0.0.1:%d', access_key_id: U, secret_access_key: upstream-secret,
                               timeout_ms: 1000, max_connections: 1}
                    policies: %s
                    principals: %s
                    masking: {hash_key_id: k1}
                    """.formatted(proxyPort, silent.getLocalPort(), ApplianceProcess.CONF.resolve("policies"),
                    ApplianceProcess.CONF.resolve("principals.yaml")));
            try (ApplianceProcess weir = ApplianceProcess.start(home, config, proxyPort, -1)) {
                // Four callers, one pooled connection: without a bounded wait for the pool the
                // callers would be served one after another, the last after four timeouts.
                // One call first, untimed: the SDK's first call in a JVM loads and initialises a great deal,
                // which on a loaded machine takes seconds the firewall has no part in (weir's own audit
                // records ~1.0 s per call then, while the clients measured 3.5 to 6 s).
                try (DynamoDbClient warm = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                    assertEquals(503, assertThrows(DynamoDbException.class, warm::listTables).statusCode());
                }
                List<CompletableFuture<long[]>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    // the client is made before the clock starts: on a loaded machine making one takes a second of its own
                    DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        long t0 = System.nanoTime();
                        try (admin) {
                            admin.listTables();
                            return new long[] {200, (System.nanoTime() - t0) / 1_000_000};
                        } catch (DynamoDbException e) {
                            return new long[] {e.statusCode(), (System.nanoTime() - t0) / 1_000_000};
                        }
                    }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
                }
                for (CompletableFuture<long[]> c : calls) {
                    long[] r = c.get(30, TimeUnit.SECONDS);
                    assertEquals(503, r[0]);
                    assertTrue(r[1] < 2_600, "a caller waited " + r[1] + " ms (upstream timeout 1,000 ms)");
                }
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
