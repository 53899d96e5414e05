package dev.weir.protocol.expr.ast;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;

/** Something that yields a value: a document path, a placeholder value, or a function of operands. */
public sealed interface Operand {

    /** A document path into the item. */
    record PathOperand(Path path) implements Operand {}

    /** An {@code :name} placeholder with the value it stands for. */
    record ValueOperand(String placeholder, AttributeValue value) implements Operand {}

    /** {@code size(operand)}: the length of a string or binary, the number of elements of a set, list or map. */
    record Size(Operand operand) implements Operand {}

    /** {@code if_not_exists(path, fallback)} (updates only). */
    record IfNotExists(Path path, Operand fallback) implements Operand {}

    /** {@code list_append(first, second)} (updates only). */
    record ListAppend(Operand first, Operand second) implements Operand {}

    /** {@code left + right} or {@code left - right} on numbers (updates only). */
    record Arithmetic(Operand left, Operator operator, Operand right) implements Operand {}

    enum Operator {
        PLUS("+"), MINUS("-");

        private final String symbol;

        Operator(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }
}
