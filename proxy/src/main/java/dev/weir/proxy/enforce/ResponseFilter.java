package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.write.FailureItems;
import dev.weir.proxy.enforce.write.ReturnedValues;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

/**
 * The answer step's filter: the store's response as the caller may see it, every value through
 * the caller's read view, never a write rule:
 * <ul>
 *   <li>reads by a caller whose view is restricted are built through the view, member by member
 *       ({@link RestrictedAnswers}; Query and Scan never get here, weir pages them itself:
 *       {@link PagedRead});</li>
 *   <li>a write's returned values through {@link ReturnedValues}, a failed write's stored items
 *       through {@link FailureItems};</li>
 *   <li>every other answer loses the figures a restricted view withholds (table sizes,
 *       capacity).</li>
 * </ul>
 * A batch's members keyed by table come back under the names the client used. A response weir
 * cannot read is withheld (fail closed). One instance per firewall; it keeps no per-request state.
 */
final class ResponseFilter {
    private static final Logger log = LoggerFactory.getLogger(ResponseFilter.class);
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();
    /** The single writes whose answer may hold the item's values ({@code Attributes}). */
    private static final Set<Operation> WRITES = EnumSet.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem);
    /** The single reads whose answer holds items; under a restricted view they never reach {@link #items}. */
    private static final Set<Operation> READS = EnumSet.of(Operation.GetItem, Operation.Query, Operation.Scan);

    /** The filtered response and how many items the views showed and withheld. */
    record Filtered(ProxyResponse response, int rowsDropped, int itemsReturned) {}

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
        dev.weir.proxy.enforce.read.ReadAnswer.ShownBytes shown = RestrictedAnswers.readBytes(planned, resp.body());
        counter.kept += shown.kept();
        counter.dropped += shown.dropped();
        return ProxyResponse.of(200, shown.body());
    }

    /** Any other answer without the figures the caller's views withhold (table sizes, capacity). */
    private static ProxyResponse restricted(Planned planned, ProxyResponse out) throws IOException {
        byte[] shown = RestrictedAnswers.other(planned, out.body());
        return shown == out.body() ? out : ProxyResponse.of(out.status(), shown);
    }

    /** An error: the stored items of a failed write shown through the caller's view of each part's table. */
    private static ProxyResponse failure(Planned planned, UpstreamResponse resp) throws IOException {
        ParsedRequest request = planned.parsed().request();
        if (!FailureItems.WRITES.contains(request.operation())) return new ProxyResponse(resp.status(), resp.body(), resp.crc32());
        Decided decided = planned.decided();
        byte[] shown = FailureItems.filter(resp.body(), i -> {
            if (!request.isMultiPart()) return i < 0 ? decided.of(request.single()).view() : null;
            if (i < 0 || i >= request.parts().size()) return null;
            return decided.of(request.parts().get(i)).view();
        });
        return shown == resp.body() ? new ProxyResponse(resp.status(), resp.body(), resp.crc32()) : ProxyResponse.of(resp.status(), shown);
    }

    /**
     * A 200 answer that {@link RestrictedAnswers#read} does not build: a single write's returned
     * values through the view; anything else as the store gave it (batch and transaction writes
     * return no items; a single read gets here only when the caller's view is unrestricted).
     */
    private static ProxyResponse items(Planned planned, UpstreamResponse resp, Counter counter) throws IOException {
        ParsedRequest request = planned.parsed().request();
        Operation op = request.operation();
        if (request.isMultiPart()) return new ProxyResponse(200, resp.body(), resp.crc32());
        TableDecision d = planned.decided().of(request.single());
        if (WRITES.contains(op)) {
            ReturnedValues.Shown shown = ReturnedValues.filter(resp.body(), request.single(), d.view());
            counter.kept += shown.shown();
            counter.dropped += shown.withheld();
            return shown.body() == resp.body() ? new ProxyResponse(200, resp.body(), resp.crc32()) : ProxyResponse.of(200, shown.body());
        }
        if (READS.contains(op) && !d.view().isUnrestricted()) {
            throw new IllegalStateException("a read under a restricted view was forwarded as sent");
        }
        return new ProxyResponse(200, resp.body(), resp.crc32());
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

    /** Items the views showed and withheld in one response. */
    private static final class Counter {
        int kept;
        int dropped;
    }
}
