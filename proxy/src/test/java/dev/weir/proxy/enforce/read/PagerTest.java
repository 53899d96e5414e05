package dev.weir.proxy.enforce.read;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pager's rules one by one, against a scripted store (a sorted list served in pages of a
 * fixed number of items). The same rules against the real store, with random data, are in
 * {@link PagerStoreTest}.
 */
class PagerTest {
    private static final ReadView READER = Views.view("reader", "t");
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final long FAR = Long.MAX_VALUE / 2;

    /** A visible row: region eu. */
    private static Map<String, AttributeValue> visible(int sk, Object... more) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("pk", new S("p"));
        m.put("sk", new N(Integer.toString(sk)));
        m.put("region", new S("eu"));
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], (AttributeValue) more[i + 1]);
        return m;
    }

    /** A hidden row: classified. */
    private static Map<String, AttributeValue> hidden(int sk) {
        return visible(sk, "classified", new Bool(true), "secret", new S("x".repeat(500)));
    }

    private static Map<String, AttributeValue> key(int sk) {
        return Map.of("pk", new S("p"), "sk", new N(Integer.toString(sk)));
    }

    /** Serves {@code rows} (in order) in pages of {@code pageItems} items or fewer when a Limit is sent; records each read. */
    private static final class ListStore implements Pager.Fetch {
        final List<Map<String, AttributeValue>> rows;
        final int pageItems;
        final List<String> reads = new ArrayList<>();

        ListStore(int pageItems, List<Map<String, AttributeValue>> rows) {
            this.rows = rows;
            this.pageItems = pageItems;
        }

        @Override
        public CompletableFuture<StorePage> page(Map<String, AttributeValue> start, Integer limitHint) {
            reads.add((start == null ? "-" : ((N) start.get("sk")).value()) + "/" + limitHint);
            int from = 0;
            if (start != null) {
                while (from < rows.size() && !key(rows.get(from)).equals(start)) from++;
                from++;
            }
            int n = Math.min(pageItems, limitHint == null ? Integer.MAX_VALUE : limitHint);
            int to = Math.min(rows.size(), from + n);
            Map<String, AttributeValue> lek = to < rows.size() || (limitHint != null && to - from == limitHint)
                    ? key(rows.get(to - 1)) : null;
            return CompletableFuture.completedFuture(new StorePage(rows.subList(Math.min(from, to), to), lek));
        }

        private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
            return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
        }
    }

    private static Pager.Builder pager(Pager.Fetch store) {
        return Pager.builder(READER, KEYS, store).deadline(FAR);
    }

    private static List<Integer> sks(Page p) {
        return p.items().stream().map(i -> Integer.parseInt(((N) i.get("sk")).value())).toList();
    }

    @Test
    void hiddenRowsAreSkippedAndNotCounted() {
        ListStore store = new ListStore(2, List.of(visible(1), hidden(2), hidden(3), visible(4), hidden(5), visible(6), hidden(7)));
        Page p = pager(store).limit(2).build().run().join();
        assertEquals(List.of(1, 4), sks(p));
        assertEquals(2, p.count());
        assertEquals(2, p.scannedCount());
        assertEquals(key(4), p.lastEvaluatedKey(), "the last visible item evaluated, not the store's last read");
        Page next = pager(store).limit(2).exclusiveStartKey(p.lastEvaluatedKey()).build().run().join();
        assertEquals(List.of(6), sks(next));
        assertNull(next.lastEvaluatedKey(), "the store ran out first; hidden row 7 does not make a key");
    }

    /** When the read's key condition rules out every row the view admits: one read of one item, the empty page. */
    @Test
    void aReadThatAdmitsNoneReadsOneItemAndAnswersTheEmptyPage() {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 1; i <= 50; i++) rows.add(hidden(i));
        ListStore store = new ListStore(10, rows);
        Page p = pager(store).limit(10).admitsNone(true).build().run().join();
        assertEquals(List.of("-/1"), store.reads, "one store read, of one item");
        assertEquals("{\"Items\":[],\"Count\":0,\"ScannedCount\":0}", new String(p.toBytes()));
        ListStore paged = new ListStore(10, rows);
        Page same = pager(paged).limit(10).build().run().join();
        assertEquals(new String(same.toBytes()), new String(p.toBytes()), "the page weir would have built by reading to the end");
        assertEquals(5, paged.reads.size(), "which took five reads: " + paged.reads);
    }

    /** A store that returns a row the view admits after all (a promise broken) gets the read paged as any other. */
    @Test
    void aReadThatAdmitsNoneAfterAllIsPagedAsAnyOther() {
        ListStore store = new ListStore(10, List.of(visible(1), hidden(2), visible(3), visible(4)));
        Page p = pager(store).limit(2).admitsNone(true).build().run().join();
        assertEquals(List.of(1, 3), sks(p));
        assertEquals(key(3), p.lastEvaluatedKey());
    }

    @Test
    void aPageCutAtLimitHasAKeyEvenIfNothingVisibleFollows() {
        ListStore store = new ListStore(10, List.of(visible(1), visible(2), hidden(3)));
        Page p = pager(store).limit(2).build().run().join();
        assertEquals(key(2), p.lastEvaluatedKey());
        Page last = pager(store).limit(2).exclusiveStartKey(p.lastEvaluatedKey()).build().run().join();
        assertEquals(List.of(), last.items());
        assertEquals(0, last.scannedCount());
        assertNull(last.lastEvaluatedKey());
        assertEquals("{\"Items\":[],\"Count\":0,\"ScannedCount\":0}", new String(last.toBytes()));
    }

    @Test
    void theClientsFilterDecidesWhatIsReturnedNotWhatIsEvaluated() {
        var filter = new ExpressionContext(null, Map.of(":t", new S("keep")))
                .condition("FilterExpression", "tag = :t");
        ListStore store = new ListStore(3, List.of(visible(1, "tag", new S("keep")), visible(2), hidden(3),
                visible(4, "tag", new S("keep")), visible(5)));
        Page p = pager(store).limit(3).filter(filter).build().run().join();
        assertEquals(List.of(1, 4), sks(p));
        assertEquals(2, p.count());
        assertEquals(3, p.scannedCount());
        assertEquals(key(4), p.lastEvaluatedKey());
    }

    @Test
    void aPageEndsOnceTheShownSizesReachThePageSize() {
        Map<String, AttributeValue> small = visible(1);
        long size = Pager.sizeOf(READER.show(small));
        assertEquals("{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"eu\"}}".length(), size);
        // Row 2 carries a removed field of 10 KB: it weighs what is shown of it.
        ListStore store = new ListStore(10, List.of(visible(1), hidden(9), visible(2, "secret", new S("y".repeat(10_000))),
                visible(3), visible(4)));
        Page p = pager(store).pageBytes(2 * size).build().run().join();
        assertEquals(List.of(1, 2), sks(p));
        assertEquals(key(2), p.lastEvaluatedKey());
        Page rest = pager(store).pageBytes(2 * size + 1).exclusiveStartKey(p.lastEvaluatedKey()).build().run().join();
        assertEquals(List.of(3, 4), sks(rest), "2 items do not reach 2 sizes + 1");
        assertNull(rest.lastEvaluatedKey());
    }

    @Test
    void itemsAreShownThenProjected() {
        ListStore store = new ListStore(10, List.of(visible(1, "name", new S("Alice"), "secret", new S("s"))));
        Page p = pager(store).select(Select.SPECIFIC_ATTRIBUTES).projection(
                new ExpressionContext(Map.of("#n", "name"), null).projection("sk, #n, secret")).build().run().join();
        Map<String, AttributeValue> only = p.items().getFirst();
        assertEquals(List.of("sk", "name"), List.copyOf(only.keySet()), "the removed field is not there to project");
        assertEquals(READER.show(store.rows.getFirst()).get("name"), only.get("name"), "the masked value, not the stored one");
    }

    @Test
    void selectCountAnswersTheCountsOnly() {
        ListStore store = new ListStore(10, List.of(visible(1), hidden(2), visible(3)));
        Page p = pager(store).select(Select.COUNT).limit(1).build().run().join();
        assertNull(p.items());
        assertEquals("{\"Count\":1,\"ScannedCount\":1,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"1\"}}}",
                new String(p.toBytes()));
    }

    @Test
    void readsGrowWhileHiddenRowsFillThemAndNoLimitMeansTheStoresPage() {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) rows.add(hidden(i));
        rows.add(visible(5000));
        ListStore store = new ListStore(Integer.MAX_VALUE, rows);
        Page p = pager(store).limit(3).build().run().join();
        assertEquals(List.of(5000), sks(p));
        assertEquals(List.of("-/3", "2/6", "8/12", "20/24", "44/48", "92/96", "188/192", "380/384", "764/768", "1532/1000",
                "2532/1000"), store.reads);
        ListStore unlimited = new ListStore(1000, rows);
        pager(unlimited).build().run().join();
        assertEquals(List.of("-/null", "999/null", "1999/null", "2999/null"), unlimited.reads);
    }

    @Test
    void aStorePageWithoutItemsButWithAKeyIsFollowed() {
        List<StorePage> pages = List.of(new StorePage(List.of(), key(1)), new StorePage(List.of(hidden(2)), key(2)),
                new StorePage(List.of(visible(3)), null));
        List<Map<String, AttributeValue>> starts = new ArrayList<>();
        Page p = pager((start, hint) -> {
            starts.add(start);
            return CompletableFuture.completedFuture(pages.get(starts.size() - 1));
        }).exclusiveStartKey(key(0)).build().run().join();
        assertEquals(List.of(3), sks(p));
        assertEquals(java.util.Arrays.asList(key(0), key(1), key(2)), starts);
    }

    @Test
    void manyStoreReadsThatCompleteAtOnceDoNotGrowTheStack() {
        AtomicLong reads = new AtomicLong();
        Page p = pager((start, hint) -> {
            long n = reads.incrementAndGet();
            return CompletableFuture.completedFuture(n < 200_000 ? new StorePage(List.of(hidden((int) n)), key((int) n))
                    : new StorePage(List.of(visible((int) n)), null));
        }).build().run().join();
        assertEquals(1, p.count());
        assertEquals(200_000, reads.get());
    }

    @Test
    void storeReadsThatCompleteLaterOnAnotherThread() {
        ListStore store = new ListStore(2, List.of(visible(1), hidden(2), hidden(3), visible(4), visible(5), hidden(6)));
        Executor later = CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS);
        Page p = pager((start, hint) -> store.page(start, hint).thenApplyAsync(x -> x, later)).limit(3).build().run().join();
        assertEquals(List.of(1, 4, 5), sks(p));
        assertEquals(key(5), p.lastEvaluatedKey());
    }

    /**
     * A fetch that keeps the deadline (as the upstream client's exchanges do) is trusted with
     * it: the Pager sets no timer of its own, so a read still pending past the deadline fails
     * when the fetch fails it, as a TimeoutException; a deadline passed between reads still ends
     * the read before the next one.
     */
    @Test
    void aFetchThatKeepsTheDeadlineGetsNoTimerOfItsOwn() throws Exception {
        CompletableFuture<StorePage> pending = new CompletableFuture<>();
        CompletableFuture<Page> result = Pager.builder(READER, KEYS, (s, h) -> pending)
                .deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)).fetchKeepsDeadline().build().run();
        Thread.sleep(150);
        assertFalse(result.isDone(), "no timer of the Pager's own ended the read");
        pending.completeExceptionally(new TimeoutException("the store exchange's deadline"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());

        aDeadlinePassedBetweenReadsEndsTheRead(true);
    }

    /**
     * Reads of a second each against a deadline of 1.5 s: the second read ends past it, so the
     * read ends there with a TimeoutException, before a third (with a timer per read, or trusting the fetch).
     */
    private static void aDeadlinePassedBetweenReadsEndsTheRead(boolean fetchKeepsDeadline) {
        AtomicLong now = new AtomicLong();
        ListStore store = new ListStore(1, List.of(hidden(1), hidden(2), visible(3)));
        Pager.Fetch slow = (start, hint) -> {
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            return store.page(start, hint);
        };
        Pager.Builder builder = Pager.builder(READER, KEYS, slow).deadline(TimeUnit.MILLISECONDS.toNanos(1500)).clock(now::get);
        if (fetchKeepsDeadline) builder.fetchKeepsDeadline();
        ExecutionException e = assertThrows(ExecutionException.class, () -> builder.build().run().get());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(2, store.reads.size());
    }

    @Test
    void theDeadlineEndsTheRead() {
        aDeadlinePassedBetweenReadsEndsTheRead(false);

        CompletableFuture<StorePage> never = new CompletableFuture<>();
        ExecutionException hung = assertThrows(ExecutionException.class,
                () -> Pager.builder(READER, KEYS, (s, h) -> never).deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))
                        .build().run().get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, hung.getCause());
    }

    @Test
    void aFailedStoreReadFailsThePageWithItsOwnError() {
        DynamoException invalid = DynamoException.validation("The provided starting key is invalid");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> pager((s, h) -> CompletableFuture.failedFuture(invalid)).build().run().get());
        assertSame(invalid, e.getCause());
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> pager((s, h) -> {
            throw invalid;
        }).build().run().get());
        assertSame(invalid, thrown.getCause());
        Map<String, AttributeValue> keyless = new LinkedHashMap<>(visible(1));
        keyless.remove("sk");
        ExecutionException broken = assertThrows(ExecutionException.class, () -> pager((s, h) -> CompletableFuture.completedFuture(new StorePage(List.of(keyless), null))).limit(1).build().run().get());
        assertTrue(broken.getCause().getMessage().contains("lacks the key attribute sk"));
    }

    @Test
    void whatTheBuilderRefuses() {
        ListStore store = new ListStore(1, List.of());
        assertThrows(IllegalArgumentException.class, () -> Pager.builder(READER, List.of("pk", "name"), store).deadline(FAR).build(),
                "a masked key attribute would be shown in a LastEvaluatedKey");
        assertThrows(IllegalArgumentException.class, () -> Pager.builder(READER, List.of("pk", "secret"), store).deadline(FAR).build());
        assertThrows(IllegalArgumentException.class, () -> Pager.builder(ReadView.EMPTY, KEYS, store).deadline(FAR).build());
        assertThrows(IllegalArgumentException.class, () -> pager(store).limit(0).build());
        assertThrows(IllegalArgumentException.class, () -> Pager.builder(READER, KEYS, store).build(), "no deadline");
        assertThrows(IllegalArgumentException.class, () -> pager(store).select(Select.SPECIFIC_ATTRIBUTES).build());
        assertThrows(IllegalArgumentException.class, () -> pager(store).select(Select.ALL_ATTRIBUTES)
                .projection(new ExpressionContext(null, null).projection("pk")).build());
        assertEquals(Select.SPECIFIC_ATTRIBUTES, Select.of(null, true));
        assertEquals(Select.ALL_ATTRIBUTES, Select.of(null, false));
        assertEquals(Select.COUNT, Select.of("COUNT", false));
        DynamoException bad = assertThrows(DynamoException.class, () -> Select.of("SOME", false));
        assertTrue(bad.getMessage().contains("Member must satisfy enum value set"), bad.getMessage());
    }
}
