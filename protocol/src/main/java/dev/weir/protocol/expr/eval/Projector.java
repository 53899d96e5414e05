package dev.weir.protocol.expr.eval;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the named parts of an item. Paths are merged into a tree; a map keeps only the named
 * keys that exist, a list only the named indexes that exist, compacted in index order; a part
 * of which nothing exists is left out.
 */
public final class Projector implements Projection {
    private final List<Path> paths;
    private final Node root = new Node();

    public Projector(List<Path> paths) {
        this.paths = List.copyOf(paths);
        for (Path path : this.paths) root.insert(path.elements(), 0);
    }

    @Override public List<Path> paths() {
        return paths;
    }

    @Override public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> result = new LinkedHashMap<>();
        if (item == null) return result;
        root.names.forEach((name, node) -> {
            AttributeValue v = item.get(name);
            AttributeValue projected = v == null ? null : node.project(v);
            if (projected != null) result.put(name, projected);
        });
        return result;
    }

    private static final class Node {
        boolean whole;
        final Map<String, Node> names = new LinkedHashMap<>();
        final TreeMap<Integer, Node> indexes = new TreeMap<>();

        void insert(List<PathElement> elements, int at) {
            if (at == elements.size()) {
                whole = true;
                return;
            }
            Node child = switch (elements.get(at)) {
                case PathElement.Name n -> names.computeIfAbsent(n.name(), k -> new Node());
                case PathElement.Index x -> indexes.computeIfAbsent(x.index(), k -> new Node());
            };
            child.insert(elements, at + 1);
        }

        AttributeValue project(AttributeValue value) {
            if (whole) return value;
            if (!names.isEmpty() && value instanceof AttributeValue.M m) {
                Map<String, AttributeValue> kept = new LinkedHashMap<>();
                names.forEach((name, node) -> {
                    AttributeValue v = m.value().get(name);
                    AttributeValue projected = v == null ? null : node.project(v);
                    if (projected != null) kept.put(name, projected);
                });
                return kept.isEmpty() ? null : new AttributeValue.M(kept);
            }
            if (!indexes.isEmpty() && value instanceof AttributeValue.L l) {
                List<AttributeValue> kept = new ArrayList<>();
                indexes.forEach((index, node) -> {
                    if (index < l.value().size()) {
                        AttributeValue projected = node.project(l.value().get(index));
                        if (projected != null) kept.add(projected);
                    }
                });
                return kept.isEmpty() ? null : new AttributeValue.L(kept);
            }
            return null;
        }
    }
}
