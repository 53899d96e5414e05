package dev.weir.policy.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.expr.Path;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The key an API-call trigger sends, as its role reads it ({@code GetItem} by a principal with
 * that role alone). The lifecycle queue ({@code RequestTriggerQueue}) and the policy tests
 * ({@code ./weir policy test}) both cut keys here.
 */
public final class RequestKeys {
    private RequestKeys() {}

    /**
     * The key whole, or empty when the role may not read an attribute of it in the clear, or may
     * not read the table's items at all (then nothing is sent: a masked key would still tell which
     * item was touched).
     *
     * @param key the request's {@code Key} in DynamoDB JSON (null: no key, sent as {@code {}})
     */
    public static Optional<ObjectNode> cut(DecisionTable table, RequestTriggerSpec t, ObjectNode key) {
        if (!(table.decide(TriggerCompiler.keyViewRequest(t.role(), t.table())) instanceof Allowed allowed)
                || !allowed.rows().isAll()) {
            return Optional.empty();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (key == null) return Optional.of(out);
        for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!allowed.fields().isIdentity() && !allowed.fields().canReadInClear(Path.of(e.getKey()))) return Optional.empty();
            out.set(e.getKey(), e.getValue().deepCopy());
        }
        return Optional.of(out);
    }

    /**
     * Every key of a request (a batch's or a transaction's keys of the trigger's table), whole, or
     * empty when any one of them is not the role's to read in the clear: then nothing is sent, not
     * even the other keys (a shortened list would misstate the request).
     */
    public static Optional<List<ObjectNode>> cut(DecisionTable table, RequestTriggerSpec t, List<ObjectNode> keys) {
        List<ObjectNode> out = new ArrayList<>(keys.size());
        for (ObjectNode key : keys) {
            Optional<ObjectNode> one = cut(table, t, Objects.requireNonNull(key, "key"));
            if (one.isEmpty()) return Optional.empty();
            out.add(one.get());
        }
        if (keys.isEmpty() && cut(table, t, (ObjectNode) null).isEmpty()) return Optional.empty();
        return Optional.of(out);
    }
}
