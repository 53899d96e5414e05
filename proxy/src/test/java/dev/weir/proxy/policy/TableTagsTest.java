package dev.weir.proxy.policy;

import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tag cache against a scripted upstream (the real one is in the appliance's end-to-end test). */
class TableTagsTest {
    private final List<String> calls = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private boolean failing;

    private CompletableFuture<UpstreamResponse> upstream(String target, byte[] body) {
        String b = new String(body, StandardCharsets.UTF_8);
        calls.add(target.substring(target.indexOf('.') + 1) + " " + b);
        if (failing) return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
        String answer;
        int status = 200;
        if (target.endsWith("DescribeTable")) {
            if (b.contains("\"missing\"")) {
                status = 400;
                answer = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"Requested resource not found\"}";
            } else {
                answer = "{\"Table\":{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:0:table/t\"}}";
            }
        } else if (!b.contains("NextToken")) {
            answer = "{\"Tags\":[{\"Key\":\"classification\",\"Value\":\"pii\"}],\"NextToken\":\"page2\"}";
        } else {
            answer = "{\"Tags\":[{\"Key\":\"owner\",\"Value\":\"hr\"}]}";
        }
        return CompletableFuture.completedFuture(new UpstreamResponse(status, null, answer.getBytes(StandardCharsets.UTF_8)));
    }

    private final TableTags tags = new TableTags(this::upstream, Duration.ofSeconds(30), now::get);

    @Test
    void tagsAreReadPageByPageAndCachedUntilTheyExpireOrAreInvalidated() throws Exception {
        assertEquals(Map.of("t", Map.of("classification", "pii", "owner", "hr")), tags.of(List.of("t")).get());
        assertEquals(3, calls.size(), calls.toString());
        tags.of(List.of("t")).get();
        assertEquals(3, calls.size(), "a fresh answer is not asked again");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        tags.of(List.of("t")).get();
        assertEquals(6, calls.size(), "an expired answer is asked again");
        tags.invalidate();
        tags.of(List.of("t")).get();
        assertEquals(9, calls.size(), "an invalidated answer is asked again");
    }

    @Test
    void aTableThatDoesNotExistHasNoTags() throws Exception {
        assertEquals(Map.of("missing", Map.of()), tags.of(List.of("missing")).get());
    }

    @Test
    void anUpstreamThatCannotAnswerFailsTheLookupAndNothingIsCached() {
        failing = true;
        ExecutionException e = assertThrows(ExecutionException.class, () -> tags.of(List.of("t")).get());
        assertTrue(e.getCause().getMessage().contains("connection refused"), e.toString());
        failing = false;
        calls.clear();
        assertEquals(Map.of("t", Map.of("classification", "pii", "owner", "hr")), tags.of(List.of("t")).join());
        assertEquals(3, calls.size(), "the failure was not cached");
    }
}
