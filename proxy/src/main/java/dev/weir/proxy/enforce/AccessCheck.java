package dev.weir.proxy.enforce;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closes side channels. A request may only <em>test</em> what its caller may read in the
 * clear: every path a KeyConditionExpression, FilterExpression, ConditionExpression or the
 * right-hand side of an UpdateExpression reads, every attribute of a Key or
 * ExclusiveStartKey, and the same for the legacy parameters (KeyConditions, QueryFilter,
 * ScanFilter, Expected, AttributeUpdates). A projection tests nothing: under a restricted
 * view weir applies it to the item as the view shows it ({@link Projections}). Otherwise {@code ssn = :guess},
 * {@code begins_with(ssn, :p)}, {@code attribute_exists(salary)} or {@code SET copy = ssn}
 * would reveal a hidden value by the answer's shape. A request may only <em>write</em>
 * paths the caller's allow-list covers. The paths come from the request's parsed trees
 * ({@link Part#expressions()}), parsed by the same engine the store uses, so the proxy sees
 * exactly the paths the store will touch. Both refusals are FORBIDDEN.
 */
final class AccessCheck {
    private AccessCheck() {}

    /** Refuses the part if it tests a path the plan does not show in the clear, or writes one outside it. */
    static void check(Part part, FieldPlan plan, Refusals refuse) {
        if (plan.isIdentity()) return;
        for (Path p : tested(part)) {
            if (!readableInClear(plan, p)) {
                throw refuse.forbidden("it tests the field '" + p + "', which the caller may not read in the clear");
            }
        }
        for (Path p : part.expressions().written()) {
            if (!writable(plan, p)) {
                throw refuse.forbidden("it writes the field '" + p + "', which is outside the caller's allow-list");
            }
        }
    }

    /** Every path the part tests: its expressions' (not its projection's) and its keys' attributes. */
    static Set<Path> tested(Part part) {
        Set<Path> tested = new LinkedHashSet<>(part.expressions().tested());
        for (String name : part.keyAttributes()) tested.add(Path.of(name));
        return tested;
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
}
