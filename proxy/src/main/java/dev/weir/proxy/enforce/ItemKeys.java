package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key attributes of the tables a request puts whole items into (PutItem, a BatchWriteItem
 * PutRequest, a TransactWriteItems Put), for the audit. Such a request names its item's key
 * only inside the item, so the audit record can name the key only with the table's key schema
 * (weir reads it with its own credentials and keeps it, {@code TableSchemas}). A table the store
 * does not have is absent: its items' keys stay unnamed, and the store answers the put with
 * ResourceNotFoundException.
 *
 * @param byTable    table (canonical) → its hash key, then its range key if it has one
 * @param unreadable tables whose key schema weir could not read (the store did not answer): their items' keys go
 *                   unnamed, and the audit record says so
 */
record ItemKeys(Map<String, List<String>> byTable, List<String> unreadable) {
    static final ItemKeys NONE = new ItemKeys(Map.of(), List.of());

    ItemKeys {
        byTable = Map.copyOf(byTable);
        unreadable = List.copyOf(unreadable);
    }

    boolean isEmpty() {
        return byTable.isEmpty() && unreadable.isEmpty();
    }

    /** What the audit record says when some item's key could not be named, else null. */
    String note() {
        return unreadable.isEmpty() ? null
                : "the key of an item put into " + String.join(", ", unreadable) + " is not named: weir could not read the table's key schema";
    }

    /** The tables whose key schema the request's puts need, each once. */
    static Set<String> tablesPutInto(ParsedRequest request) {
        Set<String> out = new LinkedHashSet<>();
        for (Part p : request.parts()) if (item(p) != null && p.table() != null) out.add(p.table());
        return out;
    }

    /** The key of the item a part puts (its key attributes only, as sent), or null: no item, or no known schema. */
    ObjectNode keyOf(Part part) {
        ObjectNode item = item(part);
        List<String> attributes = item == null ? null : byTable.get(part.table());
        if (attributes == null) return null;
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String a : attributes) {
            JsonNode v = item.get(a);
            if (v != null) key.set(a, v);
        }
        return key.isEmpty() ? null : key;
    }

    /** The top-level attribute names of the item a part puts: what a put writes (empty without one). */
    static List<String> attributesPut(Part part) {
        ObjectNode item = item(part);
        if (item == null) return List.of();
        List<String> out = new ArrayList<>(item.size());
        for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    private static ObjectNode item(Part part) {
        return part.body().get("Item") instanceof ObjectNode o ? o : null;
    }
}
