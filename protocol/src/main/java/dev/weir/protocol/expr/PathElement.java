package dev.weir.protocol.expr;

/** One step of a document path: a map key (attribute name) or a list index. */
public sealed interface PathElement {

    /** A map key; at the start of a path, a top-level attribute name. Names are already resolved from {@code #n}. */
    record Name(String name) implements PathElement {
        public Name {
            java.util.Objects.requireNonNull(name, "name");
        }

        @Override public String toString() { return name; }
    }

    /** A list index, {@code [n]}. */
    record Index(int index) implements PathElement {
        public Index {
            if (index < 0) throw new IllegalArgumentException("negative list index: " + index);
        }

        @Override public String toString() { return "[" + index + "]"; }
    }
}
