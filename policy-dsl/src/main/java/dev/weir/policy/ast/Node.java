package dev.weir.policy.ast;

/** Anything in the AST that came from the source text and can be pointed at. */
public interface Node {
    SourcePos pos();
}
