package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.store.api.RequestFields;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Table tags: a list of {@code {Key, Value}} on the wire, a map here. */
public final class Tags {
    public static final int MAX_PER_RESOURCE = 50;

    private Tags() {}

    /**
     * The tags of a list member; empty if absent. Each tag's Key and Value were checked with
     * the request's other members ({@code RequestValidator}).
     */
    static Map<String, String> read(JsonNode parent, String field) {
        Map<String, String> tags = new LinkedHashMap<>();
        List<JsonNode> nodes = RequestFields.list(parent, field);
        if (nodes == null) return tags;
        for (JsonNode node : nodes) {
            JsonNode n = RequestFields.requireObject(node);
            tags.put(RequestFields.text(n, "Key"), RequestFields.text(n, "Value"));
        }
        return tags;
    }

    static void write(Map<String, String> tags, ArrayNode out) {
        tags.forEach((k, v) -> out.addObject().put("Key", k).put("Value", v));
    }
}
