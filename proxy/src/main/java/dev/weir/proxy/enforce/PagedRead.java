package dev.weir.proxy.enforce;

import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.read.ClientRead;
import dev.weir.proxy.enforce.read.Pager;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.read.StoreRead;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A Query or Scan that weir pages itself because the caller's view of the table is restricted
 * (docs/threat-model.md, "Order and pages"): the client's read ({@link ClientRead}), the read
 * weir sends the store for it ({@link StoreRead}), the caller's view, and the attributes of a
 * key of the read. Nothing of the client's request is forwarded as it was sent.
 *
 * @param keyAttributes the attributes of a LastEvaluatedKey of this read (the table's keys, and the index's)
 */
record PagedRead(ClientRead read, StoreRead store, ReadView view, List<String> keyAttributes) implements SelfAnswered {
    private static final Logger log = LoggerFactory.getLogger(PagedRead.class);

    /**
     * Pages the read and answers it: the caller's page as the view shows it; the store's error
     * answer as the store gave it; 503 when the store cannot be reached or the deadline passes.
     */
    @Override public CompletableFuture<Answered> answer(Planned planned, UpstreamClient upstream, long deadlineNanos) {
        Verdict permitted = new Verdict.Permitted(planned.decided().ruleIds());
        String target = Target.of(store.operation());
        Pager pager;
        try {
            pager = Pager.builder(view, keyAttributes, (start, limit) ->
                            upstream.send(target, store.page(start, limit), deadlineNanos).thenApply(StoreRead::parse))
                    .limit(read.limit()).exclusiveStartKey(read.exclusiveStartKey()).filter(read.filter())
                    .select(read.select()).projection(read.projection()).admitsNone(store.admitsNone())
                    .deadline(deadlineNanos).fetchKeepsDeadline().build();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return pager.run().handle((page, err) -> {
            if (err == null) {
                return new Answered(planned, permitted, ProxyResponse.of(200, page.toBytes()), 200, page.hidden(),
                        page.count(), planned.nanos());
            }
            Throwable cause = err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
            if (cause instanceof StoreRead.StoreError e) {
                UpstreamResponse r = e.response();
                return new Answered(planned, permitted, new ProxyResponse(r.status(), r.body(), r.crc32()), r.status(), 0, 0,
                        planned.nanos());
            }
            if (cause instanceof TimeoutException || cause instanceof java.io.IOException) {
                log.warn("a paged {} could not be completed: {}", store.operation(), cause.toString());
            } else {
                log.warn("a paged {} failed: {}", store.operation(), cause.getClass().getSimpleName());
            }
            return UpstreamFailures.answered(planned, permitted, cause, "weir could not complete the page before its deadline",
                    "weir could not page the store's answer");
        });
    }
}
