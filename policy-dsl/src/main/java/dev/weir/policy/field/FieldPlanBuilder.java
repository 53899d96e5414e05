package dev.weir.policy.field;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.PathSegment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Merges the grants of the matching allow rules into one path trie. */
final class FieldPlanBuilder {

    /** A mutable trie node, used only while building. */
    private static final class Node {
        boolean visible;
        FieldAction action;
        final Map<String, Node> children = new HashMap<>();
        Node wildcard;
        Node elements;

        Node descend(PathSegment segment) {
            return switch (segment) {
                case PathSegment.Attribute a -> children.computeIfAbsent(a.name(), k -> new Node());
                case PathSegment.AnyAttribute any -> wildcard != null ? wildcard : (wildcard = new Node());
                case PathSegment.AnyElement any -> elements != null ? elements : (elements = new Node());
            };
        }
    }

    private final Node root = new Node();
    private final Map<String, FieldAction> actionsByPath = new TreeMap<>();

    FieldPlanBuilder add(FieldGrant grant) {
        if (grant.fields().isEmpty()) {
            root.visible = true;
        } else {
            for (FieldPath p : grant.fields().get()) node(p).visible = true;
        }
        for (Clause.Action a : grant.actions()) {
            Node n = node(a.path());
            n.action = Strictness.stricter(n.action, a.action());
            actionsByPath.merge(a.path().toString(), a.action(), Strictness::stricter);
        }
        return this;
    }

    FieldPlan build(HmacKeys keys) {
        normalize(root);
        PathNode frozen = freeze(root);
        List<String> masked = actionsByPath.entrySet().stream()
                .filter(e -> !(e.getValue() instanceof FieldAction.Remove) && !Strictness.isShow(e.getValue()))
                .map(Map.Entry::getKey).toList();
        List<String> removed = actionsByPath.entrySet().stream()
                .filter(e -> e.getValue() instanceof FieldAction.Remove).map(Map.Entry::getKey).toList();
        return new FieldPlan(frozen, masked, removed, keys);
    }

    private Node node(FieldPath path) {
        Node n = root;
        for (PathSegment s : path.segments()) n = n.descend(s);
        return n;
    }

    /** Pushes each wildcard into its named siblings, so lookups need only one branch. */
    private static void normalize(Node n) {
        if (n.wildcard != null) {
            for (Node named : n.children.values()) mergeInto(named, n.wildcard);
            normalize(n.wildcard);
        }
        for (Node c : n.children.values()) normalize(c);
        if (n.elements != null) normalize(n.elements);
    }

    private static void mergeInto(Node target, Node source) {
        target.visible |= source.visible;
        target.action = Strictness.stricter(target.action, source.action);
        source.children.forEach((k, c) -> mergeInto(target.children.computeIfAbsent(k, x -> new Node()), c));
        if (source.wildcard != null) {
            if (target.wildcard == null) target.wildcard = new Node();
            mergeInto(target.wildcard, source.wildcard);
        }
        if (source.elements != null) {
            if (target.elements == null) target.elements = new Node();
            mergeInto(target.elements, source.elements);
        }
    }

    private static PathNode freeze(Node n) {
        Map<String, PathNode> children = new HashMap<>();
        n.children.forEach((k, c) -> children.put(k, freeze(c)));
        PathNode wildcard = n.wildcard == null ? null : freeze(n.wildcard);
        PathNode elements = n.elements == null ? null : freeze(n.elements);
        boolean anyVisible = n.visible, restricted = !Strictness.isShow(n.action);
        List<PathNode> below = new java.util.ArrayList<>(children.values());
        if (wildcard != null) below.add(wildcard);
        if (elements != null) below.add(elements);
        for (PathNode c : below) {
            anyVisible |= c.anyVisible();
            restricted |= c.restricted();
        }
        return new PathNode(n.visible, n.action, Map.copyOf(children), wildcard, elements, anyVisible, restricted);
    }
}
