package dev.weir.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.weir.lifecycle.call.Signature;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP function on a free port, as a serverless function would be: it checks weir's
 * signature, remembers idempotency keys and acts once per key, and refuses (HTTP 500) any
 * batch holding a record whose new image has {@code poison: true}.
 */
public final class FunctionServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as received. */
    public record Call(String key, List<String> eventIds, JsonNode body, int status) {}

    private final HttpServer server;
    private final Signature signature;
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Idempotency key → how many times the function acted on it (must stay 1). */
    public final Map<String, AtomicInteger> acted = new ConcurrentHashMap<>();
    /** Every event id the function was given, successfully or not. */
    public final Set<String> seen = ConcurrentHashMap.newKeySet();
    public final AtomicInteger badSignatures = new AtomicInteger();
    private volatile int delayMillis;

    public FunctionServer(String secret) throws IOException {
        this.signature = new Signature(secret);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String ts = exchange.getRequestHeaders().getFirst("X-Weir-Timestamp");
                String sig = exchange.getRequestHeaders().getFirst("X-Weir-Signature");
                String key = exchange.getRequestHeaders().getFirst("X-Weir-Idempotency-Key");
                if (ts == null || sig == null || !sig.equals(signature.sign(Long.parseLong(ts), body))) {
                    badSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                JsonNode json = JSON.readTree(body);
                List<String> ids = new ArrayList<>();
                boolean poison = false;
                for (JsonNode r : json.path("records")) {
                    ids.add(r.path("eventID").asText());
                    seen.add(r.path("eventID").asText());
                    poison |= r.path("dynamodb").path("NewImage").path("poison").path("BOOL").asBoolean(false);
                }
                int status = poison ? 500 : 200;
                if (delayMillis > 0) Thread.sleep(delayMillis);
                if (!poison) acted.computeIfAbsent(key, k -> new AtomicInteger()).compareAndSet(0, 1); // act once per key
                calls.add(new Call(key, ids, json, status));
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                exchange.sendResponseHeaders(503, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public void delay(int millis) {
        delayMillis = millis;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override public void close() {
        server.stop(0);
    }
}
