package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Plain, signed, one-at-a-time DynamoDB calls for setting a benchmark up (tables, preload,
 * checks) and for checking answers; not for load.
 */
public final class DynamoCalls {
    /** Headers the JDK client sets itself and refuses to take. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    private final Endpoint endpoint;
    private final RequestSigner signer;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI uri;

    public DynamoCalls(Endpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.signer = new RequestSigner(endpoint, Instant.now());
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.uri = URI.create("http://" + endpoint.hostHeader() + "/");
    }

    /** An answer: HTTP status and JSON body. */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status == 200;
        }
    }

    public Answer call(Operation operation, ObjectNode request) {
        try {
            byte[] body = mapper.writeValueAsBytes(request);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, String> h : signer.headers(operation, body, Instant.now())) {
                if (!RESTRICTED.contains(h.getKey().toLowerCase())) b.header(h.getKey(), h.getValue());
            }
            HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            JsonNode json = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(operation + " on " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Calls and insists on HTTP 200. */
    public JsonNode require(Operation operation, ObjectNode request) {
        Answer a = call(operation, request);
        if (!a.ok()) {
            throw new IllegalStateException(operation + " on " + endpoint + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }
}
