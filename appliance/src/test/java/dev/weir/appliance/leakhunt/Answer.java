package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.ProxyResponse;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers as the hunt compares them: the body parsed as JSON (objects compare by members,
 * arrays by order), without what differs between any two stores whatever their data (creation
 * times, table ids); and where two answers first differ, for reports.
 */
final class Answer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answer() {}

    /**
     * Members whose values differ between two stores whatever their data, by the kind of
     * {@link Ordinals} name they get (docs/streams.md, "What the numbers reveal": all are times or
     * random, none counts anything).
     */
    private static final Map<String, String> ORDINAL = Map.ofEntries(
            Map.entry("eventID", "event"),
            Map.entry("SequenceNumber", "seq"), Map.entry("StartingSequenceNumber", "seq"),
            Map.entry("EndingSequenceNumber", "seq"),
            Map.entry("ShardId", "shard"), Map.entry("ParentShardId", "shard"), Map.entry("LastEvaluatedShardId", "shard"),
            Map.entry("StreamArn", "arn"), Map.entry("LatestStreamArn", "arn"), Map.entry("LastEvaluatedStreamArn", "arn"),
            Map.entry("StreamLabel", "label"), Map.entry("LatestStreamLabel", "label"),
            Map.entry("ShardIterator", "iterator"), Map.entry("NextShardIterator", "iterator"));

    /** The answer as parsed JSON, as it came (see {@link #normalised}). */
    static JsonNode parse(ProxyResponse r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("<not JSON> " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * A copy of an answer without what differs between any two stores: creation times
     * ({@code *DateTime}: epoch seconds or instants, which two runs cross at different moments, so
     * even their ordinals would differ) and table ids removed; stream ARNs and labels, shard ids,
     * sequence numbers, event ids and iterators replaced by their {@link Ordinals} names in this
     * world's run (in messages too). Sequence numbers are named per shard ({@code shard} is the
     * raw id of the shard a GetRecords read, or empty), as two shards may give out the same one.
     */
    static JsonNode normalised(JsonNode answer, Ordinals names, String shard) {
        JsonNode copy = answer == null ? null : answer.deepCopy();
        normalise(copy, names, shard, "");
        return copy;
    }

    /**
     * @param shard the shard sequence numbers below belong to
     * @param table the table stream labels below belong to: a label is a creation time in
     *              milliseconds, which two tables created at once may share in one world only
     */
    private static void normalise(JsonNode n, Ordinals names, String shard, String table) {
        if (n instanceof ObjectNode o) {
            String scope = o.get("ShardId") instanceof JsonNode id && id.isTextual() ? id.textValue() : shard;
            String of = o.get("TableName") instanceof JsonNode t && t.isTextual() ? t.textValue() : table;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                JsonNode v = f.getValue();
                String kind = ORDINAL.get(name);
                if (name.endsWith("DateTime") || name.equals("TableId")) {
                    it.remove();
                } else if (kind != null && v.isTextual()) {
                    String value = switch (kind) {
                        case "seq" -> scope + "|" + v.textValue();
                        case "label" -> of + "|" + v.textValue();
                        default -> v.textValue();
                    };
                    f.setValue(JSON.getNodeFactory().textNode(names.of(kind, value)));
                } else if ((name.equals("message") || name.equals("Message")) && v.isTextual()) {
                    f.setValue(JSON.getNodeFactory().textNode(names.inText(v.textValue())));
                } else {
                    normalise(v, names, scope, of);
                }
            }
        } else if (n != null && n.isArray()) {
            for (JsonNode c : n) normalise(c, names, shard, table);
        }
    }

    /**
     * The first place two answers differ, as a path with list positions and attribute names of
     * items generalised ({@code Items[].*.S}), so that failures of one kind share it.
     */
    static String firstDifference(JsonNode a, JsonNode b, String at) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) return at.isEmpty() ? "body" : at;
        if (a.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            boolean item = at.endsWith("Item") || at.endsWith("Items[]") || at.endsWith("Attributes") || at.endsWith("Key")
                    || at.endsWith("Responses.*[]");
            for (String n : names) {
                if (!Objects.equals(a.get(n), b.get(n))) {
                    String step = item || at.endsWith("Responses") ? "*" : n;
                    return firstDifference(a.get(n), b.get(n), at.isEmpty() ? step : at + "." + step);
                }
            }
            return at;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) return at + "[].size";
            for (int i = 0; i < a.size(); i++) {
                if (!Objects.equals(a.get(i), b.get(i))) return firstDifference(a.get(i), b.get(i), at + "[]");
            }
            return at;
        }
        return at;
    }

}
