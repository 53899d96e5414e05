package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.legacy.Legacy;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closes side channels. A request may only <em>test</em> what its caller may read in the
 * clear: every path a KeyConditionExpression, FilterExpression, ConditionExpression,
 * ProjectionExpression or the right-hand side of an UpdateExpression reads, every attribute
 * of a Key or ExclusiveStartKey, and the same for the legacy parameters (AttributesToGet,
 * KeyConditions, QueryFilter, ScanFilter, Expected, AttributeUpdates). Otherwise {@code ssn = :guess},
 * {@code begins_with(ssn, :p)}, {@code attribute_exists(salary)} or {@code SET copy = ssn}
 * would reveal a hidden value by the answer's shape. A request may only <em>write</em>
 * paths the caller's allow-list covers. Expressions are parsed by the same engine the store
 * uses, so the proxy sees exactly the paths the store will touch.
 */
final class AccessCheck {
    private static final List<String> CONDITIONS = List.of("KeyConditionExpression", "FilterExpression", "ConditionExpression");
    private static final List<String> KEYS = List.of("Key", "ExclusiveStartKey");

    private AccessCheck() {}

    /**
     * What a request reads and writes, for the audit: attribute paths (names, never values),
     * and the key of each item it names, its values shown only where the caller may read
     * them in the clear ({@code <hidden>} otherwise).
     */
    record Touched(List<String> readPaths, List<String> writtenPaths, List<String> itemKeys) {
        static final Touched NONE = new Touched(List.of(), List.of(), List.of());

        Touched plus(Touched o) {
            return new Touched(union(readPaths, o.readPaths), union(writtenPaths, o.writtenPaths), union(itemKeys, o.itemKeys));
        }

        private static List<String> union(List<String> a, List<String> b) {
            LinkedHashSet<String> all = new LinkedHashSet<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }
    }

    /** Checks the request (see the class comment) and returns what it touches. */
    static Touched check(DecodedRequest req, FieldPlan plan, String principal) {
        JsonNode body = req.body();
        ExpressionContext ctx = new ExpressionContext(names(body), values(body));
        Set<Path> tested = new LinkedHashSet<>();
        Set<Path> written = new LinkedHashSet<>();
        for (String member : CONDITIONS) {
            String text = text(body, member);
            if (text != null) tested.addAll(ctx.condition(member, text).paths());
        }
        String projection = text(body, "ProjectionExpression");
        if (projection != null) tested.addAll(ctx.projection(projection).paths());
        String update = text(body, "UpdateExpression");
        if (update != null) {
            Update u = ctx.update(update);
            tested.addAll(u.readPaths());
            written.addAll(u.writePaths());
        }
        // Legacy parameters, translated by the store's own translator, count exactly like their twins.
        LegacyRequest legacy = Legacy.translate(req.operation(), body);
        tested.addAll(legacy.readPaths());
        written.addAll(legacy.writePaths());
        for (String member : KEYS) {
            JsonNode key = body.get(member);
            if (key != null && key.isObject()) key.fieldNames().forEachRemaining(n -> tested.add(Path.of(n)));
        }
        JsonNode keys = body.get("Keys");
        if (keys != null && keys.isArray()) {
            for (JsonNode key : keys) if (key.isObject()) key.fieldNames().forEachRemaining(n -> tested.add(Path.of(n)));
        }
        Touched touched = new Touched(tested.stream().map(Path::toString).toList(),
                written.stream().map(Path::toString).toList(), keys(body, plan));
        if (plan.isIdentity()) return touched;
        for (Path p : tested) {
            if (!readableInClear(plan, p)) {
                throw denied(principal, req, "it tests the field '" + p + "', which the caller may not read in the clear");
            }
        }
        for (Path p : written) {
            if (!writable(plan, p)) {
                throw denied(principal, req, "it writes the field '" + p + "', which is outside the caller's allow-list");
            }
        }
        return touched;
    }

    /** The request's Key or Keys as text, {@code id=p-1}, a value the caller may not read in clear as {@code <hidden>}. */
    private static List<String> keys(JsonNode body, FieldPlan plan) {
        List<JsonNode> keys = new java.util.ArrayList<>();
        if (body.get("Key") instanceof JsonNode k && k.isObject()) keys.add(k);
        if (body.get("Keys") instanceof JsonNode ks && ks.isArray()) ks.forEach(keys::add);
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.isObject()) continue;
            StringBuilder sb = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!sb.isEmpty()) sb.append(',');
                sb.append(e.getKey()).append('=');
                JsonNode v = e.getValue();
                String scalar = v.isObject() && v.size() == 1 && (v.has("S") || v.has("N")) ? v.elements().next().asText() : null;
                sb.append(scalar != null && (plan.isIdentity() || readableInClear(plan, Path.of(e.getKey()))) ? scalar : "<hidden>");
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Whether a path and everything under it is visible unmasked to this plan. */
    static boolean readableInClear(FieldPlan plan, Path path) {
        String dotted = dotted(path);
        return dotted == null ? plan.isIdentity() : plan.canReadInClear(dotted);
    }

    /** Whether a value written at this path would survive the plan (it may be masked, not removed). */
    static boolean writable(FieldPlan plan, Path path) {
        Map<String, AttributeValue> probe = new LinkedHashMap<>();
        probe.put(path.attribute(), probeValue(path.elements(), 1));
        Object seen = plan.redact(probe).get(path.attribute());
        for (int i = 1; i < path.elements().size() && seen != null; i++) {
            PathElement e = path.elements().get(i);
            seen = switch (e) {
                case PathElement.Name n -> seen instanceof AttributeValue.M m ? m.value().get(n.name()) : null;
                case PathElement.Index ignored -> seen instanceof AttributeValue.L l && !l.value().isEmpty() ? l.value().getFirst() : null;
            };
        }
        return seen != null;
    }

    private static AttributeValue probeValue(List<PathElement> elements, int from) {
        if (from >= elements.size()) return new AttributeValue.S("");
        return switch (elements.get(from)) {
            case PathElement.Name n -> new AttributeValue.M(Map.of(n.name(), probeValue(elements, from + 1)));
            case PathElement.Index ignored -> new AttributeValue.L(List.of(probeValue(elements, from + 1)));
        };
    }

    /** {@code a.b[2].c}, or null when a name holds '.', '[' or ']' and cannot be told from a path. */
    private static String dotted(Path path) {
        StringBuilder sb = new StringBuilder();
        for (PathElement e : path.elements()) {
            switch (e) {
                case PathElement.Name n -> {
                    String name = n.name();
                    if (name.indexOf('.') >= 0 || name.indexOf('[') >= 0 || name.indexOf(']') >= 0) return null;
                    if (!sb.isEmpty()) sb.append('.');
                    sb.append(name);
                }
                case PathElement.Index i -> sb.append('[').append(i.index()).append(']');
            }
        }
        return sb.toString();
    }

    private static DynamoException denied(String principal, DecodedRequest req, String because) {
        return new DynamoException(DynamoError.accessDenied("User: " + principal + " is not authorized to perform: dynamodb:"
                + req.operation() + " on resource: table/" + req.policyTable() + " because " + because));
    }

    private static String text(JsonNode body, String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw DynamoException.validation(member + " must be a string");
        return n.textValue();
    }

    static Map<String, String> names(JsonNode body) {
        JsonNode n = body.get("ExpressionAttributeNames");
        if (n == null || !n.isObject()) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    static Map<String, AttributeValue> values(JsonNode body) {
        JsonNode n = body.get("ExpressionAttributeValues");
        return n == null || !n.isObject() ? null : AttributeValueJson.item(n, "ExpressionAttributeValues");
    }
}
