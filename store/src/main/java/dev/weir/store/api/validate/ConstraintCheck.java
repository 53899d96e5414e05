package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.api.ValidationErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second pass: every constraint of every member, in DynamoDB's order (the members as the
 * operation's shape lists them, each member's constraints as listed, then what it contains),
 * collected into one {@code N validation errors detected} message of at most ten. Paths are
 * DynamoDB's: {@code keySchema.1.member.attributeName}, {@code requestItems.t.member.keys}.
 * Runs on a request that passed {@link SerializationCheck}, so every value has its shape.
 */
final class ConstraintCheck {
    private ConstraintCheck() {}

    static void check(JsonNode request, Shape.Struct shape, ValidationErrors errors) {
        struct(request, shape, "", errors);
    }

    private static void struct(JsonNode node, Shape.Struct shape, String prefix, ValidationErrors errors) {
        for (Member m : shape.members().get()) {
            JsonNode v = node.get(m.name());
            if (v != null && v.isNull()) v = null;
            member(v, m.shape(), m.constraints(), prefix + m.pathName(), errors);
        }
    }

    private static void member(JsonNode v, Shape shape, List<Constraint> constraints, String path, ValidationErrors errors) {
        for (Constraint c : constraints) {
            if (c instanceof Constraint.Keys keys) {
                if (v == null) continue;
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    String broken = keys.broken(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
                    if (broken != null) errors.add(Rendering.of(v), path, broken);
                }
                continue;
            }
            String broken = c.broken(v);
            if (broken == null) continue;
            // a list or map over its limit is quoted by its size, not its (possibly huge) content, as weir's proxy does
            boolean tooMany = c instanceof Constraint.MaxLength && v.isContainerNode();
            errors.add(tooMany ? v.size() + " elements" : v == null ? null : Rendering.of(v), path, broken);
        }
        if (v == null) return;
        switch (shape) {
            case Shape.ListOf l -> {
                for (int i = 0; i < v.size(); i++) {
                    JsonNode element = v.get(i);
                    if (element.isNull()) continue;
                    member(element, l.element(), List.of(), path + "." + (i + 1) + ".member", errors);
                }
            }
            case Shape.MapOf m -> {
                // DynamoDB reads a map into a hash map; dynalite's record of its answers shows the keys last to first
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
                v.properties().forEach(entries::add);
                for (Map.Entry<String, JsonNode> e : entries.reversed()) {
                    if (e.getValue().isNull()) continue;
                    member(e.getValue(), m.value(), m.valueConstraints(), path + "." + e.getKey() + ".member", errors);
                }
            }
            case Shape.Struct s -> struct(v, s, path + ".", errors);
            default -> { }
        }
    }
}
