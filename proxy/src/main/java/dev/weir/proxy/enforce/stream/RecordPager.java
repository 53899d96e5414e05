package dev.weir.proxy.enforce.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.read.ReadView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * Pages a GetRecords for a caller whose view is restricted (docs/streams.md, "Paging"):
 * weir asks the upstream again and again, each time for at most the records the caller's page
 * still lacks, cuts every record through the view ({@link RecordCut}), and stops when it has
 * {@code Limit} visible records, when the shard is closed and read to its end (no
 * {@code NextShardIterator}), when an upstream page comes back empty (the shard's tip), or when
 * the request's time for paging is up. A record the caller may not see ends nothing and
 * counts nowhere, so {@code Limit: 1} answered with no record means "nothing more now", never
 * "a hidden record was skipped"; the iterator that comes back is sealed, so how far weir
 * moved is hidden too. A caller whose view is unrestricted gets the upstream's one page.
 *
 * <p>weir never asks for more records than the page still lacks, so it never reads past a
 * record it would have to leave out of the page: nothing is lost between pages.
 */
public final class RecordPager {
    /** DynamoDB's default and most records per GetRecords. */
    public static final int MAX_LIMIT = 1000;

    /**
     * One upstream GetRecords: the upstream iterator and the Limit to send; completes with the
     * upstream's answer, or fails ({@link dev.weir.proxy.enforce.read.StoreRead.StoreError} for
     * an error answer, handed to the caller as it is when it ends the first page).
     */
    @FunctionalInterface
    public interface Upstream {
        CompletableFuture<JsonNode> getRecords(String iterator, int limit);
    }

    /**
     * The caller's page.
     *
     * @param records      the records as the caller sees them
     * @param nextUpstream the upstream iterator the caller's next page starts at, or null: the shard is closed and read to its end
     * @param dropped      records the view hid
     */
    public record Page(List<ObjectNode> records, String nextUpstream, int dropped) {
        public Page {
            records = List.copyOf(records);
        }
    }

    private final ReadView view;
    private final ViewType type;
    private final int limit;
    private final Upstream upstream;
    private final long stopNanos;
    private final LongSupplier clock;
    private final List<ObjectNode> shown = new ArrayList<>();
    private int dropped;

    /**
     * @param limit     the client's Limit (1 to 1000)
     * @param stopNanos when paging stops with what it has (on {@code clock}): before the request's deadline
     */
    public RecordPager(ReadView view, ViewType type, int limit, Upstream upstream, long stopNanos, LongSupplier clock) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
        this.view = Objects.requireNonNull(view);
        this.type = Objects.requireNonNull(type);
        this.limit = limit;
        this.upstream = Objects.requireNonNull(upstream);
        this.stopNanos = stopNanos;
        this.clock = clock;
    }

    /** Pages from the upstream iterator {@code start}. */
    public CompletableFuture<Page> run(String start) {
        return step(start, true);
    }

    private CompletableFuture<Page> step(String iterator, boolean first) {
        return upstream.getRecords(iterator, limit - shown.size()).handle((answer, err) -> {
            if (err != null) {
                // The first page's error is the answer; a later one ends the page here, and the
                // caller's next page starts where it failed (and gets that error then).
                if (first) throw err instanceof CompletionException c ? c : new CompletionException(err);
                return CompletableFuture.completedFuture(new Page(shown, iterator, dropped));
            }
            JsonNode records = answer.get("Records");
            int count = 0;
            if (records != null && records.isArray()) {
                for (JsonNode r : records) {
                    count++;
                    Optional<ObjectNode> cut = RecordCut.cut(r, view, type);
                    if (cut.isPresent()) shown.add(cut.get());
                    else dropped++;
                }
            }
            JsonNode next = answer.get("NextShardIterator");
            String nextIterator = next != null && next.isTextual() ? next.textValue() : null;
            boolean done = nextIterator == null || count == 0 || shown.size() >= limit || view.isUnrestricted()
                    || clock.getAsLong() - stopNanos >= 0;
            if (done) return CompletableFuture.completedFuture(new Page(shown, nextIterator, dropped));
            return step(nextIterator, false);
        }).thenCompose(f -> f);
    }
}
