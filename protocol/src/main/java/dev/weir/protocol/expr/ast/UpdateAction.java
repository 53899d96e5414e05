package dev.weir.protocol.expr.ast;

import dev.weir.protocol.expr.Path;

/** One action of an UpdateExpression. */
public sealed interface UpdateAction {

    /** The path the action writes. */
    Path path();

    record Set(Path path, Operand value) implements UpdateAction {}

    record Remove(Path path) implements UpdateAction {}

    record Add(Path path, Operand.ValueOperand value) implements UpdateAction {}

    record Delete(Path path, Operand.ValueOperand value) implements UpdateAction {}
}
