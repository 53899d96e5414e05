package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The integrity invariant, checked on world one: each item a successful write names and
 * changes was, and is, inside the actor's write scope as the model reads the policy; and at
 * the end of a run nothing else changed (writes that failed included).
 */
final class Integrity {
    private final Scenario s;
    private final World world;
    /** What world one holds, per table and key, as far as the checks have followed it. */
    private final Map<String, Map<String, Map<String, AttributeValue>>> state = new java.util.HashMap<>();

    Integrity(Scenario s, World world) {
        this.s = s;
        this.world = world;
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> items = new java.util.TreeMap<>();
            for (Map<String, AttributeValue> item : s.d1().get(t.name())) items.put(World.keyText(t.keyOf(item)), item);
            state.put(t.name(), items);
        }
    }

    /**
     * Checks world one after a write that succeeded: each item it names that changed was, and
     * is, inside the actor's write scope; null when it holds. What changed elsewhere shows in
     * {@link #atEnd()}.
     */
    String afterWrite(Req req, JsonNode body, Principal actor) {
        Map<String, Map<String, Map<String, AttributeValue>>> named = namedKeys(s, req.op(), body);
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> keys = named.get(t.name());
            if (keys == null) continue;
            Map<String, Map<String, AttributeValue>> was = state.get(t.name());
            Map<String, Map<String, AttributeValue>> now = world.items(t, List.copyOf(keys.values()));
            for (String k : keys.keySet()) {
                Map<String, AttributeValue> a = was.get(k), b = now.get(k);
                if (same(a, b)) continue;
                PolicyModel.WriteScope scope = s.policy().writeScope(actor, t.name(), req.op());
                if (scope == null) {
                    return "item " + k + " of " + t.name() + " changed, but no write rule allows " + actor.name() + " " + req.op();
                } else if (a != null && !scope.admits(a)) {
                    return "item " + k + " of " + t.name() + " changed, but it was outside " + actor.name() + "'s write scope: " + a;
                } else if (b != null && !scope.admits(b)) {
                    return "item " + k + " of " + t.name() + " was moved outside " + actor.name() + "'s write scope: " + b;
                }
                if (b == null) was.remove(k);
                else was.put(k, b);
            }
        }
        return null;
    }

    /** Whether two stored items (or absences) are the same, by value. */
    private static boolean same(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a == null || b == null) return a == b;
        if (!a.keySet().equals(b.keySet())) return false;
        for (String k : a.keySet()) if (!Reveal.canonical(a.get(k)).equals(Reveal.canonical(b.get(k)))) return false;
        return true;
    }

    /** The keys a write request names, per table (Put, Update and Delete parts; not ConditionChecks). */
    private static Map<String, Map<String, Map<String, AttributeValue>>> namedKeys(Scenario s, String op, JsonNode body) {
        Map<String, Map<String, Map<String, AttributeValue>>> out = new java.util.HashMap<>();
        switch (op) {
            case "PutItem" -> name(s, out, body.path("TableName").asText(), body.get("Item"));
            case "UpdateItem", "DeleteItem" -> name(s, out, body.path("TableName").asText(), body.get("Key"));
            case "BatchWriteItem" -> body.path("RequestItems").fields().forEachRemaining(e -> {
                for (JsonNode w : e.getValue()) {
                    name(s, out, e.getKey(), w.path("PutRequest").get("Item"));
                    name(s, out, e.getKey(), w.path("DeleteRequest").get("Key"));
                }
            });
            case "TransactWriteItems" -> {
                for (JsonNode part : body.path("TransactItems")) {
                    for (String kind : List.of("Put", "Update", "Delete")) {
                        JsonNode p = part.get(kind);
                        if (p != null) name(s, out, p.path("TableName").asText(), p.has("Item") ? p.get("Item") : p.get("Key"));
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    private static void name(Scenario s, Map<String, Map<String, Map<String, AttributeValue>>> out, String tableRef,
                             JsonNode itemOrKey) {
        TableSpec t = s.table(tableRef);
        if (t == null || itemOrKey == null || !itemOrKey.isObject()) return;
        try {
            Map<String, AttributeValue> key = t.keyOf(AttributeValueJson.item(itemOrKey, "Key"));
            if (key != null) out.computeIfAbsent(t.name(), x -> new java.util.TreeMap<>()).put(World.keyText(key), key);
        } catch (RuntimeException e) {
            // a malformed key names nothing
        }
    }

    /** Null when every table holds exactly what the checked writes left in it. */
    String atEnd() {
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> was = state.get(t.name()), now = world.snapshot(t);
            Set<String> keys = new java.util.TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!same(was.get(k), now.get(k))) {
                    return "item " + k + " of " + t.name() + " changed, but no write that succeeded names it: "
                            + was.get(k) + " became " + now.get(k);
                }
            }
        }
        return null;
    }
}
