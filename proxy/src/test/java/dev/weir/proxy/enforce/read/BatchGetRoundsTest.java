package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A BatchGetItem read round after round until no key is left unprocessed, within its deadline. */
class BatchGetRoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> sent = new ArrayList<>();

    private static UpstreamResponse ok(String json) {
        return new UpstreamResponse(200, null, json.getBytes(StandardCharsets.UTF_8));
    }

    private Function<byte[], CompletableFuture<UpstreamResponse>> store(UpstreamResponse... answers) {
        return body -> {
            sent.add(new String(body, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(answers[sent.size() - 1]);
        };
    }

    @Test
    void unprocessedKeysAreAskedForAgainAndTheItemsMerged() throws Exception {
        var first = ok("{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"1\"}}]},\"ConsumedCapacity\":[],"
                + "\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"2\"}},{\"pk\":{\"S\":\"3\"}}],\"ConsistentRead\":true},"
                + "\"u\":{\"Keys\":[{\"k\":{\"S\":\"a\"}}]}}}");
        var second = ok("{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"2\"}}],\"u\":[{\"k\":{\"S\":\"a\"}}]},"
                + "\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"3\"}}],\"ConsistentRead\":true}}}");
        var third = ok("{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"3\"}}]},\"UnprocessedKeys\":{}}");
        UpstreamResponse r = BatchGetRounds.run("{\"first\":1}".getBytes(StandardCharsets.UTF_8), store(first, second, third),
                System.nanoTime() + 10_000_000_000L, System::nanoTime).get();
        assertEquals(200, r.status());
        JsonNode merged = JSON.readTree(r.body());
        assertEquals("{\"t\":[{\"pk\":{\"S\":\"1\"}},{\"pk\":{\"S\":\"2\"}},{\"pk\":{\"S\":\"3\"}}],\"u\":[{\"k\":{\"S\":\"a\"}}]}",
                merged.get("Responses").toString());
        assertEquals("{}", merged.get("UnprocessedKeys").toString());
        assertEquals("[]", merged.get("ConsumedCapacity").toString(), "the first round's other members, for the plan to judge");
        assertEquals(List.of("{\"first\":1}",
                "{\"RequestItems\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"2\"}},{\"pk\":{\"S\":\"3\"}}],\"ConsistentRead\":true},"
                        + "\"u\":{\"Keys\":[{\"k\":{\"S\":\"a\"}}]}}}",
                "{\"RequestItems\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"3\"}}],\"ConsistentRead\":true}}}"), sent);
    }

    @Test
    void oneRoundIsTheAnswerAsItWas() throws Exception {
        var only = ok("{\"Responses\":{\"t\":[]},\"UnprocessedKeys\":{}}");
        assertSame(only, BatchGetRounds.run(new byte[0], store(only), System.nanoTime() + 1_000_000_000L, System::nanoTime).get());
    }

    @Test
    void anErrorOfAnyRoundIsTheAnswer() throws Exception {
        var first = ok("{\"Responses\":{},\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"2\"}}]}}}");
        var throttled = new UpstreamResponse(400, "1", "{\"__type\":\"x#ProvisionedThroughputExceededException\"}".getBytes(StandardCharsets.UTF_8));
        assertSame(throttled, BatchGetRounds.run(new byte[0], store(first, throttled), System.nanoTime() + 1_000_000_000L,
                System::nanoTime).get());
    }

    @Test
    void theDeadlineEndsTheRounds() {
        AtomicLong now = new AtomicLong();
        var again = ok("{\"Responses\":{},\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"2\"}}]}}}");
        Function<byte[], CompletableFuture<UpstreamResponse>> slowStore = body -> {
            sent.add("x");
            now.addAndGet(400);
            return CompletableFuture.completedFuture(again);
        };
        ExecutionException e = assertThrows(ExecutionException.class, () -> BatchGetRounds.run(new byte[0], slowStore, 1_000, now::get).get());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(3, sent.size(), "rounds at 0, 400 and 800; none at 1200");
        ExecutionException hung = assertThrows(ExecutionException.class, () -> BatchGetRounds.run(new byte[0],
                body -> new CompletableFuture<>(), System.nanoTime() + 50_000_000L, System::nanoTime).get());
        assertInstanceOf(TimeoutException.class, hung.getCause(), "a store that never answers");
    }

    /** Sends that keep the deadline are trusted with it: no timer of the rounds' own; a deadline passed between rounds still ends them. */
    @Test
    void sendsThatKeepTheDeadlineGetNoTimerOfTheirOwn() throws Exception {
        CompletableFuture<UpstreamResponse> pending = new CompletableFuture<>();
        CompletableFuture<UpstreamResponse> result = BatchGetRounds.runOnSendsKeepingTheDeadline(new byte[0], body -> pending,
                System.nanoTime() + 20_000_000L, System::nanoTime);
        Thread.sleep(150);
        assertFalse(result.isDone(), "no timer of the rounds' own ended the read");
        pending.completeExceptionally(new TimeoutException("the store exchange's deadline"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());

        AtomicLong now = new AtomicLong();
        var again = ok("{\"Responses\":{},\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"2\"}}]}}}");
        ExecutionException late = assertThrows(ExecutionException.class, () -> BatchGetRounds.runOnSendsKeepingTheDeadline(new byte[0],
                body -> {
                    sent.add("x");
                    now.addAndGet(400);
                    return CompletableFuture.completedFuture(again);
                }, 1_000, now::get).get());
        assertInstanceOf(TimeoutException.class, late.getCause());
        assertEquals(3, sent.size(), "rounds at 0, 400 and 800; none at 1200");
    }
}
