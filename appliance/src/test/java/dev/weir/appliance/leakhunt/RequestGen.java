package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random requests of every operation and flag, by random actors. Literal values come from the
 * generator's own pools, never from either store's data; keys come from the named key set of
 * {@link DataGen#namedKeys}. A continuation ({@link Req#continues()}) repeats an earlier Query
 * or Scan of the same actor from the {@code LastEvaluatedKey} that actor received.
 */
final class RequestGen {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> NESTED = List.of("address.street", "address.city", "address.zip", "meta.a.b", "meta.c[0]",
            "tags[0]", "tags[1]");

    /** Per mille of requests that read a table's change stream ({@link StreamRead}), and that list streams. */
    static final int STREAM_READS = 20, LIST_STREAMS = 6;

    private final Random r;
    private final List<TableSpec> tables;
    private final List<String> principalNames;
    private final List<Integer> actors;

    RequestGen(Random r, List<TableSpec> tables, List<String> principalNames, List<Integer> actors) {
        this.r = r;
        this.tables = tables;
        this.principalNames = principalNames;
        this.actors = actors;
    }

    List<Req> sequence(int length) {
        List<Req> out = new ArrayList<>();
        for (int i = 0; i < length; i++) out.add(next(out));
        // Half the sequences end with a stream read, which then meets every change the sequence made
        // (a change of hidden values only, a write that is a no-op in one world: docs/streams.md).
        if (r.nextBoolean()) out.set(length - 1, StreamRead.request(Attrs.pick(r, actors), Attrs.pick(r, tables).name(), r.nextLong()));
        return out;
    }

    private Req next(List<Req> before) {
        int actor = Attrs.pick(r, actors);
        int s = r.nextInt(1000);
        if (s < STREAM_READS) return StreamRead.request(actor, Attrs.pick(r, tables).name(), r.nextLong());
        if (s < STREAM_READS + LIST_STREAMS) return new Req(actor, "ListStreams", listStreams(), -1);
        int w = r.nextInt(100);
        if (w < 7) {
            List<Integer> pages = new ArrayList<>();
            for (int i = 0; i < before.size(); i++) {
                Req q = before.get(i);
                if (q.actor() == actor && (q.op().equals("Query") || q.op().equals("Scan"))) pages.add(i);
            }
            if (!pages.isEmpty()) {
                int j = Attrs.pick(r, pages);
                return new Req(actor, before.get(j).op(), before.get(j).body().deepCopy(), j);
            }
        }
        TableSpec t = Attrs.pick(r, tables);
        if (w < 17) return new Req(actor, "GetItem", getItem(t), -1);
        if (w < 31) return new Req(actor, "Query", query(t), -1);
        if (w < 43) return new Req(actor, "Scan", scan(t), -1);
        if (w < 51) return new Req(actor, "PutItem", putItem(t), -1);
        if (w < 65) return new Req(actor, "UpdateItem", updateItem(t), -1);
        if (w < 70) return new Req(actor, "DeleteItem", deleteItem(t), -1);
        if (w < 76) return new Req(actor, "BatchGetItem", batchGet(), -1);
        if (w < 80) return new Req(actor, "BatchWriteItem", batchWrite(), -1);
        if (w < 85) return new Req(actor, "TransactGetItems", transactGet(), -1);
        if (w < 96) return new Req(actor, "TransactWriteItems", transactWrite(), -1);
        return new Req(actor, "DescribeTable", F.objectNode().put("TableName", tableRef(t)), -1);
    }

    // ------------------------------------------------------------------------- operations

    private ObjectNode getItem(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        b.set("Key", key(t));
        Expr e = new Expr(r);
        projection(b, e, true);
        if (r.nextInt(5) == 0) b.put("ConsistentRead", true);
        capacity(b);
        e.into(b);
        return b;
    }

    private ObjectNode query(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        TableSpec.Index index = !t.indexes().isEmpty() && r.nextInt(5) < 3 ? Attrs.pick(r, t.indexes()) : null;
        if (index != null) b.put("IndexName", index.name());
        String hash = index == null ? Attrs.HASH : index.hashKeys().getFirst();
        String range = index == null ? (t.hasRange() ? Attrs.RANGE : null) : index.rangeKeys().isEmpty() ? null : index.rangeKeys().getFirst();
        AttributeValue hashValue = index == null || hash.equals(Attrs.HASH)
                ? Attrs.pick(r, DataGen.namedKeys(t)).get(Attrs.HASH) : literal(hash);
        Expr e = new Expr(r);
        if (index != null && index.multiAttribute()) {
            // every partition attribute by equality, then sort attributes left to right, a range on the last one given
            StringBuilder kce = new StringBuilder(e.name(hash) + " = " + e.value(hashValue));
            for (String h : index.hashKeys().subList(1, index.hashKeys().size())) {
                kce.append(" AND ").append(e.name(h)).append(" = ").append(e.value(literal(h)));
            }
            int given = index.rangeKeys().isEmpty() || r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(index.rangeKeys().size());
            for (int i = 0; i < given; i++) {
                String k = index.rangeKeys().get(i);
                kce.append(" AND ").append(i + 1 < given ? e.name(k) + " = " + e.value(literal(k, t)) : rangeCondition(e, k, t));
            }
            b.put("KeyConditionExpression", kce.toString());
            if (r.nextInt(3) == 0) b.put("FilterExpression", condition(e, 1, t));
        } else if (r.nextInt(7) == 0) {
            ObjectNode kc = b.putObject("KeyConditions");
            legacyCondition(kc, hash, "EQ", List.of(hashValue));
            if (range != null && r.nextBoolean()) {
                String op = Attrs.pick(r, List.of("EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH"));
                legacyCondition(kc, range, op, op.equals("BETWEEN") ? List.of(literal(range, t), literal(range, t))
                        : List.of(literal(range, t)));
            }
            if (r.nextInt(3) == 0) legacyFilter(b, "QueryFilter", t);
        } else {
            String kce = e.name(hash) + " = " + e.value(hashValue);
            if (range != null && r.nextBoolean()) kce += " AND " + rangeCondition(e, range, t);
            b.put("KeyConditionExpression", kce);
            if (r.nextInt(3) == 0) b.put("FilterExpression", condition(e, 1, t));
        }
        if (r.nextInt(3) == 0) b.put("Limit", 1 + r.nextInt(4));
        if (r.nextInt(4) == 0) b.put("ScanIndexForward", false);
        select(b, e, index);
        if (r.nextInt(12) == 0) b.set("ExclusiveStartKey", craftedStartKey(t, index));
        if (r.nextInt(6) == 0) b.put("ConsistentRead", true);
        capacity(b);
        e.into(b);
        return b;
    }

    private ObjectNode scan(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        TableSpec.Index index = !t.indexes().isEmpty() && r.nextInt(3) == 0 ? Attrs.pick(r, t.indexes()) : null;
        if (index != null) b.put("IndexName", index.name());
        Expr e = new Expr(r);
        int f = r.nextInt(8);
        if (f < 3) b.put("FilterExpression", condition(e, 1, t));
        else if (f == 3) legacyFilter(b, "ScanFilter", t);
        if (r.nextInt(5) < 2) b.put("Limit", 1 + r.nextInt(4));
        if (r.nextInt(6) == 0) {
            int total = 2 + r.nextInt(2);
            b.put("TotalSegments", total).put("Segment", r.nextInt(total));
        }
        select(b, e, index);
        if (r.nextInt(12) == 0) b.set("ExclusiveStartKey", craftedStartKey(t, index));
        capacity(b);
        e.into(b);
        return b;
    }

    private ObjectNode putItem(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        b.set("Item", AttributeValueJson.toJson(newItem(t)));
        Expr e = new Expr(r);
        writeCondition(b, e, t);
        if (r.nextBoolean()) b.put("ReturnValues", r.nextInt(8) == 0 ? "ALL_NEW" : Attrs.pick(r, List.of("NONE", "ALL_OLD")));
        failureValues(b);
        capacity(b);
        metrics(b);
        e.into(b);
        return b;
    }

    private ObjectNode updateItem(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        b.set("Key", key(t));
        Expr e = new Expr(r);
        if (r.nextInt(8) == 0) {
            ObjectNode updates = b.putObject("AttributeUpdates");
            int n = 1 + r.nextInt(2);
            for (int i = 0; i < n; i++) {
                String a = writeTarget();
                String action = Attrs.pick(r, List.of("PUT", "PUT", "DELETE", "ADD"));
                ObjectNode u = updates.putObject(a).put("Action", action);
                if (action.equals("PUT")) u.set("Value", AttributeValueJson.toJson(literal(a)));
                if (action.equals("ADD")) u.set("Value", AttributeValueJson.toJson(addOperand(a)));
                if (action.equals("DELETE") && r.nextBoolean() && isSet(a)) u.set("Value", AttributeValueJson.toJson(literal(a)));
            }
            if (r.nextBoolean()) expected(b, t);
        } else {
            b.put("UpdateExpression", update(e, t));
            writeCondition(b, e, t);
        }
        if (r.nextInt(3) > 0) {
            b.put("ReturnValues", Attrs.pick(r, List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")));
        }
        failureValues(b);
        capacity(b);
        metrics(b);
        e.into(b);
        return b;
    }

    private ObjectNode deleteItem(TableSpec t) {
        ObjectNode b = F.objectNode().put("TableName", tableRef(t));
        b.set("Key", key(t));
        Expr e = new Expr(r);
        writeCondition(b, e, t);
        if (r.nextBoolean()) b.put("ReturnValues", Attrs.pick(r, List.of("NONE", "ALL_OLD")));
        failureValues(b);
        capacity(b);
        metrics(b);
        e.into(b);
        return b;
    }

    private ObjectNode batchGet() {
        ObjectNode b = F.objectNode();
        ObjectNode items = b.putObject("RequestItems");
        for (TableSpec t : someTables()) {
            ObjectNode part = items.putObject(tableRef(t));
            ArrayNode keys = part.putArray("Keys");
            for (Map<String, AttributeValue> k : distinctKeys(t, 1 + r.nextInt(3))) keys.add(AttributeValueJson.toJson(k));
            Expr e = new Expr(r);
            projection(part, e, true);
            if (r.nextInt(5) == 0) part.put("ConsistentRead", true);
            e.into(part);
        }
        capacity(b);
        return b;
    }

    private ObjectNode batchWrite() {
        ObjectNode b = F.objectNode();
        ObjectNode items = b.putObject("RequestItems");
        for (TableSpec t : someTables()) {
            ArrayNode list = items.putArray(tableRef(t));
            for (Map<String, AttributeValue> k : distinctKeys(t, 1 + r.nextInt(3))) {
                if (r.nextInt(3) > 0) {
                    Map<String, AttributeValue> item = newItem(t);
                    item.putAll(k);
                    list.addObject().putObject("PutRequest").set("Item", AttributeValueJson.toJson(item));
                } else {
                    list.addObject().putObject("DeleteRequest").set("Key", AttributeValueJson.toJson(k));
                }
            }
        }
        capacity(b);
        metrics(b);
        return b;
    }

    private ObjectNode transactGet() {
        ObjectNode b = F.objectNode();
        ArrayNode list = b.putArray("TransactItems");
        int n = 1 + r.nextInt(3);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            TableSpec t = Attrs.pick(r, tables);
            Map<String, AttributeValue> k = Attrs.pick(r, DataGen.namedKeys(t));
            if (!used.add(t.name() + k)) continue;
            ObjectNode get = list.addObject().putObject("Get").put("TableName", tableRef(t));
            get.set("Key", AttributeValueJson.toJson(k));
            Expr e = new Expr(r);
            projection(get, e, false);
            e.into(get);
        }
        capacity(b);
        return b;
    }

    private ObjectNode transactWrite() {
        ObjectNode b = F.objectNode();
        ArrayNode list = b.putArray("TransactItems");
        int n = 1 + r.nextInt(3);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            TableSpec t = Attrs.pick(r, tables);
            Map<String, AttributeValue> k = Attrs.pick(r, DataGen.namedKeys(t));
            if (!used.add(t.name() + k)) continue;
            Expr e = new Expr(r);
            ObjectNode part;
            switch (r.nextInt(4)) {
                case 0 -> {
                    part = list.addObject().putObject("Put").put("TableName", tableRef(t));
                    Map<String, AttributeValue> item = newItem(t);
                    item.putAll(k);
                    part.set("Item", AttributeValueJson.toJson(item));
                    if (r.nextBoolean()) part.put("ConditionExpression", condition(e, 1, t));
                }
                case 1 -> {
                    part = list.addObject().putObject("Update").put("TableName", tableRef(t));
                    part.set("Key", AttributeValueJson.toJson(k));
                    part.put("UpdateExpression", update(e, t));
                    if (r.nextBoolean()) part.put("ConditionExpression", condition(e, 1, t));
                }
                case 2 -> {
                    part = list.addObject().putObject("Delete").put("TableName", tableRef(t));
                    part.set("Key", AttributeValueJson.toJson(k));
                    if (r.nextBoolean()) part.put("ConditionExpression", condition(e, 1, t));
                }
                default -> {
                    part = list.addObject().putObject("ConditionCheck").put("TableName", tableRef(t));
                    part.set("Key", AttributeValueJson.toJson(k));
                    part.put("ConditionExpression", condition(e, 1, t));
                }
            }
            if (r.nextInt(3) > 0) part.put("ReturnValuesOnConditionCheckFailure", r.nextInt(4) == 0 ? "NONE" : "ALL_OLD");
            e.into(part);
        }
        capacity(b);
        metrics(b);
        return b;
    }

    /** ListStreams: mostly of one table (by name: the API takes no ARN); sometimes of all, a short page. */
    private ObjectNode listStreams() {
        ObjectNode b = F.objectNode();
        if (r.nextInt(4) > 0) b.put("TableName", Attrs.pick(r, tables).name());
        if (!b.has("TableName") || r.nextBoolean()) b.put("Limit", 1 + r.nextInt(3));
        return b;
    }

    // ------------------------------------------------------------------------- parts

    private String tableRef(TableSpec t) {
        return r.nextInt(10) == 0 ? t.arn() : t.name();
    }

    private List<TableSpec> someTables() {
        if (tables.size() == 1 || r.nextBoolean()) return List.of(Attrs.pick(r, tables));
        return tables;
    }

    private ObjectNode key(TableSpec t) {
        return AttributeValueJson.toJson(Attrs.pick(r, DataGen.namedKeys(t)));
    }

    private List<Map<String, AttributeValue>> distinctKeys(TableSpec t, int n) {
        List<Map<String, AttributeValue>> all = new ArrayList<>(DataGen.namedKeys(t));
        java.util.Collections.shuffle(all, r);
        return all.subList(0, Math.min(n, all.size()));
    }

    private ObjectNode craftedStartKey(TableSpec t, TableSpec.Index index) {
        Map<String, AttributeValue> k = new LinkedHashMap<>(Attrs.pick(r, DataGen.namedKeys(t)));
        if (index != null) for (String a : index.keyAttributes()) k.put(a, literal(a, t));
        return AttributeValueJson.toJson(k);
    }

    /** A new item at a named key: key plus some attributes with literal values. */
    private Map<String, AttributeValue> newItem(TableSpec t) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Attrs.pick(r, DataGen.namedKeys(t)));
        for (String a : Attrs.ALL.keySet()) {
            int p = Attrs.ROW.contains(a) ? 6 : 4;
            if (r.nextInt(10) < p) item.put(a, literal(a));
        }
        return item;
    }

    private void projection(ObjectNode b, Expr e, boolean legacyAllowed) {
        int p = r.nextInt(10);
        if (p < 3) {
            b.put("ProjectionExpression", String.join(", ", paths(e, 1 + r.nextInt(3))));
        } else if (p == 3 && legacyAllowed) {
            ArrayNode list = b.putArray("AttributesToGet");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1 + r.nextInt(3); i++) {
                String a = topAttribute();
                if (seen.add(a)) list.add(a);
            }
        }
    }

    private List<String> paths(Expr e, int n) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String path = anyPath();
            String top = path.split("[.\\[]")[0];
            if (seen.add(top)) out.add(e.path(path));
        }
        return out;
    }

    private void select(ObjectNode b, Expr e, TableSpec.Index index) {
        int s = r.nextInt(12);
        if (s < 2) {
            b.put("Select", "COUNT");
        } else if (s < 4) {
            b.put("ProjectionExpression", String.join(", ", paths(e, 1 + r.nextInt(3))));
            if (r.nextBoolean()) b.put("Select", "SPECIFIC_ATTRIBUTES");
        } else if (s == 4) {
            b.put("Select", index != null && r.nextBoolean() ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES");
        } else if (s == 5) {
            ArrayNode list = b.putArray("AttributesToGet");
            list.add(topAttribute());
        }
    }

    private void capacity(ObjectNode b) {
        int c = r.nextInt(6);
        if (c == 0) b.put("ReturnConsumedCapacity", "TOTAL");
        else if (c == 1) b.put("ReturnConsumedCapacity", "INDEXES");
    }

    private void metrics(ObjectNode b) {
        if (r.nextInt(4) == 0) b.put("ReturnItemCollectionMetrics", "SIZE");
    }

    private void failureValues(ObjectNode b) {
        if (r.nextInt(3) == 0) b.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    }

    private void writeCondition(ObjectNode b, Expr e, TableSpec t) {
        int c = r.nextInt(10);
        if (c < 4) b.put("ConditionExpression", condition(e, 2, t));
        else if (c == 4) expected(b, t);
    }

    // ------------------------------------------------------------------------- conditions

    /** A condition expression over any path, hidden ones included. */
    String condition(Expr e, int depth, TableSpec t) {
        if (depth > 0 && r.nextInt(4) == 0) {
            return switch (r.nextInt(4)) {
                case 0 -> condition(e, depth - 1, t) + " AND " + condition(e, depth - 1, t);
                case 1 -> condition(e, depth - 1, t) + " OR " + condition(e, depth - 1, t);
                case 2 -> "NOT " + condition(e, depth - 1, t);
                default -> "(" + condition(e, depth - 1, t) + ")";
            };
        }
        if (r.nextInt(14) == 0) {
            // The review's text trick: no space between "or" and a placeholder.
            String a = topAttribute();
            return r.nextBoolean()
                    ? "attribute_exists(" + e.name(Attrs.HASH) + ") or" + e.placeholder(a) + " = " + e.value(literal(a))
                    : "attribute_exists(" + e.name(Attrs.HASH) + ") or" + e.value(literal(a)) + " = " + e.placeholder(a);
        }
        String path = anyPath();
        String p = e.path(path);
        return switch (r.nextInt(12)) {
            case 0, 1 -> p + " = " + e.value(literal(path, t));
            case 2 -> p + " <> " + e.value(literal(path, t));
            case 3 -> p + " " + Attrs.pick(r, List.of("<", "<=", ">", ">=")) + " " + e.value(literal(path, t));
            case 4 -> p + " BETWEEN " + e.value(literal(path, t)) + " AND " + e.value(literal(path, t));
            case 5 -> p + " IN (" + e.value(literal(path, t)) + ", " + e.value(literal(path, t)) + ")";
            case 6 -> "begins_with(" + p + ", " + e.value(Attrs.s(Attrs.pick(r, List.of("a", "1", "e", "b", "al", "12")))) + ")";
            case 7 -> "contains(" + p + ", " + e.value(r.nextBoolean() ? Attrs.s(Attrs.pick(r, Attrs.WORDS)) : literal(path, t)) + ")";
            case 8 -> "attribute_exists(" + p + ")";
            case 9 -> "attribute_not_exists(" + p + ")";
            case 10 -> "attribute_type(" + p + ", " + e.value(Attrs.s(Attrs.pick(r, List.of("S", "N", "M", "L", "SS", "NS",
                    "BOOL", "NULL", "B")))) + ")";
            default -> "size(" + p + ") " + Attrs.pick(r, List.of(">", "<", "=")) + " " + e.value(Attrs.n(r.nextInt(6)));
        };
    }

    private String rangeCondition(Expr e, String range, TableSpec t) {
        String n = e.name(range);
        return switch (r.nextInt(7)) {
            case 0 -> n + " = " + e.value(literal(range, t));
            case 1 -> n + " < " + e.value(literal(range, t));
            case 2 -> n + " <= " + e.value(literal(range, t));
            case 3 -> n + " > " + e.value(literal(range, t));
            case 4 -> n + " >= " + e.value(literal(range, t));
            case 5 -> n + " BETWEEN " + e.value(literal(range, t)) + " AND " + e.value(literal(range, t));
            default -> "begins_with(" + n + ", " + e.value(Attrs.s(Attrs.pick(r, List.of("a", "b", "1", "e")))) + ")";
        };
    }

    private void expected(ObjectNode b, TableSpec t) {
        ObjectNode exp = b.putObject("Expected");
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            String a = r.nextInt(5) == 0 ? Attrs.HASH : topAttribute();
            switch (r.nextInt(4)) {
                case 0 -> exp.putObject(a).put("Exists", r.nextBoolean());
                case 1 -> exp.putObject(a).set("Value", AttributeValueJson.toJson(literal(a, t)));
                default -> legacyComparison(exp, a, t);
            }
        }
        // Exists: true without a Value is refused by DynamoDB; keep only forms it accepts.
        for (var it = exp.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getValue().path("Exists").asBoolean(false) && !f.getValue().has("Value")) {
                ((ObjectNode) f.getValue()).set("Value", AttributeValueJson.toJson(literal(f.getKey(), t)));
            }
        }
        if (exp.size() > 1) b.put("ConditionalOperator", r.nextBoolean() ? "AND" : "OR");
    }

    private void legacyFilter(ObjectNode b, String member, TableSpec t) {
        ObjectNode f = b.putObject(member);
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) legacyComparison(f, topAttribute(), t);
        if (f.size() > 1) b.put("ConditionalOperator", r.nextBoolean() ? "AND" : "OR");
    }

    private void legacyComparison(ObjectNode into, String a, TableSpec t) {
        String op = Attrs.pick(r, List.of("EQ", "NE", "LT", "GE", "BEGINS_WITH", "CONTAINS", "NOT_NULL", "NULL", "IN", "BETWEEN"));
        List<AttributeValue> args = switch (op) {
            case "NOT_NULL", "NULL" -> List.of();
            case "BETWEEN", "IN" -> List.of(literal(a, t), literal(a, t));
            case "BEGINS_WITH" -> List.of(Attrs.s(Attrs.pick(r, List.of("a", "1", "e", "b"))));
            default -> List.of(literal(a, t));
        };
        legacyCondition(into, a, op, args);
    }

    private static void legacyCondition(ObjectNode into, String a, String op, List<AttributeValue> args) {
        ObjectNode c = into.putObject(a).put("ComparisonOperator", op);
        if (!args.isEmpty()) {
            ArrayNode list = c.putArray("AttributeValueList");
            for (AttributeValue v : args) list.add(AttributeValueJson.toJson(v));
        }
    }

    // ------------------------------------------------------------------------- updates

    String update(Expr e, TableSpec t) {
        List<String> set = new ArrayList<>(), remove = new ArrayList<>(), add = new ArrayList<>(), delete = new ArrayList<>();
        Set<String> touched = new HashSet<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int w = r.nextInt(100);
            String target = writeTarget();
            if (!touched.add(target)) continue;
            if (w < 33) {
                set.add(e.path(target) + " = " + e.value(literal(target)));
            } else if (w < 43) {
                set.add(e.path(target) + " = " + e.path(anyPath()));
            } else if (w < 50) {
                set.add(e.path(target) + " = if_not_exists(" + e.path(anyPath()) + ", " + e.value(literal(target)) + ")");
            } else if (w < 56) {
                String q = r.nextBoolean() ? "tags" : anyPath();
                AttributeValue l = new AttributeValue.L(List.of(Attrs.s(Attrs.pick(r, Attrs.WORDS))));
                set.add(e.path(target) + " = " + (r.nextBoolean() ? "list_append(" + e.path(q) + ", " + e.value(l) + ")"
                        : "list_append(" + e.value(l) + ", " + e.path(q) + ")"));
            } else if (w < 64) {
                String q = Attrs.pick(r, List.of("salary", "score", "level", "meta.a.c", anyPath()));
                set.add(e.path(target) + " = " + e.path(q) + (r.nextBoolean() ? " + " : " - ") + e.value(Attrs.n(1 + r.nextInt(500))));
            } else if (w < 72) {
                String nested = Attrs.pick(r, NESTED);
                if (touched.add(nested)) set.add(e.path(nested) + " = " + e.value(Attrs.s(Attrs.pick(r, Attrs.WORDS))));
            } else if (w < 84) {
                String p = r.nextBoolean() ? target : Attrs.pick(r, NESTED);
                if (touched.add(p) || p.equals(target)) remove.add(e.path(p));
            } else if (w < 94) {
                String a = r.nextInt(3) == 0 ? Attrs.pick(r, List.of("codes", "nums")) : Attrs.pick(r, List.of("salary", "score", "level", target));
                if (touched.add(a) || a.equals(target)) add.add(e.path(a) + " " + e.value(addOperand(a)));
            } else {
                String a = Attrs.pick(r, List.of("codes", "nums"));
                if (touched.add(a)) delete.add(e.path(a) + " " + e.value(literal(a)));
            }
        }
        if (set.isEmpty() && remove.isEmpty() && add.isEmpty() && delete.isEmpty()) {
            String a = writeTarget();
            set.add(e.path(a) + " = " + e.value(literal(a)));
        }
        StringBuilder sb = new StringBuilder();
        if (!set.isEmpty()) sb.append("SET ").append(String.join(", ", set));
        if (!remove.isEmpty()) sb.append(sb.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", remove));
        if (!add.isEmpty()) sb.append(sb.isEmpty() ? "" : " ").append("ADD ").append(String.join(", ", add));
        if (!delete.isEmpty()) sb.append(sb.isEmpty() ? "" : " ").append("DELETE ").append(String.join(", ", delete));
        return sb.toString();
    }

    /** An attribute a write sets: often a row-deciding one, rarely a key. */
    private String writeTarget() {
        int w = r.nextInt(20);
        if (w == 0) return Attrs.HASH;
        if (w < 6) return Attrs.pick(r, Attrs.ROW);
        return Attrs.pick(r, new ArrayList<>(Attrs.ALL.keySet()));
    }

    private AttributeValue addOperand(String a) {
        return switch (Attrs.kind(a) == null ? Attrs.Kind.N : Attrs.kind(a)) {
            case SS -> new AttributeValue.SS(List.of(Attrs.pick(r, Attrs.WORDS)));
            case NS -> new AttributeValue.NS(List.of(String.valueOf(r.nextInt(20))));
            default -> Attrs.n(r.nextInt(2000) - 1000);
        };
    }

    private static boolean isSet(String a) {
        Attrs.Kind k = Attrs.kind(a);
        return k == Attrs.Kind.SS || k == Attrs.Kind.NS;
    }

    // ------------------------------------------------------------------------- names and values

    private String topAttribute() {
        int w = r.nextInt(12);
        if (w == 0) return Attrs.HASH;
        if (w == 1) return Attrs.RANGE;
        return Attrs.pick(r, new ArrayList<>(Attrs.ALL.keySet()));
    }

    private String anyPath() {
        return r.nextInt(5) == 0 ? Attrs.pick(r, NESTED) : topAttribute();
    }

    /** A literal for the attribute at a path: of its type mostly, of any type sometimes. */
    AttributeValue literal(String path) {
        return literal(path, null);
    }

    AttributeValue literal(String path, TableSpec t) {
        String top = path.split("[.\\[]")[0];
        if (r.nextInt(8) == 0) return Attrs.ofKind(Attrs.pick(r, List.of(Attrs.Kind.values())), r);
        if (!top.equals(path)) return r.nextInt(3) == 0 ? Attrs.n(r.nextInt(9)) : Attrs.s(Attrs.pick(r, Attrs.WORDS));
        if (top.equals(Attrs.HASH)) return Attrs.pick(r, DataGen.namedKeys(t == null ? tables.getFirst() : t)).get(Attrs.HASH);
        if (top.equals(Attrs.RANGE)) {
            TableSpec withRange = t != null && t.hasRange() ? t : tables.stream().filter(TableSpec::hasRange).findFirst().orElse(null);
            return withRange == null ? Attrs.s("a") : DataGen.rangeValue(withRange, r.nextInt(4));
        }
        return Attrs.value(top, r, principalNames);
    }
}
