package dev.weir.protocol.expr.eval;

import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A working copy of an item for applying updates: maps become {@code LinkedHashMap}s, lists
 * become {@link MList}s that remember their original length, other values stay as they are.
 */
final class Mutable {
    private Mutable() {}

    /** A list under update: original positions (removed ones marked) and elements set past its end. */
    static final class MList {
        private static final Object REMOVED = new Object();
        final List<Object> elements;
        final TreeMap<Integer, Object> appended = new TreeMap<>();

        MList(List<Object> elements) {
            this.elements = elements;
        }
    }

    static Object of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.M m -> {
                Map<String, Object> map = new LinkedHashMap<>();
                m.value().forEach((k, v) -> map.put(k, of(v)));
                yield map;
            }
            case AttributeValue.L l -> {
                List<Object> list = new ArrayList<>(l.value().size());
                for (AttributeValue v : l.value()) list.add(of(v));
                yield new MList(list);
            }
            default -> value;
        };
    }

    @SuppressWarnings("unchecked")
    static AttributeValue freeze(Object o) {
        return switch (o) {
            case AttributeValue v -> v;
            case Map<?, ?> map -> {
                Map<String, AttributeValue> frozen = new LinkedHashMap<>();
                ((Map<String, Object>) map).forEach((k, v) -> frozen.put(k, freeze(v)));
                yield new AttributeValue.M(frozen);
            }
            case MList list -> {
                List<AttributeValue> frozen = new ArrayList<>(list.elements.size() + list.appended.size());
                for (Object e : list.elements) if (e != MList.REMOVED) frozen.add(freeze(e));
                for (Object e : list.appended.values()) frozen.add(freeze(e));
                yield new AttributeValue.L(frozen);
            }
            default -> throw new IllegalStateException("not a document node: " + o);
        };
    }

    static AttributeValue freezeOrNull(Object o) {
        return o == null ? null : freeze(o);
    }

    /** The child at {@code element}, or null when there is none (or the container is of the other kind). */
    @SuppressWarnings("unchecked")
    static Object child(Object container, PathElement element) {
        return switch (element) {
            case PathElement.Name n when container instanceof Map<?, ?> map -> ((Map<String, Object>) map).get(n.name());
            case PathElement.Index x when container instanceof MList list -> {
                if (x.index() < list.elements.size()) {
                    Object e = list.elements.get(x.index());
                    yield e == MList.REMOVED ? null : e;
                }
                yield list.appended.get(x.index());
            }
            default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    static void put(Object container, PathElement element, Object value) {
        switch (element) {
            case PathElement.Name n -> ((Map<String, Object>) container).put(n.name(), value);
            case PathElement.Index x -> {
                MList list = (MList) container;
                if (x.index() < list.elements.size()) list.elements.set(x.index(), value);
                else list.appended.put(x.index(), value);
            }
        }
    }

    static void remove(Object container, PathElement element) {
        switch (element) {
            case PathElement.Name n -> ((Map<?, ?>) container).remove(n.name());
            case PathElement.Index x -> {
                MList list = (MList) container;
                if (x.index() < list.elements.size()) list.elements.set(x.index(), MList.REMOVED);
                else list.appended.remove(x.index());
            }
        }
    }
}
