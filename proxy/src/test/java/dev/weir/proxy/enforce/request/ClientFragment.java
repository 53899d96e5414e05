package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weir.protocol.model.Operation;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's request, as far as its expressions go, read from a fuzz input in a plain-text
 * form (so that seeds are readable files and libFuzzer's mutations land in expression text):
 *
 * <pre>
 * UpdateItem policy=3 items=17          header: an operation (else inferred), which policy, a seed for items
 * #i=id                                 a name; text that reads as JSON (5, "true", {}) is sent as that JSON
 * :v={"S":"eu"}                         a value as DynamoDB JSON; text that is no JSON is sent as a JSON string
 * #{}                                   send ExpressionAttributeNames even when empty (:{} for values)
 * ConditionExpression=attribute_exists(id) or#i = :v
 * UpdateExpression=SET #i = :v
 *   ... any other line continues the expression above it after a newline
 * </pre>
 *
 * Members the operation does not take are left out (GetItem's values too), so that both
 * parsers see a body the operation could carry. The body names table {@code t} and the key (or item) {@code id}.
 *
 * @param op     GetItem, PutItem, UpdateItem, DeleteItem, Query or Scan
 * @param policy which of {@link PolicyConjuncts}' policies to compose with (any int)
 * @param items  seed for the items the composed condition is evaluated on
 */
record ClientFragment(Operation op, int policy, long items, Map<String, JsonNode> names, Map<String, JsonNode> values,
                      boolean sendNames, boolean sendValues, Map<String, String> members) {
    static final List<String> MEMBERS = List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression",
            "UpdateExpression", "ProjectionExpression");
    private static final Map<Operation, Set<String>> TAKES = Map.of(
            Operation.GetItem, Set.of("ProjectionExpression"),
            Operation.PutItem, Set.of("ConditionExpression"),
            Operation.DeleteItem, Set.of("ConditionExpression"),
            Operation.UpdateItem, Set.of("UpdateExpression", "ConditionExpression"),
            Operation.Query, Set.of("KeyConditionExpression", "FilterExpression", "ProjectionExpression"),
            Operation.Scan, Set.of("FilterExpression", "ProjectionExpression"));
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static ClientFragment read(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        Operation op = null;
        int policy = 0;
        long items = 0;
        for (String word : lines[0].trim().split("[ \t]+")) {
            if (word.startsWith("policy=")) policy = (int) number(word.substring(7));
            else if (word.startsWith("items=")) items = number(word.substring(6));
            else for (Operation o : TAKES.keySet()) if (o.name().equals(word)) op = o;
        }
        Map<String, JsonNode> names = new LinkedHashMap<>();
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Map<String, String> members = new LinkedHashMap<>();
        boolean sendNames = false, sendValues = false;
        String current = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            String member = MEMBERS.stream().filter(m -> line.startsWith(m + "=")).findFirst().orElse(null);
            int eq = line.indexOf('=');
            if (member != null) {
                current = member;
                members.put(member, line.substring(member.length() + 1));
            } else if (line.equals("#{}")) {
                sendNames = true;
            } else if (line.equals(":{}")) {
                sendValues = true;
            } else if (line.startsWith("#") && eq > 0) {
                names.put(line.substring(0, eq), json(line.substring(eq + 1)));
            } else if (line.startsWith(":") && eq > 0) {
                values.put(line.substring(0, eq), json(line.substring(eq + 1)));
            } else if (current != null) {
                members.put(current, members.get(current) + "\n" + line);
            }
        }
        if (op == null) op = infer(members.keySet(), !values.isEmpty());
        Set<String> takes = TAKES.get(op);
        members.keySet().retainAll(takes);
        // GetItem has no ExpressionAttributeValues member (weir refuses it as unknown, the store reads it)
        boolean takesValues = op != Operation.GetItem;
        return new ClientFragment(op, policy, items, names, takesValues ? values : Map.of(), sendNames || !names.isEmpty(),
                takesValues && (sendValues || !values.isEmpty()), members);
    }

    /** The request body a client would send. */
    ObjectNode body() {
        ObjectNode body = NODES.objectNode();
        body.put("TableName", "t");
        ObjectNode key = NODES.objectNode();
        key.set("id", NODES.objectNode().put("S", "k"));
        switch (op) {
            case GetItem, UpdateItem, DeleteItem -> body.set("Key", key);
            case PutItem -> body.set("Item", key);
            default -> { }
        }
        members.forEach(body::put);
        if (sendNames) body.set("ExpressionAttributeNames", object(names));
        if (sendValues) body.set("ExpressionAttributeValues", object(values));
        return body;
    }

    private static ObjectNode object(Map<String, JsonNode> members) {
        ObjectNode o = NODES.objectNode();
        members.forEach(o::set);
        return o;
    }

    private static Operation infer(Set<String> members, boolean hasValues) {
        if (members.contains("UpdateExpression")) return Operation.UpdateItem;
        if (members.contains("KeyConditionExpression")) return Operation.Query;
        if (members.contains("ConditionExpression")) return Operation.DeleteItem;
        if (members.contains("FilterExpression") || hasValues) return Operation.Scan;
        return Operation.GetItem;
    }

    private static JsonNode json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (Exception notJson) {
            return TextNode.valueOf(text);
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return text.hashCode();
        }
    }
}
