package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.upstream.UpstreamAccount;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request into a {@link ParsedRequest}: the operation its {@code X-Amz-Target}
 * names, the JSON body, the members weir understands ({@link KnownMembers}), the tables made
 * canonical ({@link TableNames}), the parts of a batch or transaction, and every expression
 * parsed ({@link Expressions}). Everything it refuses is refused here, before any decision:
 * malformed input as {@code INVALID} with DynamoDB's own error, what weir cannot enforce as
 * {@code UNENFORCEABLE}, an ARN of a table weir does not guard as {@code FORBIDDEN}.
 */
public final class RequestParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> GET = Set.of("Keys", "ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead",
            "AttributesToGet");
    private static final Set<String> TX_GET = Set.of("TableName", "Key", "ProjectionExpression", "ExpressionAttributeNames");
    private static final Set<String> TX_WRITE = Set.of("TableName", "Key", "Item", "UpdateExpression", "ConditionExpression",
            "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnValuesOnConditionCheckFailure");

    private final UpstreamAccount account;
    private final IteratorSeal seal;

    /** @param account the upstream's region and account: the only ones whose table ARNs are served */
    public RequestParser(UpstreamAccount account) {
        this(account, IteratorSeal.random());
    }

    /**
     * @param account the upstream's region and account: the only ones whose table and stream ARNs are served
     * @param seal    the key of weir's shard iterators: a GetRecords names its table only through one
     */
    public RequestParser(UpstreamAccount account, IteratorSeal seal) {
        this.account = account;
        this.seal = seal;
    }

    /**
     * Parses a request; throws a {@link Refusal} for anything it refuses.
     *
     * @param principal the caller's name, for refusals that name it
     */
    public ParsedRequest parse(String principal, String target, byte[] body) {
        try {
            Operation op = Target.parse(target);
            ObjectNode obj = RequestJson.read(body);
            KnownMembers.require(op, obj);
            TableNames tables = new TableNames(account, principal, op);
            Map<String, String> asSent = new LinkedHashMap<>();
            if (ParsedRequest.MULTI_PART.contains(op)) {
                return new ParsedRequest(op, null, obj, parts(op, obj, tables, asSent), asSent);
            }
            String table = null;
            if (op.isStream()) {
                table = tables.ofStreamRequest(obj, seal);
            } else if (obj.get("TableName") instanceof JsonNode t && t.isTextual()) {
                table = tables.canonical(t.textValue(), "TableName");
                if (!table.equals(t.textValue())) asSent.put(table, t.textValue());
            } else if (obj.get("ResourceArn") instanceof JsonNode arn && arn.isTextual()) {
                table = tables.ofResourceArn(arn.textValue());
            }
            Part whole = new Part(0, table, op, obj, Expressions.parse(op, obj));
            return new ParsedRequest(op, table, obj, List.of(whole), asSent);
        } catch (DynamoException e) {
            throw Refusals.invalid(e.error());
        }
    }

    /** DynamoDB's most keys in one BatchGetItem, writes in one BatchWriteItem, and actions in one transaction. */
    static final int MAX_BATCH_GET_KEYS = 100, MAX_BATCH_WRITES = 25, MAX_TRANSACT_ACTIONS = 100;

    /**
     * Refuses a batch or transaction with more items than DynamoDB takes, before any part is
     * built: weir checks and decides each part, so 20,000 parts cost seconds where DynamoDB
     * answers with an error at once. The messages are DynamoDB's, the value abbreviated to its
     * number of elements (the store prints the list, which weir does not repeat).
     */
    private static void checkCounts(Operation op, ObjectNode body) {
        switch (op) {
            case BatchGetItem, BatchWriteItem -> {
                if (!(body.get("RequestItems") instanceof ObjectNode items)) return;
                boolean get = op == Operation.BatchGetItem;
                int max = get ? MAX_BATCH_GET_KEYS : MAX_BATCH_WRITES;
                int total = 0;
                for (Map.Entry<String, JsonNode> t : items.properties()) {
                    JsonNode list = get ? t.getValue().get("Keys") : t.getValue();
                    if (list == null || !list.isArray()) continue;
                    if (list.size() > max) {
                        throw Refusals.invalid(tooMany(list.size(), "requestItems." + t.getKey() + ".member" + (get ? ".keys" : ""), max));
                    }
                    total += list.size();
                }
                if (total > max) throw Refusals.invalid("Too many items requested for the " + op + " call");
            }
            case TransactGetItems, TransactWriteItems -> {
                if (body.get("TransactItems") instanceof JsonNode list && list.isArray() && list.size() > MAX_TRANSACT_ACTIONS) {
                    throw Refusals.invalid(tooMany(list.size(), "transactItems", MAX_TRANSACT_ACTIONS));
                }
            }
            default -> { }
        }
    }

    private static String tooMany(int size, String path, int max) {
        return "1 validation error detected: Value '" + size + " elements' at '" + path
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max;
    }

    /** The parts of a batch or transaction, each shaped like the single-item request it stands for. */
    private static List<Part> parts(Operation op, ObjectNode body, TableNames tables, Map<String, String> asSent) {
        checkCounts(op, body);
        List<Part> parts = new ArrayList<>();
        switch (op) {
            case BatchGetItem -> {
                List<String> seen = new ArrayList<>();
                for (Map.Entry<String, JsonNode> t : fields(body, "RequestItems")) {
                    only(t.getValue(), GET, "RequestItems." + t.getKey());
                    String table = named(tables, t.getKey(), seen, asSent);
                    parts.add(new Part(parts.size(), table, Operation.GetItem, (ObjectNode) t.getValue(),
                            Expressions.parse(Operation.GetItem, t.getValue())));
                }
            }
            case BatchWriteItem -> {
                List<String> seen = new ArrayList<>();
                for (Map.Entry<String, JsonNode> t : fields(body, "RequestItems")) {
                    if (!t.getValue().isArray()) throw Refusals.invalid("RequestItems." + t.getKey() + " must be a list");
                    String table = named(tables, t.getKey(), seen, asSent);
                    for (JsonNode w : t.getValue()) {
                        ObjectNode part = NODES.objectNode();
                        Operation acts;
                        if (w.has("PutRequest") && w.size() == 1) {
                            only(w.get("PutRequest"), Set.of("Item"), "PutRequest");
                            part.set("Item", w.get("PutRequest").get("Item"));
                            acts = Operation.PutItem;
                        } else if (w.has("DeleteRequest") && w.size() == 1) {
                            only(w.get("DeleteRequest"), Set.of("Key"), "DeleteRequest");
                            part.set("Key", w.get("DeleteRequest").get("Key"));
                            acts = Operation.DeleteItem;
                        } else {
                            throw Refusals.invalid("each write request needs exactly one of PutRequest or DeleteRequest");
                        }
                        parts.add(new Part(parts.size(), table, acts, part, Expressions.parse(acts, part)));
                    }
                }
            }
            case TransactGetItems, TransactWriteItems -> {
                JsonNode items = body.get("TransactItems");
                if (items == null || !items.isArray()) throw Refusals.invalid("TransactItems must be a list");
                for (JsonNode item : items) {
                    if (!item.isObject() || item.size() != 1) {
                        throw Refusals.invalid("each TransactItem needs exactly one action");
                    }
                    Map.Entry<String, JsonNode> action = item.fields().next();
                    Operation acts = switch (action.getKey()) {
                        case "Get" -> op == Operation.TransactGetItems ? Operation.GetItem : null;
                        case "ConditionCheck" -> Operation.GetItem;
                        case "Put" -> Operation.PutItem;
                        case "Update" -> Operation.UpdateItem;
                        case "Delete" -> Operation.DeleteItem;
                        default -> null;
                    };
                    if (acts == null || (op == Operation.TransactGetItems) != action.getKey().equals("Get")) {
                        throw Refusals.unsupported("weir does not support the action '" + action.getKey() + "' of "
                                + op + ", so the request was refused rather than forwarded unchecked");
                    }
                    only(action.getValue(), action.getKey().equals("Get") ? TX_GET : TX_WRITE, action.getKey());
                    ObjectNode part = (ObjectNode) action.getValue();
                    JsonNode name = part.get("TableName");
                    if (name == null || !name.isTextual()) throw Refusals.invalid("TableName is required");
                    String table = tables.canonical(name.textValue(), "TableName");
                    if (!table.equals(name.textValue())) asSent.put(table, name.textValue());
                    parts.add(new Part(parts.size(), table, acts, part, Expressions.parse(acts, part)));
                }
            }
            default -> throw new IllegalArgumentException(op + " has no parts");
        }
        if (parts.isEmpty()) throw Refusals.invalid("the request names no items");
        return parts;
    }

    /** A RequestItems key made canonical; a table named twice (by name and by ARN) is refused. */
    private static String named(TableNames tables, String key, List<String> seen, Map<String, String> asSent) {
        String table = tables.canonical(key, "RequestItems");
        if (seen.contains(table)) throw Refusals.invalid("RequestItems names the table " + table + " more than once");
        seen.add(table);
        if (!table.equals(key)) asSent.put(table, key);
        return table;
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(ObjectNode body, String member) {
        JsonNode n = body.get(member);
        if (n == null || !n.isObject()) throw Refusals.invalid(member + " must be a map of table name to requests");
        return n::fields;
    }

    private static void only(JsonNode node, Set<String> known, String where) {
        if (node == null || !node.isObject()) throw Refusals.invalid(where + " must be a structure");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String m = it.next();
            if (!known.contains(m)) {
                throw Refusals.unsupported("weir does not support the parameter '" + m + "' in " + where
                        + ", so the request was refused rather than forwarded unchecked");
            }
        }
    }
}
