package dev.weir.proxy.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

/** The obvious reference: parse the whole body, redact each item with the plan, write it back. */
final class TreeRedactor {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode redact(Operation op, FieldPlan plan, Predicate<Map<String, AttributeValue>> rows, byte[] body)
            throws Exception {
        ObjectNode obj = (ObjectNode) JSON.readTree(body);
        Map<String, AttributeValue> lastKept = null;
        int kept = -1;
        for (var e : List.copyOf(obj.properties())) {
            if (e.getKey().equals("LastEvaluatedKey")) continue;
            switch (ResponseRedactor.role(op, e.getKey()).name()) {
                case "ITEM" -> {
                    Map<String, AttributeValue> item = AttributeValueJson.item(e.getValue(), "Item");
                    if (rows != null && !rows.test(item)) obj.remove(e.getKey());
                    else obj.set(e.getKey(), AttributeValueJson.toJson(plan.redact(item)));
                }
                case "ITEMS" -> {
                    ArrayNode out = JSON.createArrayNode();
                    kept = 0;
                    for (JsonNode node : e.getValue()) {
                        Map<String, AttributeValue> item = AttributeValueJson.item(node, "Item");
                        if (rows != null && !rows.test(item)) continue;
                        out.add(AttributeValueJson.toJson(plan.redact(item)));
                        lastKept = item;
                        kept++;
                    }
                    obj.set(e.getKey(), out);
                }
                default -> { }
            }
        }
        if (rows != null && kept >= 0) {
            if (obj.has("Count")) obj.put("Count", kept);
            if (obj.has("ScannedCount")) obj.put("ScannedCount", kept);
        }
        if (obj.has("LastEvaluatedKey") && ResponseRedactor.role(op, "LastEvaluatedKey").name().equals("ITEM")) {
            Map<String, AttributeValue> key = AttributeValueJson.item(obj.get("LastEvaluatedKey"), "LastEvaluatedKey");
            if (rows != null) {
                Map<String, AttributeValue> next = new java.util.LinkedHashMap<>();
                if (lastKept != null) for (String k : key.keySet()) if (lastKept.containsKey(k)) next.put(k, lastKept.get(k));
                key = lastKept == null || next.size() != key.size() ? null : next;
            }
            if (key == null) obj.remove("LastEvaluatedKey");
            else obj.set("LastEvaluatedKey", AttributeValueJson.toJson(plan.redact(key)));
        }
        return obj;
    }
}
