package dev.weir.policy.ast;

import java.math.BigDecimal;

/**
 * What happens to a field the caller is allowed to see. {@link #strictness()} gives the
 * level: remove (4) &gt; null (3) &gt; hash / hmac / unkeyed_sha256 / constant (2) &gt; partial masks:
 * show_first, show_last, pattern, round, bucket (1) &gt; show (0). Within a level
 * {@link dev.weir.policy.field.Strictness} breaks ties.
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

    /** HMAC-SHA256 of the value under the deployment's hash key, written {@code <key id>:<hex>}. */
    record Hash() implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "hash"; }
    }

    /**
     * Plain hex SHA-256 of the value, for digests that must match one computed elsewhere;
     * a dictionary of likely values reverses it, so the checker warns.
     */
    record UnkeyedSha256() implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "unkeyed_sha256"; }
    }

    /** Hex HMAC-SHA256 of the value under a named key: deterministic, not reversible by dictionary. */
    record Hmac(String key) implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "hmac(key: " + Strings.quote(key) + ")"; }
    }

    /** The value replaced by a fixed text. */
    record Constant(String text) implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "constant(" + Strings.quote(text) + ")"; }
    }

    /** The value replaced by a fixed number (a number stays a number). */
    record ConstantNumber(BigDecimal value) implements FieldAction {
        public int strictness() { return 2; }
        @Override public String toString() { return "constant(" + value.toPlainString() + ")"; }
    }

    /** {@code ****} after the first {@code n} characters (hidden digits of a number become 0). */
    record MaskShowFirst(int n) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "show_first(" + n + ")"; }
    }

    /** {@code ****} before the last {@code n} characters (hidden digits of a number become 0). */
    record MaskShowLast(int n) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "show_last(" + n + ")"; }
    }

    /** Every match of a regular expression replaced ({@code $1} refers to a group). */
    record Pattern(String regex, String replacement) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "pattern(" + Strings.quote(regex) + ", " + Strings.quote(replacement) + ")"; }
    }

    /** A number rounded to the nearest multiple of {@code step} (half up). */
    record Round(BigDecimal step) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "round(" + step.toPlainString() + ")"; }
    }

    /** A number replaced by the lower bound of its bucket of {@code width}: 98000 in bucket(10000) is 90000. */
    record Bucket(BigDecimal width) implements FieldAction {
        public int strictness() { return 1; }
        @Override public String toString() { return "bucket(" + width.toPlainString() + ")"; }
    }
}
