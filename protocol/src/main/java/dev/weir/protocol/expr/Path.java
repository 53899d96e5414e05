package dev.weir.protocol.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A document path with its names resolved: {@code a.b[2].c}. The first element is always a
 * {@link PathElement.Name} (a top-level attribute).
 *
 * <p>A value class (equal elements, equal paths) that keeps its hash and its text: every
 * request's checks and audit record put the same few paths into sets and print them many
 * times over, and a record would hash and print its list of elements every time.
 */
public final class Path {
    private final List<PathElement> elements;
    private final int hash;
    private String text;

    public Path(List<PathElement> elements) {
        elements = List.copyOf(elements);
        if (elements.isEmpty()) throw new IllegalArgumentException("a document path has at least one element");
        if (!(elements.getFirst() instanceof PathElement.Name)) {
            throw new IllegalArgumentException("a document path starts with an attribute name");
        }
        this.elements = elements;
        this.hash = elements.hashCode();
    }

    /** The elements, the top-level attribute's name first. */
    public List<PathElement> elements() {
        return elements;
    }

    @Override public boolean equals(Object o) {
        return o == this || o instanceof Path p && p.hash == hash && p.elements.equals(elements);
    }

    @Override public int hashCode() {
        return hash;
    }

    /** The path of one top-level attribute. */
    public static Path of(String attribute) {
        return new Path(List.of(new PathElement.Name(attribute)));
    }

    /** The path of the given names and indexes: {@code Path.of("a", 2, "b")} is {@code a[2].b}. */
    public static Path of(String attribute, Object... rest) {
        List<PathElement> elements = new ArrayList<>(1 + rest.length);
        elements.add(new PathElement.Name(attribute));
        for (Object o : rest) {
            elements.add(switch (o) {
                case String s -> new PathElement.Name(s);
                case Integer i -> new PathElement.Index(i);
                default -> throw new IllegalArgumentException("path elements are names or indexes: " + o);
            });
        }
        return new Path(elements);
    }

    /** The top-level attribute this path starts at. */
    public String attribute() {
        return ((PathElement.Name) elements.getFirst()).name();
    }

    public int size() {
        return elements.size();
    }

    public boolean isTopLevel() {
        return elements.size() == 1;
    }

    public PathElement last() {
        return elements.getLast();
    }

    /** The path without its last element; null for a top-level path. */
    public Path parent() {
        return elements.size() == 1 ? null : new Path(elements.subList(0, elements.size() - 1));
    }

    /** Whether this path equals {@code other} or lies inside it. */
    public boolean startsWith(Path other) {
        return other.elements.size() <= elements.size()
                && elements.subList(0, other.elements.size()).equals(other.elements);
    }

    /** The path as DynamoDB prints it in error messages: {@code [a, b, [2]]}. */
    public String toMessageString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(elements.get(i));
        }
        return sb.append(']').toString();
    }

    @Override public String toString() {
        String t = text;
        if (t != null) return t;
        StringBuilder sb = new StringBuilder();
        for (PathElement e : elements) {
            if (e instanceof PathElement.Name n && !sb.isEmpty()) sb.append('.');
            sb.append(e);
        }
        // A benign race: every thread computes the same immutable String.
        return text = sb.toString();
    }
}
