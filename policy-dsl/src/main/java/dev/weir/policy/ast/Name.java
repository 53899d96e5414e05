package dev.weir.policy.ast;

/** A name as written (role, table or operation), with where it was written. */
public record Name(String text, SourcePos pos) implements Node {
    @Override public String toString() {
        return text;
    }
}
