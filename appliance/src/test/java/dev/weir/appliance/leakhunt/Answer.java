package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.ProxyResponse;

import java.io.IOException;
import java.util.Iterator;
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

    /** The answer as parsed JSON, with what differs between any two stores (creation times, table ids) removed. */
    static JsonNode parse(ProxyResponse r) {
        try {
            JsonNode n = JSON.readTree(r.body());
            normalise(n);
            return n;
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("<not JSON> " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void normalise(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (f.endsWith("DateTime") || f.equals("TableId")) it.remove();
                else normalise(o.get(f));
            }
        } else if (n != null && n.isArray()) {
            for (JsonNode c : n) normalise(c);
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
