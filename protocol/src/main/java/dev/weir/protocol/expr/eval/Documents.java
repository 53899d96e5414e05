package dev.weir.protocol.expr.eval;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** Reads document paths out of items. */
public final class Documents {
    private Documents() {}

    /** The value at {@code path} in {@code item}, or null when the item (or any step of the path) is missing. */
    public static AttributeValue get(Map<String, AttributeValue> item, Path path) {
        if (item == null) return null;
        List<PathElement> elements = path.elements();
        AttributeValue current = item.get(path.attribute());
        for (int i = 1; i < elements.size() && current != null; i++) {
            current = child(current, elements.get(i));
        }
        return current;
    }

    /** The element or map entry {@code element} names in {@code value}, or null. */
    public static AttributeValue child(AttributeValue value, PathElement element) {
        return switch (element) {
            case PathElement.Name n when value instanceof AttributeValue.M m -> m.value().get(n.name());
            case PathElement.Index x when value instanceof AttributeValue.L l ->
                    x.index() < l.value().size() ? l.value().get(x.index()) : null;
            default -> null;
        };
    }
}
