package dev.weir.policy.ast;

/** One step of a {@link FieldPath}. {@code tags[*]} is {@code tags} followed by {@link AnyElement}. */
public sealed interface PathSegment {

    /** A map key (an attribute name), matched exactly. */
    record Attribute(String name) implements PathSegment {
        @Override public String toString() {
            return name.matches("[A-Za-z_][A-Za-z0-9_-]*") ? name
                    : '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** {@code *}: every key of the map at this point. */
    record AnyAttribute() implements PathSegment {
        @Override public String toString() { return "*"; }
    }

    /** {@code [*]}: every element of the list at this point. */
    record AnyElement() implements PathSegment {
        @Override public String toString() { return "[*]"; }
    }
}
