package dev.weir.policy.ast;

/**
 * A rule's id: from {@code @id("...")}, or {@code <file>:<line>} when the rule has none.
 *
 * @param explicit whether it was written with {@code @id}
 * @param pos      where the {@code @id} annotation (or, without one, the rule) starts
 */
public record RuleId(String value, boolean explicit, SourcePos pos) implements Node {
    @Override public String toString() {
        return value;
    }
}
