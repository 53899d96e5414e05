package dev.weir.lifecycle.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.wire.JsonBodies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Calls a trigger's function: {@code POST} of
 * {@code {"trigger","eventId","table","records":[...]}} with the headers
 * {@code X-Weir-Idempotency-Key} (the event id of a single record, or the hex SHA-256 of a
 * batch's event ids joined by commas), {@code X-Weir-Timestamp} (epoch seconds) and
 * {@code X-Weir-Signature} ({@link Signature}). The same batch always gets the same key, so
 * a function that remembers keys acts once however often weir retries.
 */
public final class FunctionClient {
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Function<String, Signature> signatures;

    /** @param signatures the signature of a trigger (by id): its own secret or the global one; null when it has none */
    public FunctionClient(Duration timeout, Clock clock, Function<String, Signature> signatures) {
        this.timeout = timeout;
        this.clock = clock;
        this.signatures = signatures;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Whether calls of this trigger can be signed; a trigger without a secret is not run (fail closed). */
    public boolean canSign(String trigger) {
        return signatures.apply(trigger) != null;
    }

    /** The idempotency key of a batch of event ids. */
    public static String idempotencyKey(List<String> eventIds) {
        if (eventIds.size() == 1) return eventIds.getFirst();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join(",", eventIds).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of a call. */
    public static byte[] body(String trigger, String table, List<? extends JsonNode> records, String key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("trigger", trigger);
        body.put("eventId", key);
        body.put("table", table);
        ArrayNode array = body.putArray("records");
        records.forEach(array::add);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One call; never throws. */
    public CallResult call(URI url, String trigger, String table, List<? extends JsonNode> records, List<String> eventIds) {
        Signature signature = signatures.apply(trigger);
        if (signature == null) return new CallResult(false, 0, "no signing secret for this trigger", Duration.ZERO);
        String key = idempotencyKey(eventIds);
        return send(url, trigger, key, body(trigger, table, records, key));
    }

    /** One signed {@code POST} of a body already built (scheduled and API-call triggers); never throws. */
    public CallResult send(URI url, String trigger, String key, byte[] body) {
        Signature signature = signatures.apply(trigger);
        if (signature == null) return new CallResult(false, 0, "no signing secret for this trigger", Duration.ZERO);
        long timestamp = clock.instant().getEpochSecond();
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("X-Weir-Trigger", trigger)
                    .header("X-Weir-Idempotency-Key", key)
                    .header("X-Weir-Timestamp", Long.toString(timestamp))
                    .header("X-Weir-Signature", signature.sign(timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            int status = response.statusCode();
            return status / 100 == 2 ? new CallResult(true, status, "", latency)
                    : new CallResult(false, status, "HTTP " + status, latency);
        } catch (HttpTimeoutException e) {
            return new CallResult(false, 0, "timed out after " + timeout.toMillis() + " ms", Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | IllegalArgumentException e) {
            return new CallResult(false, 0, "connection: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CallResult(false, 0, "interrupted", Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
