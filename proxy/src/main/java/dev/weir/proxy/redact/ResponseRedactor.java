package dev.weir.proxy.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

import java.io.IOException;
import java.util.Map;

/**
 * Applies a caller's field plan to the items in a response body: GetItem's {@code Item} and
 * the {@code Attributes} that writes return. A body with nothing to change comes back as the
 * same array, so the upstream checksum stays valid.
 */
public final class ResponseRedactor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The response member that carries an item, for the operations this proxy filters. */
    static String itemMember(Operation op) {
        return switch (op) {
            case GetItem -> "Item";
            case PutItem, UpdateItem, DeleteItem -> "Attributes";
            default -> null;
        };
    }

    /** Returns the body the caller may see; the same array when nothing needed changing. */
    public byte[] redact(Operation op, FieldPlan plan, byte[] body) throws IOException {
        String member = itemMember(op);
        if (member == null || plan.isIdentity()) return body;
        JsonNode tree = JSON.readTree(body);
        if (!(tree instanceof ObjectNode obj) || !(obj.get(member) instanceof ObjectNode itemJson)) return body;
        Map<String, AttributeValue> item = AttributeValueJson.item(itemJson, member);
        obj.set(member, AttributeValueJson.toJson(plan.redact(item)));
        return JSON.writeValueAsBytes(obj);
    }
}
