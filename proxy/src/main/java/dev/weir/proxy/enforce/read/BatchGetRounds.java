package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.upstream.UpstreamResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A BatchGetItem for a caller whose view of some table is restricted, read to the end. The
 * store answers at most 16 MB of items and hands the rest back as {@code UnprocessedKeys}; the
 * 16 MB count whole stored items, hidden rows and fields included, so which keys come back
 * unprocessed depends on what the caller may not see. weir therefore asks the store again for
 * the unprocessed keys, round after round, until none remain, and answers every item at once:
 * the caller's {@code UnprocessedKeys} is always empty. If the deadline passes first, the
 * future fails with a {@link TimeoutException} (the caller gets a 503 and may retry the whole
 * batch). An error answer of any round is the answer, as the store gave it.
 *
 * <p>The merged answer holds {@code Responses} (each table's items of every round, in the
 * order of the rounds), an empty {@code UnprocessedKeys}, and the first round's other members
 * as they were (the {@link ResponsePlan} decides what of those the caller sees).
 */
public final class BatchGetRounds {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private BatchGetRounds() {}

    /**
     * @param first the body of the first round (the request as weir forwards it)
     * @param send  sends one BatchGetItem body to the store
     */
    public static CompletableFuture<UpstreamResponse> run(byte[] first, Function<byte[], CompletableFuture<UpstreamResponse>> send,
                                                          long deadlineNanos, LongSupplier nanos) {
        return round(first, send, null, deadlineNanos, nanos, false);
    }

    /**
     * As {@link #run}, where each future {@code send} gives fails with a {@link TimeoutException}
     * by the deadline on its own (as {@code UpstreamClient.send} with this deadline does): no
     * timer of its own per round. A deadline passed between rounds still ends the read.
     */
    public static CompletableFuture<UpstreamResponse> runOnSendsKeepingTheDeadline(
            byte[] first, Function<byte[], CompletableFuture<UpstreamResponse>> send, long deadlineNanos, LongSupplier nanos) {
        return round(first, send, null, deadlineNanos, nanos, true);
    }

    private static CompletableFuture<UpstreamResponse> round(byte[] body, Function<byte[], CompletableFuture<UpstreamResponse>> send,
                                                             ObjectNode merged, long deadlineNanos, LongSupplier nanos,
                                                             boolean sendKeepsDeadline) {
        long left = deadlineNanos - nanos.getAsLong();
        if (left <= 0) return CompletableFuture.failedFuture(deadlinePassed());
        CompletableFuture<UpstreamResponse> sent;
        try {
            sent = send.apply(body);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return (sendKeepsDeadline || sent.isDone() ? sent : sent.copy().orTimeout(left, TimeUnit.NANOSECONDS))
                .exceptionallyCompose(err -> CompletableFuture.failedFuture(
                        unwrap(err) instanceof TimeoutException ? deadlinePassed() : unwrap(err)))
                .thenCompose(r -> {
                    if (r.status() != 200) return CompletableFuture.completedFuture(r);
                    ObjectNode answer = tree(r.body());
                    ObjectNode all = merged == null ? answer : merge(merged, answer);
                    JsonNode unprocessed = answer.get("UnprocessedKeys");
                    if (unprocessed == null || !unprocessed.isObject() || unprocessed.isEmpty()) {
                        all.putObject("UnprocessedKeys");
                        if (merged == null) return CompletableFuture.completedFuture(r);
                        return CompletableFuture.completedFuture(new UpstreamResponse(200, null, bytes(all)));
                    }
                    ObjectNode next = JSON.createObjectNode();
                    next.set("RequestItems", unprocessed);
                    all.remove("UnprocessedKeys");
                    return round(bytes(next), send, all, deadlineNanos, nanos, sendKeepsDeadline);
                });
    }

    /** The items of {@code answer} appended to {@code merged}'s, table by table. */
    private static ObjectNode merge(ObjectNode merged, ObjectNode answer) {
        ObjectNode responses = merged.get("Responses") instanceof ObjectNode o ? o : merged.putObject("Responses");
        if (answer.get("Responses") instanceof ObjectNode more) {
            for (Map.Entry<String, JsonNode> table : more.properties()) {
                ArrayNode items = responses.get(table.getKey()) instanceof ArrayNode a ? a : responses.putArray(table.getKey());
                if (table.getValue() instanceof ArrayNode a) items.addAll(a);
                else throw new IllegalStateException("a table's items are not a list");
            }
        }
        return merged;
    }

    private static ObjectNode tree(byte[] body) {
        try {
            if (JSON.readTree(body) instanceof ObjectNode o) return o;
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable BatchGetItem answer", e);
        }
        throw new IllegalStateException("a BatchGetItem answer that is not an object");
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TimeoutException deadlinePassed() {
        return new TimeoutException("weir could not read every key of the batch before its deadline");
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
