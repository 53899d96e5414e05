package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.upstream.UpstreamAccount;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a request touches, for its audit record ({@link Touched}), listed without a set for each
 * step: the same paths, in the same order, each once, and the same keys as the former way
 * ({@link TouchedBefore}), over seeded requests of every item operation: expressions and their
 * legacy twins, nested paths, names with a dot given by placeholder (a name {@code a.b} and the
 * path {@code a.b} are two paths with one text), returned values, batches and transactions, and
 * key values the caller may or may not read.
 */
class TouchedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestParser PARSER = new RequestParser(UpstreamAccount.DEFAULT);
    private static final ItemKeys PUT_KEYS = new ItemKeys(Map.of("t", List.of("id")), List.of());
    private static final List<FieldPlan> PLANS = List.of(FieldPlan.identity(), plan("mask id hash"), plan("fields [pa, pb]"),
            plan("remove pc mask pa show_last(2)"));
    private static final Operation[] OPS = {Operation.GetItem, Operation.Query, Operation.Scan, Operation.PutItem,
            Operation.UpdateItem, Operation.DeleteItem, Operation.BatchGetItem, Operation.BatchWriteItem,
            Operation.TransactWriteItems, Operation.TransactGetItems};

    @Test
    void listsWhatTheFormerSetsListed() {
        Map<Operation, Integer> compared = new EnumMap<>(Operation.class);
        int paths = 0, dotted = 0;
        for (long seed = 1; seed <= 30_000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Operation op = OPS[r.nextInt(OPS.length)];
            ObjectNode body = new Gen(r).request(op);
            ParsedRequest parsed;
            try {
                parsed = PARSER.parse("ada", Target.of(op), JSON.writeValueAsBytes(body));
            } catch (DynamoException | dev.weir.proxy.enforce.verdict.Refusal | com.fasterxml.jackson.core.JsonProcessingException refused) {
                continue; // a request DynamoDB would refuse touches nothing
            }
            FieldPlan plan = PLANS.get(r.nextInt(PLANS.size()));
            for (Part part : parsed.parts()) {
                Touched now = Touched.of(part, op, plan, PUT_KEYS);
                assertEquals(TouchedBefore.of(part, op, plan, PUT_KEYS), now, () -> "request " + body);
                paths += now.readPaths().size() + now.writtenPaths().size();
                if (now.readPaths().size() != Set.copyOf(now.readPaths()).size()) dotted++;
            }
            compared.merge(op, 1, Integer::sum);
        }
        for (Operation op : OPS) assertTrue(compared.getOrDefault(op, 0) > 500, () -> "too few " + op + " compared: " + compared);
        assertTrue(paths > 50_000, "paths compared: " + paths);
        assertTrue(dotted > 10, "requests with a name and a path of one text: " + dotted);
    }

    private static FieldPlan plan(String clauses) {
        String text = "role a\nallow a on table t op [GetItem] " + clauses + "\n";
        var loaded = PolicyLoader.load(List.of(new PolicySource("touched.weir", text)));
        var table = loaded.table().orElseThrow(() -> new IllegalArgumentException(loaded.errors() + "\n" + text));
        DecisionRequest request = new DecisionRequest("ada", Set.of("a"), Map.of(), "t", Operation.GetItem, Context.NONE);
        return assertInstanceOf(Allowed.class, table.decide(request)).fields();
    }

    /** One seeded request; its placeholders are defined as used, so most requests are valid. */
    private static final class Gen {
        private static final String[] TOP = {"pa", "pb", "pc", "id"};
        private final SplittableRandom r;
        private final Map<String, String> names = new LinkedHashMap<>();
        private final ObjectNode values = JSON.createObjectNode();

        Gen(SplittableRandom r) {
            this.r = r;
        }

        ObjectNode request(Operation op) {
            return switch (op) {
                case BatchGetItem -> {
                    ObjectNode b = JSON.createObjectNode();
                    ObjectNode t = b.putObject("RequestItems").putObject("t");
                    ArrayNode keys = t.putArray("Keys");
                    for (int k = 1 + r.nextInt(3); k > 0; k--) keys.add(key());
                    if (r.nextBoolean()) t.put("ProjectionExpression", projection());
                    placeholders(t);
                    yield b;
                }
                case BatchWriteItem -> {
                    ObjectNode b = JSON.createObjectNode();
                    ArrayNode writes = b.putObject("RequestItems").putArray("t");
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        if (r.nextBoolean()) writes.addObject().putObject("PutRequest").set("Item", item());
                        else writes.addObject().putObject("DeleteRequest").set("Key", key());
                    }
                    yield b;
                }
                case TransactWriteItems -> {
                    ObjectNode b = JSON.createObjectNode();
                    ArrayNode items = b.putArray("TransactItems");
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        Gen g = new Gen(r);
                        Operation acts = new Operation[] {Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem, null}[r.nextInt(4)];
                        ObjectNode one = acts == null ? g.conditionCheck() : g.single(acts, false);
                        one.remove("ReturnValues");
                        items.addObject().set(acts == null ? "ConditionCheck" : acts == Operation.PutItem ? "Put"
                                : acts == Operation.UpdateItem ? "Update" : "Delete", one);
                    }
                    yield b;
                }
                case TransactGetItems -> {
                    ObjectNode b = JSON.createObjectNode();
                    ArrayNode items = b.putArray("TransactItems");
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        Gen g = new Gen(r);
                        ObjectNode get = JSON.createObjectNode().put("TableName", "t");
                        get.set("Key", g.key());
                        if (r.nextBoolean()) get.put("ProjectionExpression", g.projection());
                        g.placeholders(get);
                        items.addObject().set("Get", get);
                    }
                    yield b;
                }
                default -> single(op, r.nextInt(4) == 0);
            };
        }

        private ObjectNode conditionCheck() {
            ObjectNode b = JSON.createObjectNode().put("TableName", "t");
            b.set("Key", key());
            b.put("ConditionExpression", condition(2));
            placeholders(b);
            return b;
        }

        /** A single-item request, or a Query or Scan; in the legacy parameters when {@code legacy}. */
        ObjectNode single(Operation op, boolean legacy) {
            ObjectNode b = JSON.createObjectNode().put("TableName", "t");
            switch (op) {
                case GetItem -> {
                    b.set("Key", key());
                    if (legacy) b.set("AttributesToGet", attributes());
                    else if (r.nextBoolean()) b.put("ProjectionExpression", projection());
                }
                case Query -> {
                    if (legacy) {
                        b.putObject("KeyConditions").putObject("id").put("ComparisonOperator", "EQ")
                                .putArray("AttributeValueList").addObject().put("S", "k" + r.nextInt(9));
                        if (r.nextBoolean()) b.set("QueryFilter", legacyConditions());
                    } else {
                        b.put("KeyConditionExpression", (r.nextBoolean() ? "id" : name("id")) + " = " + value());
                        if (r.nextBoolean()) b.put("FilterExpression", condition(2));
                        if (r.nextBoolean()) b.put("ProjectionExpression", projection());
                    }
                }
                case Scan -> {
                    if (legacy) {
                        if (r.nextBoolean()) b.set("ScanFilter", legacyConditions());
                        if (r.nextBoolean()) b.set("AttributesToGet", attributes());
                    } else {
                        if (r.nextBoolean()) b.put("FilterExpression", condition(2));
                        if (r.nextBoolean()) b.put("ProjectionExpression", projection());
                    }
                }
                case PutItem -> {
                    b.set("Item", item());
                    if (legacy) b.set("Expected", expected());
                    else if (r.nextBoolean()) b.put("ConditionExpression", condition(2));
                    returnValues(b, "NONE", "ALL_OLD");
                }
                case UpdateItem -> {
                    b.set("Key", key());
                    if (legacy) {
                        b.set("AttributeUpdates", attributeUpdates());
                        if (r.nextBoolean()) b.set("Expected", expected());
                    } else {
                        b.put("UpdateExpression", update());
                        if (r.nextBoolean()) b.put("ConditionExpression", condition(2));
                    }
                    returnValues(b, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
                }
                case DeleteItem -> {
                    b.set("Key", key());
                    if (legacy) b.set("Expected", expected());
                    else if (r.nextBoolean()) b.put("ConditionExpression", condition(2));
                    returnValues(b, "NONE", "ALL_OLD");
                }
                default -> throw new IllegalArgumentException(op.name());
            }
            placeholders(b);
            return b;
        }

        private void returnValues(ObjectNode b, String... choices) {
            if (r.nextBoolean()) b.put("ReturnValues", choices[r.nextInt(choices.length)]);
            if (r.nextInt(5) == 0) b.put("ReturnValuesOnConditionCheckFailure", r.nextBoolean() ? "ALL_OLD" : "NONE");
        }

        private void placeholders(ObjectNode b) {
            if (!names.isEmpty()) {
                ObjectNode n = b.putObject("ExpressionAttributeNames");
                names.forEach(n::put);
            }
            if (!values.isEmpty()) b.set("ExpressionAttributeValues", values.deepCopy());
        }

        private ObjectNode key() {
            ObjectNode k = JSON.createObjectNode();
            ObjectNode v = k.putObject("id");
            switch (r.nextInt(4)) {
                case 0 -> v.put("N", Integer.toString(r.nextInt(100)));
                case 1 -> v.put("B", "AAEC");
                default -> v.put("S", "k" + r.nextInt(100));
            }
            return k;
        }

        private ObjectNode item() {
            ObjectNode item = key();
            for (String a : new String[] {"pa", "pb", "pc", "a.b"}) {
                if (r.nextBoolean()) item.putObject(a).put("S", "v" + r.nextInt(9));
            }
            if (r.nextBoolean()) item.putObject("m").putObject("M").putObject("b").put("N", "1");
            return item;
        }

        private ArrayNode attributes() {
            ArrayNode a = JSON.createArrayNode();
            for (int k = 1 + r.nextInt(3); k > 0; k--) a.add(new String[] {"pa", "pb", "a.b", "id", "pa"}[r.nextInt(5)]);
            return a;
        }

        private ObjectNode legacyConditions() {
            ObjectNode c = JSON.createObjectNode();
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                ObjectNode one = c.putObject(new String[] {"pa", "pb", "a.b"}[r.nextInt(3)]);
                if (r.nextBoolean()) {
                    one.put("ComparisonOperator", "NOT_NULL");
                } else {
                    one.put("ComparisonOperator", "EQ").putArray("AttributeValueList").addObject().put("S", "x");
                }
            }
            return c;
        }

        private ObjectNode expected() {
            ObjectNode c = JSON.createObjectNode();
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                ObjectNode one = c.putObject(new String[] {"pa", "id", "a.b"}[r.nextInt(3)]);
                if (r.nextBoolean()) one.put("Exists", false);
                else one.putObject("Value").put("S", "x");
            }
            return c;
        }

        private ObjectNode attributeUpdates() {
            ObjectNode u = JSON.createObjectNode();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                ObjectNode one = u.putObject(new String[] {"pa", "pb", "a.b", "pc"}[r.nextInt(4)]);
                switch (r.nextInt(3)) {
                    case 0 -> one.put("Action", "DELETE");
                    case 1 -> one.put("Action", "ADD").putObject("Value").put("N", "1");
                    default -> one.put("Action", "PUT").putObject("Value").put("S", "x");
                }
            }
            return u;
        }

        /** A document path: a top-level name (or a placeholder, some for names with a dot), then map keys and indexes. */
        private String path() {
            StringBuilder p = new StringBuilder(switch (r.nextInt(7)) {
                case 0 -> name("a.b");
                case 1 -> name(TOP[r.nextInt(TOP.length)]);
                case 2 -> "a";
                default -> TOP[r.nextInt(TOP.length)];
            });
            for (int k = r.nextInt(3); k > 0; k--) {
                if (r.nextBoolean()) p.append('.').append(r.nextBoolean() ? "b" : name("pa"));
                else p.append('[').append(r.nextInt(3)).append(']');
            }
            return p.toString();
        }

        private String projection() {
            StringBuilder p = new StringBuilder(path());
            for (int k = r.nextInt(3); k > 0; k--) p.append(", ").append(path());
            return p.toString();
        }

        private String condition(int depth) {
            if (depth > 0 && r.nextInt(3) == 0) {
                return switch (r.nextInt(3)) {
                    case 0 -> "(" + condition(depth - 1) + ") AND (" + condition(depth - 1) + ")";
                    case 1 -> "(" + condition(depth - 1) + ") OR (" + condition(depth - 1) + ")";
                    default -> "NOT (" + condition(depth - 1) + ")";
                };
            }
            return switch (r.nextInt(6)) {
                case 0 -> "attribute_exists(" + path() + ")";
                case 1 -> "attribute_not_exists(" + path() + ")";
                case 2 -> "begins_with(" + path() + ", " + value() + ")";
                case 3 -> path() + " BETWEEN " + value() + " AND " + value();
                case 4 -> "size(" + path() + ") > " + number();
                default -> path() + (r.nextBoolean() ? " = " : " <> ") + (r.nextBoolean() ? value() : path());
            };
        }

        private String update() {
            StringBuilder u = new StringBuilder();
            int sets = r.nextInt(3), removes = r.nextInt(2), adds = r.nextInt(2);
            if (sets + removes + adds == 0) sets = 1;
            if (sets > 0) {
                u.append("SET ");
                for (int k = 0; k < sets; k++) {
                    if (k > 0) u.append(", ");
                    u.append(path()).append(" = ").append(switch (r.nextInt(5)) {
                        case 0 -> "if_not_exists(" + path() + ", " + value() + ")";
                        case 1 -> "list_append(" + path() + ", " + value() + ")";
                        case 2 -> path() + " + " + number();
                        case 3 -> path();
                        default -> value();
                    });
                }
            }
            if (removes > 0) u.append(" REMOVE ").append(path());
            if (adds > 0) u.append(r.nextBoolean() ? " ADD " : " DELETE ").append(path()).append(' ').append(value());
            return u.toString();
        }

        private String name(String n) {
            for (Map.Entry<String, String> e : names.entrySet()) if (e.getValue().equals(n) && r.nextBoolean()) return e.getKey();
            String placeholder = "#n" + names.size();
            names.put(placeholder, n);
            return placeholder;
        }

        private String value() {
            String placeholder = ":v" + values.size();
            values.putObject(placeholder).put("S", "s" + r.nextInt(9));
            return placeholder;
        }

        private String number() {
            String placeholder = ":v" + values.size();
            values.putObject(placeholder).put("N", Integer.toString(r.nextInt(9)));
            return placeholder;
        }
    }
}
