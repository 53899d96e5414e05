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
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.write.FailureItems;
import dev.weir.proxy.enforce.write.ReturnedValues;
import dev.weir.proxy.redact.ResponseRedactor;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The answer step's filter: the store's response as the caller may see it. Items of reads go
 * through each table's field plan and row filter (and the client's own projection when weir
 * read them whole); a write's returned values through {@link ReturnedValues} and a failed
 * write's stored items through {@link FailureItems}, both by the caller's read view; a batch's
 * members keyed by table come back under the names the client used. A response weir cannot
 * read is withheld (fail closed). One instance per firewall; it keeps no per-request state.
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
            out = resp.status() == 200 ? items(planned, resp, counter) : failure(planned, resp);
            if (!request.namesAsSent().isEmpty()) out = namesAsSent(request, out);
        } catch (IOException | RuntimeException e) {
            // Fail closed: a response the proxy cannot read is not passed on.
            log.warn("unreadable {} response from upstream withheld: {}", request.operation(), e.getClass().getSimpleName());
            return new Filtered(ProxyResponse.error(DynamoError.internalServerError("weir could not filter the store's response")),
                    counter.dropped, counter.kept);
        }
        return new Filtered(out, counter.dropped, counter.kept);
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

    private ProxyResponse items(Planned planned, UpstreamResponse resp, Counter counter) throws IOException {
        ParsedRequest request = planned.parsed().request();
        Decided decided = planned.decided();
        Operation op = request.operation();
        if (request.isMultiPart()) {
            if (op != Operation.BatchGetItem && op != Operation.TransactGetItems) return new ProxyResponse(200, resp.body(), resp.crc32());
            Map<String, UnaryOperator<Map<String, AttributeValue>>> tableShapes = new HashMap<>();
            List<UnaryOperator<Map<String, AttributeValue>>> entryShapes = new ArrayList<>();
            Map<String, ObjectNode> clientReads = new HashMap<>();
            for (Part part : request.parts()) {
                Projection own = planned.plan().of(part.index()).readWhole();
                if (op == Operation.TransactGetItems) {
                    entryShapes.add(own == null ? null : own::apply);
                } else if (own != null) {
                    tableShapes.put(part.table(), own::apply);
                    clientReads.put(part.table(), part.body());
                }
            }
            Map<String, ResponseRedactor.TablePlan> byTable = new HashMap<>();
            decided.tables().forEach((table, d) -> byTable.put(table, new ResponseRedactor.TablePlan(d.allowed().fields(),
                    rows(d, counter), tableShapes.get(table))));
            List<String> tableOfEntry = request.parts().stream().map(Part::table).toList();
            byte[] shown = redactor.redactParts(op, byTable, tableOfEntry, entryShapes, resp.body());
            return ProxyResponse.of(200, clientReads.isEmpty() ? shown : Projections.restoreUnprocessed(shown, clientReads));
        }
        TableDecision d = decided.of(request.single());
        if (FailureItems.WRITES.contains(op)) {
            ReturnedValues.Shown shown = ReturnedValues.filter(resp.body(), request.single(), d.view());
            counter.kept += shown.shown();
            counter.dropped += shown.withheld();
            return shown.body() == resp.body() ? new ProxyResponse(200, resp.body(), resp.crc32()) : ProxyResponse.of(200, shown.body());
        }
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
