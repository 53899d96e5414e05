package dev.weir.proxy.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Answers weir looks up at the upstream with its own credentials (a table's tags, its key
 * schema), kept for a while per key. One lookup per key runs at a time; callers that arrive
 * meanwhile share it. A failed lookup is not kept: the next caller asks again (and a request
 * that needed the answer is refused meanwhile, which is the caller's business).
 *
 * <p>{@link #invalidate(String)} forgets the key's answer <em>and</em> any lookup still
 * running for it: that lookup's answer may describe the table before the change that caused
 * the invalidation, so it completes its own waiters but is never kept, and the next caller
 * starts a new one.
 *
 * @param <V> the answer
 */
public final class LookupCache<V> {
    private record Entry<V>(V value, long fetchedNanos) {}

    private final Function<String, CompletableFuture<V>> lookup;
    private final Predicate<V> keep;
    private final long ttlNanos;
    private final LongSupplier nanos;
    private final Map<String, Entry<V>> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    /** Orders keeping an answer against forgetting it; taken only when a lookup ends or a key is invalidated. */
    private final Object lock = new Object();

    /**
     * @param lookup asks the upstream for one key; may fail
     * @param ttl    how long an answer is used before it is asked again
     * @param nanos  the clock ({@link System#nanoTime} outside tests)
     */
    public LookupCache(Function<String, CompletableFuture<V>> lookup, Duration ttl, LongSupplier nanos) {
        this(lookup, ttl, nanos, value -> true);
    }

    /**
     * The same, keeping only the answers {@code keep} accepts (the others are handed to the
     * callers waiting for them and asked again next time).
     */
    public LookupCache(Function<String, CompletableFuture<V>> lookup, Duration ttl, LongSupplier nanos, Predicate<V> keep) {
        this.lookup = lookup;
        this.keep = keep;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
    }

    /** The key's answer: from the cache when fresh, else from the running lookup or a new one. */
    public CompletableFuture<V> get(String key) {
        Entry<V> e = cache.get(key);
        if (e != null && nanos.getAsLong() - e.fetchedNanos < ttlNanos) return CompletableFuture.completedFuture(e.value);
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return running;
        CompletableFuture<V> answer;
        try {
            answer = lookup.apply(key);
        } catch (RuntimeException ex) {
            answer = CompletableFuture.failedFuture(ex);
        }
        answer.whenComplete((value, err) -> {
            synchronized (lock) {
                if (inFlight.remove(key, mine) && err == null && keep.test(value)) cache.put(key, new Entry<>(value, nanos.getAsLong()));
            }
            if (err != null) mine.completeExceptionally(err);
            else mine.complete(value);
        });
        return mine;
    }

    /** Forgets the key's answer and any lookup running for it (see the class comment). */
    public void invalidate(String key) {
        synchronized (lock) {
            cache.remove(key);
            inFlight.remove(key);
        }
    }

    /** Forgets every answer and every running lookup. */
    public void invalidateAll() {
        synchronized (lock) {
            cache.clear();
            inFlight.clear();
        }
    }
}
