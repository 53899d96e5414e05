package dev.weir.lifecycle.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.JsonBodies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The worker's line to the upstream store: DynamoDB JSON 1.0 requests (the table API and the
 * Streams API) signed with weir's own upstream credentials, as the firewall forwards them. The
 * worker reads stream records here, whole, and cuts each through the trigger role's read view
 * itself, with the firewall's code ({@link dev.weir.policy.trigger.RecordView}); it writes
 * only its own tables and the completion marks.
 */
public final class StoreClient {
    public static final String DYNAMODB = "DynamoDB_20120810.";
    public static final String STREAMS = "DynamoDBStreams_20120810.";
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private final URI endpoint;
    private final String host;
    private final SigV4Signer signer;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    public StoreClient(URI endpoint, SigV4Signer signer, Duration timeout, Clock clock) {
        this(endpoint, signer, timeout, clock, null);
    }

    /**
     * A client of {@code endpoint}; for an {@code https://} one, {@code tls} holds the CAs its
     * certificate must chain to (null: the JDK's default, the system's CAs). The JDK's client checks
     * the host name and sends SNI; it never retries in plain text.
     */
    public StoreClient(URI endpoint, SigV4Signer signer, Duration timeout, Clock clock, javax.net.ssl.SSLContext tls) {
        this.endpoint = endpoint.getPath() == null || endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        this.host = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) http.sslContext(tls);
        this.http = http.build();
    }

    /** A table API operation ({@code PutItem}). */
    public JsonNode dynamo(String operation, ObjectNode body) throws StoreException {
        return call(DYNAMODB + operation, body);
    }

    /** A Streams API operation ({@code GetRecords}). */
    public JsonNode streams(String operation, ObjectNode body) throws StoreException {
        return call(STREAMS + operation, body);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private JsonNode call(String target, ObjectNode body) throws StoreException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String contentType = "application/x-amz-json-1.0";
        List<Map.Entry<String, String>> signed = signer.sign("POST", endpoint.getRawPath(), List.of(
                Map.entry("host", host), Map.entry("content-type", contentType), Map.entry("x-amz-target", target)),
                bytes, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", contentType).header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (Map.Entry<String, String> h : signed) request.header(h.getKey(), h.getValue());
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StoreException(StoreException.TRANSPORT, target + ": " + e, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.TRANSPORT, target + ": interrupted", 0);
        }
        JsonNode json;
        try {
            json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new StoreException(StoreException.TRANSPORT, target + ": an answer that is not JSON (HTTP "
                    + response.statusCode() + ")", response.statusCode());
        }
        if (response.statusCode() / 100 != 2) {
            String type = json.path("__type").asText("UnknownError");
            type = type.substring(type.indexOf('#') + 1);
            String message = json.has("message") ? json.get("message").asText() : json.path("Message").asText("");
            throw new StoreException(type, message, response.statusCode());
        }
        return json;
    }
}
