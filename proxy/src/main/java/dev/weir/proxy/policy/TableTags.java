package dev.weir.proxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.upstream.LookupCache;
import dev.weir.proxy.upstream.UpstreamResponse;
import dev.weir.proxy.upstream.WeirCall;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    private final BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream;
    private final LookupCache<Map<String, String>> cache;

    /**
     * @param upstream sends one request (X-Amz-Target, body) to the upstream, signed as weir
     * @param ttl      how long an answer is used before it is asked again
     */
    public TableTags(BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream, Duration ttl,
                     LongSupplier nanos) {
        this.upstream = upstream;
        this.cache = new LookupCache<>(this::fetch, ttl, nanos);
    }

    /** The tags of each table, from the cache where fresh, else from the upstream. */
    public CompletableFuture<Map<String, Map<String, String>>> of(Collection<String> tables) {
        Map<String, CompletableFuture<Map<String, String>>> pending = new LinkedHashMap<>();
        for (String table : tables) pending.put(table, cache.get(table));
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Map<String, String>> known = new LinkedHashMap<>();
            pending.forEach((table, tags) -> known.put(table, tags.join()));
            return known;
        });
    }

    /** Forgets every cached answer (after a TagResource or UntagResource went through weir). */
    public void invalidate() {
        cache.invalidateAll();
    }

    /** The table's tags from the upstream; none when the table does not exist. */
    private CompletableFuture<Map<String, String>> fetch(String table) {
        return describe(table).thenCompose(arn -> arn == null
                        ? CompletableFuture.completedFuture(Map.<String, String>of())
                        : list(arn, null, new LinkedHashMap<>()))
                .thenApply(Map::copyOf);
    }

    /** The table's ARN, or null when the table does not exist. */
    private CompletableFuture<String> describe(String table) {
        ObjectNode body = JSON.createObjectNode().put("TableName", table);
        return call(Operation.DescribeTable, body).thenApply(r -> {
            if (WeirCall.notFound(r)) return null;
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
        return WeirCall.send(upstream, op, body);
    }

    private static JsonNode ok(UpstreamResponse r, String what) {
        return WeirCall.ok(r, what);
    }
}
