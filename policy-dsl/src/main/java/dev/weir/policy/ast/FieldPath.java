package dev.weir.policy.ast;

import java.util.List;

/** An attribute path such as {@code address.city} or {@code address.*}. */
public record FieldPath(List<PathSegment> segments, SourcePos pos) implements Node {
    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) throw new IllegalArgumentException("empty path");
    }

    /** The path as text, quoting segments that are not plain names. */
    @Override public String toString() {
        StringBuilder out = new StringBuilder();
        for (PathSegment s : segments) {
            if (!out.isEmpty() && !(s instanceof PathSegment.AnyElement)) out.append('.');
            out.append(s);
        }
        return out.toString();
    }
}
