package dev.weir.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A request weir sends to the upstream on its own account (DescribeTable, ListTagsOfResource),
 * signed with its own credentials by the function it is given, and the reading of the answer.
 * An answer that is not a 200 with a JSON body is an exception naming the operation and the
 * store's error type, never its message (which could quote a value).
 */
public final class WeirCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WeirCall() {}

    /** Sends {@code body} as {@code op} through {@code upstream} (X-Amz-Target, body → answer). */
    public static CompletableFuture<UpstreamResponse> send(
            BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream, Operation op, ObjectNode body) {
        try {
            return upstream.apply(Target.of(op), JSON.writeValueAsBytes(body));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The answer's JSON, or an {@link IllegalStateException} when it is not a 200 with a JSON body. */
    public static JsonNode ok(UpstreamResponse r, String what) {
        if (r.status() != 200) {
            throw new IllegalStateException(what + " answered " + r.status() + " " + errorType(r));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " answered unreadable JSON", e);
        }
    }

    /** The error type of an answer without its namespace ({@code ResourceNotFoundException}), or "". */
    public static String errorType(UpstreamResponse r) {
        try {
            JsonNode tree = JSON.readTree(r.body());
            String type = tree == null ? "" : tree.path("__type").asText("");
            return type.substring(type.indexOf('#') + 1);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the answer says the table does not exist. */
    public static boolean notFound(UpstreamResponse r) {
        return r.status() == 400 && errorType(r).equals("ResourceNotFoundException");
    }
}
