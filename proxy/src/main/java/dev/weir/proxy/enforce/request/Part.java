package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * What is checked as one single-item or single-table request: a whole request, or one part
 * of a batch or transaction. A part has the table it names (canonical), what it does
 * ({@code acts}: GetItem, PutItem, UpdateItem, DeleteItem, a ConditionCheck as GetItem; a
 * single request acts as itself), its members shaped like that request's, and its
 * expressions, parsed. Each part of a batch or transaction is checked exactly as the request
 * it stands for would be, and decided under the container's operation name.
 *
 * @param index where the part is: its position among the request's parts (a TransactItems
 *              entry's index, a BatchGetItem table's position); 0 for a single request
 * @param table the table (canonical), or null for operations on no table
 * @param body  the part's members as the client sent them; read only
 * @param keyAttributes the attribute names of the part's keys and ExclusiveStartKey (reading by them tests them),
 *                      read once from the body: the checks and the audit record each ask for them
 */
public record Part(int index, String table, Operation acts, ObjectNode body, Expressions expressions, List<String> keyAttributes) {
    public Part {
        keyAttributes = List.copyOf(keyAttributes);
    }

    public Part(int index, String table, Operation acts, ObjectNode body, Expressions expressions) {
        this(index, table, acts, body, expressions, keyAttributes(body));
    }

    /** The table name policies match against; operations on no table match only {@code *}. */
    public String policyTable() {
        return table == null ? "*" : table;
    }

    /** The keys the part names ({@code Key}, or each of {@code Keys}); a PutItem's is not known without the schema. */
    public List<ObjectNode> keys() {
        List<ObjectNode> out = new ArrayList<>();
        if (body.get("Key") instanceof ObjectNode k) out.add(k);
        if (body.get("Keys") instanceof JsonNode ks && ks.isArray()) {
            for (JsonNode k : ks) if (k instanceof ObjectNode o) out.add(o);
        }
        return out;
    }

    private static List<String> keyAttributes(ObjectNode body) {
        List<String> out = new ArrayList<>();
        if (body.get("Key") instanceof ObjectNode k) k.fieldNames().forEachRemaining(out::add);
        if (body.get("Keys") instanceof JsonNode ks && ks.isArray()) {
            for (JsonNode k : ks) if (k instanceof ObjectNode o) o.fieldNames().forEachRemaining(out::add);
        }
        if (body.get("ExclusiveStartKey") instanceof ObjectNode start) start.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A member's text value, or null when absent or not text. */
    public String text(String member) {
        JsonNode n = body.get(member);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
