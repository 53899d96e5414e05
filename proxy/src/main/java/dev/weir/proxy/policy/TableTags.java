package dev.weir.proxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.upstream.UpstreamResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The tags of the upstream's tables, for policies that read {@code ctx.table.tags}. weir asks
 * the upstream itself, with its own credentials (DescribeTable for the table's ARN, then
 * ListTagsOfResource, page by page), and keeps the answer for a while. A table that does not
 * exist has no tags. If the tags cannot be read, the future fails and the request is refused:
 * a deny that reads a tag must never be skipped because the tag was unknown.
 */
public final class TableTags {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(Map<String, String> tags, long fetchedNanos) {}

    private final BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream;
    private final long ttlNanos;
    private final LongSupplier nanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, String>>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param upstream sends one request (X-Amz-Target, body) to the upstream, signed as weir
     * @param ttl      how long an answer is used before it is asked again
     */
    public TableTags(BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream, Duration ttl,
                     LongSupplier nanos) {
        this.upstream = upstream;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
    }

    /** The tags of each table, from the cache where fresh, else from the upstream. */
    public CompletableFuture<Map<String, Map<String, String>>> of(Collection<String> tables) {
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
        long now = nanos.getAsLong();
        for (String table : tables) {
            Entry e = cache.get(table);
            if (e != null && now - e.fetchedNanos < ttlNanos) {
                known.put(table, e.tags);
            } else {
                pending.add(fetch(table).thenAccept(tags -> {
                    synchronized (known) {
                        known.put(table, tags);
                    }
                }));
            }
        }
        if (pending.isEmpty()) return CompletableFuture.completedFuture(known);
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> known);
    }

    /** Forgets every cached answer (after a TagResource or UntagResource went through weir). */
    public void invalidate() {
        cache.clear();
    }

    /** One fetch per table at a time; callers that arrive meanwhile share it. */
    private CompletableFuture<Map<String, String>> fetch(String table) {
        CompletableFuture<Map<String, String>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> running = inFlight.putIfAbsent(table, mine);
        if (running != null) return running;
        describe(table).thenCompose(arn -> arn == null
                        ? CompletableFuture.completedFuture(Map.<String, String>of())
                        : list(arn, null, new LinkedHashMap<>()))
                .whenComplete((tags, err) -> {
                    if (err == null) cache.put(table, new Entry(Map.copyOf(tags), nanos.getAsLong()));
                    inFlight.remove(table, mine);
                    if (err != null) mine.completeExceptionally(err);
                    else mine.complete(Map.copyOf(tags));
                });
        return mine;
    }

    /** The table's ARN, or null when the table does not exist. */
    private CompletableFuture<String> describe(String table) {
        ObjectNode body = JSON.createObjectNode().put("TableName", table);
        return call(Operation.DescribeTable, body).thenApply(r -> {
            if (r.status() == 400 && errorType(r.body()).equals("ResourceNotFoundException")) return null;
            JsonNode arn = ok(r, "DescribeTable").path("Table").path("TableArn");
            if (!arn.isTextual()) throw new IllegalStateException("DescribeTable gave no TableArn");
            return arn.asText();
        });
    }

    private CompletableFuture<Map<String, String>> list(String arn, String nextToken, Map<String, String> into) {
        ObjectNode body = JSON.createObjectNode().put("ResourceArn", arn);
        if (nextToken != null) body.put("NextToken", nextToken);
        return call(Operation.ListTagsOfResource, body).thenCompose(r -> {
            JsonNode answer = ok(r, "ListTagsOfResource");
            for (JsonNode tag : answer.path("Tags")) into.put(tag.path("Key").asText(), tag.path("Value").asText());
            JsonNode next = answer.path("NextToken");
            return next.isTextual() && !next.asText().isEmpty() ? list(arn, next.asText(), into)
                    : CompletableFuture.completedFuture(into);
        });
    }

    private CompletableFuture<UpstreamResponse> call(Operation op, ObjectNode body) {
        try {
            return upstream.apply(Target.of(op), JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static JsonNode ok(UpstreamResponse r, String what) {
        if (r.status() != 200) {
            throw new IllegalStateException(what + " answered " + r.status() + " " + errorType(r.body()));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " answered unreadable JSON", e);
        }
    }

    private static String errorType(byte[] body) {
        try {
            String type = JSON.readTree(body).path("__type").asText("");
            return type.substring(type.indexOf('#') + 1);
        } catch (IOException e) {
            return "";
        }
    }
}
