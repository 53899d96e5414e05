package dev.weir.proxy.upstream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache of weir's own upstream look-ups, against look-ups the test completes by hand. */
class LookupCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> asked = new ArrayList<>();
    private final List<CompletableFuture<String>> running = new ArrayList<>();
    private final LookupCache<String> cache = new LookupCache<>(key -> {
        asked.add(key);
        CompletableFuture<String> f = new CompletableFuture<>();
        running.add(f);
        return f;
    }, Duration.ofSeconds(30), now::get);

    @Test
    void oneLookupPerKeyAtATimeSharedByEveryoneWaiting() throws Exception {
        CompletableFuture<String> a = cache.get("t");
        CompletableFuture<String> b = cache.get("t");
        CompletableFuture<String> other = cache.get("u");
        assertSame(a, b);
        assertNotSame(a, other);
        assertEquals(List.of("t", "u"), asked);
        running.get(0).complete("v1");
        assertEquals("v1", b.get());
        assertEquals("v1", cache.get("t").get(), "kept");
        assertEquals(List.of("t", "u"), asked);
    }

    @Test
    void anAnswerIsAskedAgainOnceItIsOlderThanItsTtl() throws Exception {
        cache.get("t");
        running.get(0).complete("v1");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals("v1", cache.get("t").get());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        CompletableFuture<String> again = cache.get("t");
        assertEquals(2, asked.size());
        running.get(1).complete("v2");
        assertEquals("v2", again.get());
    }

    @Test
    void aFailureReachesItsWaitersAndIsNotKept() {
        CompletableFuture<String> a = cache.get("t");
        running.get(0).completeExceptionally(new IOException("connection refused"));
        ExecutionException e = assertThrows(ExecutionException.class, a::get);
        assertTrue(e.getCause().getMessage().contains("connection refused"), e.toString());
        cache.get("t");
        assertEquals(2, asked.size(), "asked again");
    }

    @Test
    void aLookupThatThrowsFailsItsFuture() {
        LookupCache<String> throwing = new LookupCache<>(key -> {
            throw new IllegalStateException("no upstream");
        }, Duration.ofSeconds(30), now::get);
        ExecutionException e = assertThrows(ExecutionException.class, () -> throwing.get("t").get());
        assertTrue(e.getCause().getMessage().contains("no upstream"));
    }

    /** A lookup that started before a CreateTable went through may describe the old table: never kept. */
    @Test
    void anInvalidationForgetsTheAnswerAndTheLookupStillRunning() throws Exception {
        cache.get("t");
        running.get(0).complete("old");
        cache.invalidate("t");
        CompletableFuture<String> second = cache.get("t");
        assertEquals(2, asked.size(), "an invalidated answer is asked again");
        cache.invalidate("t");
        CompletableFuture<String> third = cache.get("t");
        assertNotSame(second, third, "a lookup running at the invalidation is not joined by later callers");
        assertEquals(3, asked.size());
        running.get(1).complete("stale");
        assertEquals("stale", second.get(), "its own waiters still get its answer");
        running.get(2).complete("fresh");
        assertEquals("fresh", third.get());
        assertEquals("fresh", cache.get("t").get(), "only the lookup that started after the invalidation is kept");
        assertEquals(3, asked.size());
        cache.invalidateAll();
        cache.get("t");
        assertEquals(4, asked.size());
    }

    @Test
    void theStaleLookupDoesNotOverwriteTheFreshOne() throws Exception {
        cache.get("t");
        cache.invalidate("t");
        cache.get("t");
        running.get(1).complete("fresh");
        running.get(0).complete("stale");
        assertEquals("fresh", cache.get("t").get());
        assertEquals(2, asked.size());
    }

    @Test
    void answersThatAreNotToBeKeptAreAskedAgain() throws Exception {
        List<String> calls = new ArrayList<>();
        LookupCache<String> picky = new LookupCache<>(key -> {
            calls.add(key);
            return CompletableFuture.completedFuture(key.equals("missing") ? "" : "schema");
        }, Duration.ofSeconds(30), now::get, value -> !value.isEmpty());
        assertEquals("", picky.get("missing").get());
        assertEquals("", picky.get("missing").get());
        assertEquals("schema", picky.get("t").get());
        assertEquals("schema", picky.get("t").get());
        assertEquals(List.of("missing", "missing", "t"), calls);
    }
}
