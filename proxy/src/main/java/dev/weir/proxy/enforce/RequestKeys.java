package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.succeeded.SucceededRequest.TableKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a request names, per table, for the {@code RequestListener}: each part's
 * {@code Key} or {@code Keys}, and a put's key read from its item by the table's key schema
 * ({@link ItemKeys}). A TransactWriteItems ConditionCheck is left out: it changes nothing
 * (docs/triggers.md, "API-call triggers").
 */
final class RequestKeys {
    private RequestKeys() {}

    static List<TableKeys> of(ParsedRequest request, ItemKeys itemKeys) {
        Map<String, List<ObjectNode>> keys = new LinkedHashMap<>();
        Map<String, Integer> unnamed = new LinkedHashMap<>();
        for (Part part : request.parts()) {
            if (part.table() == null || conditionCheck(request, part)) continue;
            List<ObjectNode> named = keys.computeIfAbsent(part.table(), t -> new ArrayList<>());
            unnamed.putIfAbsent(part.table(), 0);
            named.addAll(part.keys());
            if (part.acts() == Operation.PutItem) {
                ObjectNode key = itemKeys.keyOf(part);
                if (key != null) named.add(key);
                else unnamed.merge(part.table(), 1, Integer::sum);
            }
        }
        List<TableKeys> out = new ArrayList<>();
        keys.forEach((table, named) -> out.add(new TableKeys(table, named, unnamed.get(table))));
        return out;
    }

    /** A TransactWriteItems part that acts as a read is a ConditionCheck (the parser allows no Get there). */
    private static boolean conditionCheck(ParsedRequest request, Part part) {
        return request.operation() == Operation.TransactWriteItems && part.acts() == Operation.GetItem;
    }
}
