package dev.weir.proxy.enforce.read;

import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * weir's own paging of a Query or Scan for a caller whose view is restricted, so that a hidden
 * row never shortens a page, ends a page, or names a key. The store pages by what it stores;
 * weir reads the store's pages whole and builds the caller's page from what the caller sees.
 *
 * <h2>Semantics</h2>
 * The store's items arrive in the read's order (key order, or the index's), whole: the row
 * filter and the client's filter are judged on the stored item.
 * <ol>
 *   <li>An item the {@link ReadView} does not {@link ReadView#admits admit} is skipped: it is
 *       not counted anywhere, it adds nothing to the page's size, it ends nothing.</li>
 *   <li>Every admitted item is <em>evaluated</em>: it counts in {@code ScannedCount}, and the
 *       size of the item as the view shows it counts towards the page's size. The size of a
 *       shown item is the number of UTF-8 bytes of its DynamoDB JSON
 *       ({@code {"a":{"S":"x"}}}) as Jackson writes it: a function of the shown item only, so
 *       hidden fields and masked values weigh what the caller sees of them.</li>
 *   <li>An evaluated item is returned (and counted in {@code Count}) if the client's filter
 *       holds for it (weir evaluates the filter itself; it reads only paths the caller reads in
 *       clear, which is checked before the read). It is returned as the view shows it, then
 *       cut to the client's projection. {@link Select#COUNT} returns the counts only.</li>
 *   <li>The page ends right after the evaluated item that makes {@code Limit} items evaluated,
 *       or that brings the shown sizes to {@link #PAGE_BYTES} or more. The page then carries a
 *       {@code LastEvaluatedKey}: the key attributes (those the schema gives for the table or
 *       index) of that last evaluated item, taken from the stored item. It is there exactly
 *       when the page was cut this way, even if nothing visible follows (as DynamoDB's is when
 *       {@code Limit} is reached).</li>
 *   <li>When the store runs out first (its last page has no LastEvaluatedKey), the page ends
 *       there, without a {@code LastEvaluatedKey}.</li>
 * </ol>
 * So the caller's pages depend only on the visible items in order and on what the view shows
 * of them; the sequence of pages a caller gets by following {@code LastEvaluatedKey} is the
 * same whatever hidden rows lie between. The caller's {@code ExclusiveStartKey} goes to the
 * store's first read as is; later reads start after the store's own LastEvaluatedKey, which
 * is never shown.
 *
 * <p>Every key attribute must be readable in clear by the caller (the builder refuses
 * otherwise): a LastEvaluatedKey shows them. The read has a deadline: when it passes before the
 * page is complete, the future fails with a {@link TimeoutException} (the request is answered
 * 503). A failure of a store read fails the future with that failure.
 */
public final class Pager {
    /** DynamoDB's page: reading stops once this much (here: of the items as shown) was evaluated. */
    public static final long PAGE_BYTES = 1024 * 1024;
    /** The largest number of items weir asks one store read for on its own account (more when the client's Limit asks more). */
    static final int MAX_HINT = 1000;

    /** Reads one page of the store's answer. */
    @FunctionalInterface
    public interface Fetch {
        /**
         * Reads the next store page of the read the client asked for (its table or index, key
         * condition, direction, segment, consistency), of whole items: without its Limit,
         * FilterExpression (or QueryFilter, ScanFilter), projection, Select COUNT or capacity
         * flags ({@link StoreRead}). The store may drop rows the view does not admit (the row
         * filter pushed down exactly); it must return every row the view admits.
         *
         * @param exclusiveStartKey start after this key; null to start at the beginning
         * @param limitHint         the Limit to send, or null for none (the store's 1 MB page)
         */
        CompletableFuture<StorePage> page(Map<String, AttributeValue> exclusiveStartKey, Integer limitHint);
    }

    private final ReadView view;
    private final List<String> keyAttributes;
    private final Fetch fetch;
    private final Integer limit;
    private final Map<String, AttributeValue> exclusiveStartKey;
    private final Condition filter;
    private final Select select;
    private final Projection projection;
    private final long pageBytes;
    private final long deadlineNanos;
    private final LongSupplier nanos;
    private final boolean admitsNone;
    private final boolean fetchKeepsDeadline;

    private Pager(Builder b) {
        this.view = b.view;
        this.keyAttributes = b.keyAttributes;
        this.fetch = b.fetch;
        this.limit = b.limit;
        this.exclusiveStartKey = b.exclusiveStartKey;
        this.filter = b.filter;
        this.select = b.select;
        this.projection = b.projection;
        this.pageBytes = b.pageBytes;
        this.deadlineNanos = b.deadlineNanos;
        this.nanos = b.nanos;
        this.admitsNone = b.admitsNone;
        this.fetchKeepsDeadline = b.fetchKeepsDeadline;
    }

    /**
     * @param view          the caller's view of the table
     * @param keyAttributes the attributes of a LastEvaluatedKey of this read
     *                      ({@code TableSchema.keyAttributes(index)})
     * @param fetch         reads the store's pages
     */
    public static Builder builder(ReadView view, List<String> keyAttributes, Fetch fetch) {
        return new Builder(view, keyAttributes, fetch);
    }

    /** Builds the caller's page; the future fails on the deadline or when a store read fails. Call once. */
    public CompletableFuture<Page> run() {
        Run run = new Run();
        run.next();
        return run.result;
    }

    /** The state of one page being built; its steps run one after another (never at once). */
    private final class Run {
        final CompletableFuture<Page> result = new CompletableFuture<>();
        final List<Map<String, AttributeValue>> items = select == Select.COUNT ? null : new ArrayList<>();
        /** The returned items, written as they are taken (the page's bytes are written once). */
        final ItemsWriter written = items == null ? null : ItemsWriter.keeping();
        /** Measures the shown items that are not written as shown. */
        ItemsWriter measured;
        /** What the items of scanned store pages need, made on the first. */
        ShowPlan plan;
        int count;
        int evaluated;
        int hidden;
        long bytes;
        int lastHint;
        Map<String, AttributeValue> resumeAfter = exclusiveStartKey;
        boolean probe = admitsNone;

        /** Reads store pages until the caller's page is complete; loops while reads complete at once. */
        void next() {
            while (true) {
                long left = deadlineNanos - nanos.getAsLong();
                if (left <= 0) {
                    fail(deadlinePassed());
                    return;
                }
                CompletableFuture<StorePage> read;
                try {
                    read = Objects.requireNonNull(fetch.page(resumeAfter, hint()), "fetch gave no page");
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                if (!read.isDone()) {
                    // a fetch that keeps the deadline fails by it on its own; any other gets a timer per read
                    CompletableFuture<StorePage> bounded = fetchKeepsDeadline ? read : read.copy().orTimeout(left, TimeUnit.NANOSECONDS);
                    bounded.whenComplete((page, err) -> {
                        if (err != null) fail(unwrap(err) instanceof TimeoutException ? deadlinePassed() : err);
                        else if (consume(page)) next();
                    });
                    return;
                }
                StorePage page;
                try {
                    page = read.join();
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                if (!consume(page)) return;
            }
        }

        /** The Limit of the next store read: what the client's Limit leaves, growing while hidden rows fill the reads. */
        Integer hint() {
            if (probe) return 1;
            if (limit == null) return null;
            int remaining = limit - evaluated;
            lastHint = Math.max(remaining, Math.min(MAX_HINT, lastHint * 2));
            return lastHint;
        }

        /** Takes one store page; true when another is needed. Completes the result otherwise. */
        boolean consume(StorePage page) {
            try {
                if (page == null) throw new IllegalStateException("fetch gave no page");
                ScannedPage scanned = page.scanned();
                if (scanned != null) {
                    // room made once for what a restricted view shows of a page, often about half
                    if (written != null && bytes == 0) written.reserve((int) Math.min(scanned.length() / 2, pageBytes));
                    for (int i = 0; i < scanned.size(); i++) if (take(scanned, i)) return false;
                } else {
                    for (Map<String, AttributeValue> item : page.items()) if (take(item)) return false;
                }
                if (probe) {
                    // Every row was judged hidden (above), as the read's key condition says every row is.
                    complete(null);
                    return false;
                }
                if (page.lastEvaluatedKey() == null) {
                    complete(null);
                    return false;
                }
                resumeAfter = page.lastEvaluatedKey();
                return true;
            } catch (RuntimeException e) {
                fail(e);
                return false;
            }
        }

        /** Takes one stored item; true when it completed the page. */
        boolean take(Map<String, AttributeValue> item) {
            if (!view.admits(item)) {
                hidden++;
                return false;
            }
            probe = false; // not what admitsNone promised: page as for any read
            Map<String, AttributeValue> shown = view.show(item);
            evaluated++;
            boolean returned = filter == null || filter.test(item);
            if (returned) count++;
            if (returned && items != null && projection == null) {
                // the common case: the shown item is returned, and written once
                bytes += written.write(shown);
                items.add(shown);
            } else {
                if (measured == null) measured = ItemsWriter.counting();
                bytes += measured.write(shown);
                if (returned && items != null) {
                    Map<String, AttributeValue> projected = projection.apply(shown);
                    written.write(projected);
                    items.add(projected);
                }
            }
            return cut(item);
        }

        /**
         * Takes item {@code i} of a scanned store page, as {@link #take(Map)} takes the item it
         * decodes to: the filters and the key read only the members they name
         * ({@link ShowPlan#known}), and the shown item is written from the page's bytes.
         */
        boolean take(ScannedPage page, int i) {
            if (page.isWhole(i)) return take(page.item(i));
            if (plan == null) plan = ShowPlan.of(view, filter, keyAttributes);
            Map<String, AttributeValue> known = plan.known(page, i);
            if (!view.admits(known)) {
                hidden++;
                return false;
            }
            probe = false;
            evaluated++;
            boolean returned = filter == null || filter.test(known);
            if (returned) count++;
            if (returned && items != null && projection == null) {
                bytes += written.write(plan, page, i);
                items.add(new ShownLater(view, page, i));
            } else {
                if (measured == null) measured = ItemsWriter.counting();
                bytes += measured.write(plan, page, i);
                if (returned && items != null) {
                    Map<String, AttributeValue> projected = projection.apply(view.show(page.item(i)));
                    written.write(projected);
                    items.add(projected);
                }
            }
            return cut(known);
        }

        /** Completes the page after this evaluated item when it reached the Limit or the page size. */
        boolean cut(Map<String, AttributeValue> item) {
            if ((limit != null && evaluated >= limit) || bytes >= pageBytes) {
                complete(keyOf(item));
                return true;
            }
            return false;
        }

        void complete(Map<String, AttributeValue> lastEvaluatedKey) {
            result.complete(Page.finished(items, count, evaluated, lastEvaluatedKey, hidden, written));
        }

        void fail(Throwable t) {
            result.completeExceptionally(unwrap(t));
        }
    }

    private TimeoutException deadlinePassed() {
        return new TimeoutException("weir could not page the read before its deadline");
    }

    /** The key attributes of a stored item, in the schema's order. */
    private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String a : keyAttributes) {
            AttributeValue v = item.get(a);
            if (v == null) throw new IllegalStateException("an item the store returned lacks the key attribute " + a);
            key.put(a, v);
        }
        return key;
    }

    /** The size of an item as shown: see the class comment. */
    static long sizeOf(Map<String, AttributeValue> shown) {
        return ItemsWriter.counting().write(shown);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    /** The read to page: the view, the keys and the store are required, the rest is the client's request. */
    public static final class Builder {
        private final ReadView view;
        private final List<String> keyAttributes;
        private final Fetch fetch;
        private Integer limit;
        private Map<String, AttributeValue> exclusiveStartKey;
        private Condition filter;
        private Select select;
        private Projection projection;
        private long pageBytes = PAGE_BYTES;
        private Long deadline;
        private long deadlineNanos;
        private LongSupplier nanos = System::nanoTime;
        private boolean admitsNone;
        private boolean fetchKeepsDeadline;

        private Builder(ReadView view, List<String> keyAttributes, Fetch fetch) {
            this.view = Objects.requireNonNull(view, "view");
            this.keyAttributes = List.copyOf(keyAttributes);
            this.fetch = Objects.requireNonNull(fetch, "fetch");
        }

        /** The client's Limit (items evaluated per page), or null for none. */
        public Builder limit(Integer limit) {
            this.limit = limit;
            return this;
        }

        /** The client's ExclusiveStartKey, or null. */
        public Builder exclusiveStartKey(Map<String, AttributeValue> key) {
            this.exclusiveStartKey = key == null || key.isEmpty() ? null : key;
            return this;
        }

        /** The client's filter (FilterExpression, or QueryFilter/ScanFilter translated), or null. */
        public Builder filter(Condition filter) {
            this.filter = filter;
            return this;
        }

        /** The client's Select; null means {@link Select#of}'s default. */
        public Builder select(Select select) {
            this.select = select;
            return this;
        }

        /** The client's projection (ProjectionExpression or AttributesToGet), or null. */
        public Builder projection(Projection projection) {
            this.projection = projection;
            return this;
        }

        /** When the page must be complete, on the {@code nanos} clock ({@link System#nanoTime} by default). Required. */
        public Builder deadline(long deadlineNanos) {
            this.deadline = deadlineNanos;
            this.deadlineNanos = deadlineNanos;
            return this;
        }

        /**
         * The view admits no row the read can return ({@link StoreRead#admitsNone}): the page is
         * the empty one, built after a single store read of one item, which carries the store's
         * refusal when the store refuses the read. Should that read return a row the view
         * admits after all, the read is paged as any other.
         */
        public Builder admitsNone(boolean admitsNone) {
            this.admitsNone = admitsNone;
            return this;
        }

        /**
         * Each future the fetch gives fails with a {@link TimeoutException} by the deadline on its
         * own (as {@code UpstreamClient.send} with this deadline does), so the Pager sets no timer
         * of its own on each store read. Without it (the default) every read that does not
         * complete at once gets a timer: a fetch that never answers still ends at the deadline.
         * Either way a deadline passed between reads ends the read before the next one.
         */
        public Builder fetchKeepsDeadline() {
            this.fetchKeepsDeadline = true;
            return this;
        }

        /** The clock the deadline is read on. */
        public Builder clock(LongSupplier nanos) {
            this.nanos = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /** The page size in bytes of shown items ({@link #PAGE_BYTES}; smaller in tests). */
        public Builder pageBytes(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("the page size must be positive");
            this.pageBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the caller does not read every key attribute in
         *                                  clear (refuse the read before paging it), when Limit
         *                                  is below 1, when there is no deadline, or when Select
         *                                  and the projection disagree
         */
        public Pager build() {
            if (keyAttributes.isEmpty()) throw new IllegalArgumentException("a read has key attributes");
            if (!view.readsInClear(keyAttributes)) {
                throw new IllegalArgumentException("the caller does not read every key attribute of the read in clear");
            }
            if (limit != null && limit < 1) throw new IllegalArgumentException("Limit must be at least 1");
            if (deadline == null) throw new IllegalArgumentException("a paged read needs a deadline");
            if (select == null) select = Select.of(null, projection != null);
            if ((select == Select.SPECIFIC_ATTRIBUTES) != (projection != null)) {
                throw new IllegalArgumentException("a projection goes with Select SPECIFIC_ATTRIBUTES, and only with it");
            }
            return new Pager(this);
        }
    }
}
