package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.model.Operation;

import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "who, from where, asks what" part of a test case or an explain query, read from YAML:
 * <pre>
 * principal: {name: ada, roles: [analyst], attributes: {region: eu, regions: [eu, us]}}
 * context: {source: 10.1.2.3, time: "2025-01-06T09:30:00+01:00",
 *           tls: {subject: "CN=etl,OU=batch", san: [etl.example.com]}, table_tags: {env: prod}}
 * request: {op: GetItem, table: people}
 * </pre>
 * An attribute written as a YAML list is multi-valued; a plain value is a one-element list.
 */
public final class Scenario {
    private Scenario() {}

    /** The request of a case; {@code principals} resolves a principal given by name. */
    public static DecisionRequest request(JsonNode node, Map<String, JsonNode> principals) {
        JsonNode p = node.get("principal");
        if (p != null && p.isTextual()) {
            JsonNode named = principals.get(p.asText());
            if (named == null) throw new IllegalArgumentException("unknown principal '" + p.asText() + "'");
            p = ((com.fasterxml.jackson.databind.node.ObjectNode) named.deepCopy()).put("name", p.asText());
        }
        if (p == null || !p.isObject()) throw new IllegalArgumentException("a case needs a principal");
        String name = p.hasNonNull("name") ? p.get("name").asText() : null;
        Set<String> roles = new LinkedHashSet<>();
        if (p.has("roles")) p.get("roles").forEach(r -> roles.add(r.asText()));
        Map<String, List<String>> attributes = attributes(p.get("attributes"));
        JsonNode r = node.get("request");
        if (r == null || !r.hasNonNull("op")) throw new IllegalArgumentException("a case needs a request with an op");
        Operation op = Operation.byName(r.get("op").asText());
        if (op == null) throw new IllegalArgumentException("unknown operation '" + r.get("op").asText() + "'");
        String table = r.hasNonNull("table") ? r.get("table").asText() : "*";
        return new DecisionRequest(name, roles, attributes, table, op, context(node.get("context")));
    }

    public static Map<String, List<String>> attributes(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) e.getValue().forEach(v -> values.add(v.asText()));
            else values.add(e.getValue().asText());
            out.put(e.getKey(), values);
        }
        return out;
    }

    public static Context context(JsonNode c) {
        if (c == null || !c.isObject()) return Context.NONE;
        InetAddress source = null;
        if (c.hasNonNull("source")) {
            try {
                source = InetAddress.ofLiteral(c.get("source").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("context.source is not an IP address: " + c.get("source").asText());
            }
        }
        Instant time = c.hasNonNull("time") ? time(c.get("time").asText()) : null;
        TlsIdentity tls = TlsIdentity.NONE;
        JsonNode t = c.get("tls");
        if (t != null && t.isObject()) {
            List<String> san = new ArrayList<>();
            if (t.has("san")) t.get("san").forEach(s -> san.add(s.asText()));
            String subject = t.hasNonNull("subject") ? t.get("subject").asText() : "";
            try {
                tls = TlsIdentity.of(subject, san);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("context.tls.subject is not a distinguished name: " + subject);
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode g = c.get("table_tags");
        if (g != null && g.isObject()) g.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return new Context(source, time, tls, tags);
    }

    private static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("context.time is not an ISO date-time with offset: " + text);
            }
        }
    }
}
