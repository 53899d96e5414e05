package dev.weir.proxy.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

/** The obvious reference: parse the whole body, redact each item with the plan, write it back. */
final class TreeRedactor {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode redact(Operation op, FieldPlan plan, byte[] body) throws Exception {
        ObjectNode obj = (ObjectNode) JSON.readTree(body);
        for (var it = obj.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            switch (ResponseRedactor.role(op, e.getKey()).name()) {
                case "ITEM" -> obj.set(e.getKey(), one(plan, e.getValue()));
                case "ITEMS" -> {
                    ArrayNode out = JSON.createArrayNode();
                    for (JsonNode item : e.getValue()) out.add(one(plan, item));
                    obj.set(e.getKey(), out);
                }
                default -> { }
            }
        }
        return obj;
    }

    private static JsonNode one(FieldPlan plan, JsonNode item) {
        return AttributeValueJson.toJson(plan.redact(AttributeValueJson.item(item, "Item")));
    }
}
