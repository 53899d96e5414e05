package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.redact.ResponseRedactor;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The answer step's filter: the store's response as the caller may see it. Reads by a caller
 * whose view is restricted are built through the view, member by member
 * ({@link RestrictedAnswers}; Query and Scan never get here, weir pages them itself:
 * {@link PagedRead}); other answers lose the figures a restricted view withholds (table
 * sizes, capacity); the items writes return go through the streaming redactor; a failed
 * write's stored items through {@link FailureItems}; a batch's members keyed by table come
 * back under the names the client used. A response weir cannot read is withheld (fail
 * closed). One instance per firewall; it keeps no per-request state.
 */
final class ResponseFilter {
    private static final Logger log = LoggerFactory.getLogger(ResponseFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The filtered response and how many items the row filters kept and dropped. */
    record Filtered(ProxyResponse response, int rowsDropped, int itemsReturned) {}

    private final ResponseRedactor redactor = new ResponseRedactor();

    Filtered filter(Planned planned, UpstreamResponse resp) {
        ParsedRequest request = planned.parsed().request();
        Counter counter = new Counter();
        ProxyResponse out;
        try {
            out = resp.status() != 200 ? failure(planned, resp)
                    : RestrictedAnswers.isRead(planned) ? restrictedRead(planned, resp, counter)
                    : restricted(planned, items(planned, resp, counter));
            if (!request.namesAsSent().isEmpty()) out = namesAsSent(request, out);
        } catch (IOException | RuntimeException e) {
            // Fail closed: a response the proxy cannot read is not passed on.
            log.warn("unreadable {} response from upstream withheld: {}", request.operation(), e.getClass().getSimpleName());
            return new Filtered(ProxyResponse.error(DynamoError.internalServerError("weir could not filter the store's response")),
                    counter.dropped, counter.kept);
        }
        return new Filtered(out, counter.dropped, counter.kept);
    }

    /** A GetItem, BatchGetItem or TransactGetItems answer for a caller whose view is restricted. */
    private static ProxyResponse restrictedRead(Planned planned, UpstreamResponse resp, Counter counter) throws IOException {
        dev.weir.proxy.enforce.read.ReadAnswer.Shown shown = RestrictedAnswers.read(planned, resp.body());
        counter.kept += shown.kept();
        counter.dropped += shown.dropped();
        return ProxyResponse.of(200, JSON.writeValueAsBytes(shown.body()));
    }

    /** Any other answer without the figures the caller's views withhold (table sizes, capacity). */
    private static ProxyResponse restricted(Planned planned, ProxyResponse out) throws IOException {
        byte[] shown = RestrictedAnswers.other(planned, out.body());
        return shown == out.body() ? out : ProxyResponse.of(out.status(), shown);
    }

    /** An error: the stored items of a failed write shown through the decision that covers each. */
    private static ProxyResponse failure(Planned planned, UpstreamResponse resp) throws IOException {
        ParsedRequest request = planned.parsed().request();
        if (!FailureItems.WRITES.contains(request.operation())) return new ProxyResponse(resp.status(), resp.body(), resp.crc32());
        Decided decided = planned.decided();
        byte[] shown = FailureItems.filter(resp.body(), i -> {
            if (!request.isMultiPart()) return i < 0 ? covering(decided.of(request.single())) : null;
            if (i < 0 || i >= request.parts().size()) return null;
            return covering(decided.of(request.parts().get(i)));
        });
        return shown == resp.body() ? new ProxyResponse(resp.status(), resp.body(), resp.crc32()) : ProxyResponse.of(resp.status(), shown);
    }

    private static FailureItems.Covering covering(TableDecision d) {
        return new FailureItems.Covering(d.allowed(), d.request());
    }

    private ProxyResponse items(Planned planned, UpstreamResponse resp, Counter counter) throws IOException {
        ParsedRequest request = planned.parsed().request();
        Decided decided = planned.decided();
        Operation op = request.operation();
        if (request.isMultiPart()) {
            // Reads under a restricted view were shown by RestrictedAnswers; the rest hold no items to filter.
            return new ProxyResponse(200, resp.body(), resp.crc32());
        }
        TableDecision d = decided.of(request.single());
        Projection own = planned.plan().of(request.single().index()).readWhole();
        byte[] visible = redactor.redact(op, d.allowed().fields(), rows(d, counter), own == null ? null : own::apply, resp.body());
        return visible == resp.body() && resp.crc32() != null ? new ProxyResponse(200, visible, resp.crc32()) : ProxyResponse.of(200, visible);
    }

    /** The table's row filter, counting what it keeps and drops; null when it keeps every row. */
    private static Predicate<Map<String, AttributeValue>> rows(TableDecision d, Counter counter) {
        RowFilter rows = d.allowed().rows();
        if (rows.isAll()) return null;
        return item -> {
            boolean keep = rows.test(d.request(), item);
            if (keep) counter.kept++;
            else counter.dropped++;
            return keep;
        };
    }

    /** Members keyed by table name, renamed back to the ARNs the client named those tables by. */
    private static final List<String> KEYED_BY_TABLE = List.of("Responses", "UnprocessedKeys", "UnprocessedItems", "ItemCollectionMetrics");

    private static ProxyResponse namesAsSent(ParsedRequest request, ProxyResponse out) throws IOException {
        if (out.status() != 200 || (request.operation() != Operation.BatchGetItem && request.operation() != Operation.BatchWriteItem)) {
            return out;
        }
        JsonNode tree = JSON.readTree(out.body());
        boolean changed = false;
        for (String member : KEYED_BY_TABLE) {
            if (!(tree.get(member) instanceof ObjectNode byTable)) continue;
            ObjectNode renamed = byTable.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = byTable.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String asSent = request.namesAsSent().get(e.getKey());
                renamed.set(asSent == null ? e.getKey() : asSent, e.getValue());
                changed |= asSent != null;
            }
            ((ObjectNode) tree).set(member, renamed);
        }
        return changed ? ProxyResponse.of(200, JSON.writeValueAsBytes(tree)) : out;
    }

    /** Items kept and dropped by the row filters of one response. */
    private static final class Counter {
        int kept;
        int dropped;
    }
}
