package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Table tags: a list of {@code {Key, Value}} on the wire, a map here. */
public final class Tags {
    public static final int MAX_PER_RESOURCE = 50;

    private Tags() {}

    /** The tags of a list member, with member constraint violations added to {@code errors}; empty if absent. */
    static Map<String, String> read(JsonNode parent, String field, String path, ValidationErrors errors) {
        Map<String, String> tags = new LinkedHashMap<>();
        List<JsonNode> nodes = RequestFields.list(parent, field);
        if (nodes == null) return tags;
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = RequestFields.requireObject(nodes.get(i));
            String p = path + "." + (i + 1) + ".member.";
            String key = RequestFields.text(n, "Key");
            String value = RequestFields.text(n, "Value");
            errors.notNull(key, p + "key");
            errors.length(key, p + "key", 1, 128);
            errors.notNull(value, p + "value");
            errors.length(value, p + "value", 0, 256);
            if (key != null && value != null) tags.put(key, value);
        }
        return tags;
    }

    static void write(Map<String, String> tags, ArrayNode out) {
        tags.forEach((k, v) -> out.addObject().put("Key", k).put("Value", v));
    }
}
