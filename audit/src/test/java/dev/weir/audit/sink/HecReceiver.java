package dev.weir.audit.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Splunk HTTP Event Collector stand-in (the JDK's HttpServer) that checks what Splunk
 * checks: POST to /services/collector/event, {@code Authorization: Splunk TOKEN} (401 without
 * it, 403 with a wrong one), a body of JSON envelopes each with a numeric time, host, source,
 * sourcetype and an event (else 400 "Invalid data format" naming the event, as Splunk does).
 * An event whose principal is "poison" is refused with 400, to test permanent errors. It can
 * answer 503 for a while, or be stopped and started again on the same port.
 */
final class HecReceiver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    final String token;
    final List<JsonNode> envelopes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    volatile boolean unavailable;
    private int port;
    private HttpServer server;

    HecReceiver(String token) throws IOException {
        this.token = token;
        start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        port = server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** Stops listening: connections are refused until {@link #start}. */
    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /** The event.sequence of every accepted ECS event, in arrival order. */
    List<Long> sequences() {
        synchronized (envelopes) {
            return envelopes.stream().map(e -> e.get("event").get("event.sequence").asLong()).toList();
        }
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        byte[] body = x.getRequestBody().readAllBytes();
        if (!x.getRequestMethod().equals("POST") || !x.getRequestURI().getPath().equals(HecSink.EVENT_PATH)) {
            answer(x, 404, "{\"text\":\"The requested URL was not found on this server.\",\"code\":404}");
            return;
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            answer(x, 401, "{\"text\":\"Token is required\",\"code\":2}");
            return;
        }
        if (!auth.equals("Splunk " + token)) {
            answer(x, 403, "{\"text\":\"Invalid token\",\"code\":4}");
            return;
        }
        if (unavailable) {
            answer(x, 503, "{\"text\":\"Server is busy\",\"code\":9}");
            return;
        }
        List<JsonNode> batch = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (it.hasNext()) {
                JsonNode e = it.next();
                int n = batch.size();
                if (!e.path("time").isNumber() || !e.path("host").isTextual() || !e.path("source").isTextual()
                        || !e.path("sourcetype").isTextual() || e.path("event").isMissingNode() || e.get("event").isNull()) {
                    answer(x, 400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":" + n + "}");
                    return;
                }
                JsonNode ev = e.get("event");
                if (ev.isObject() && "poison".equals(ev.path("user.name").asText())
                        || ev.isTextual() && ev.asText().contains("poison")) {
                    answer(x, 400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":" + n + "}");
                    return;
                }
                batch.add(e);
            }
        } catch (IOException bad) {
            answer(x, 400, "{\"text\":\"Invalid data format\",\"code\":6}");
            return;
        }
        if (batch.isEmpty()) {
            answer(x, 400, "{\"text\":\"No data\",\"code\":5}");
            return;
        }
        envelopes.addAll(batch);
        answer(x, 200, "{\"text\":\"Success\",\"code\":0}");
    }

    private void answer(HttpExchange x, int status, String json) throws IOException {
        if (status != 200) failures.incrementAndGet();
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
