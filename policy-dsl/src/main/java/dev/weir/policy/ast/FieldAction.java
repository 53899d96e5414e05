package dev.weir.policy.ast;

/**
 * What happens to a field the caller is allowed to see. {@link #strictness()} orders them:
 * remove &gt; null &gt; hash/constant &gt; partial mask &gt; show.
 */
public sealed interface FieldAction {

    /** Higher is stricter. */
    int strictness();

    /** The clause keyword that writes this action. */
    default String keyword() { return "mask"; }

    /** The value as stored. */
    record Show() implements FieldAction {
        public int strictness() { return 0; }
        public String keyword() { return "show"; }
        @Override public String toString() { return "show"; }
    }

    /** The attribute is dropped from the item. */
    record Remove() implements FieldAction {
        public int strictness() { return 4; }
        public String keyword() { return "remove"; }
        @Override public String toString() { return "remove"; }
    }

    /** The attribute is kept, with a NULL value. */
    record Null() implements FieldAction {
        public int strictness() { return 3; }
        public String keyword() { return "null"; }
        @Override public String toString() { return "null"; }
    }

    /** Hex SHA-256 of the value. */
    record Hash() implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "hash"; }
    }

    /** The value replaced by a fixed text. */
    record Constant(String text) implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "constant(\"" + text.replace("\"", "\\\"") + "\")"; }
    }

    /** Every character but the first {@code n} replaced by {@code *}. */
    record MaskShowFirst(int n) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "show_first(" + n + ")"; }
    }

    /** Every character but the last {@code n} replaced by {@code *}. */
    record MaskShowLast(int n) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "show_last(" + n + ")"; }
    }
}
