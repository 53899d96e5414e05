package dev.weir.protocol.expr.legacy;

import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.model.AttributeValue;

/**
 * Names the values of one request's legacy parameters as expression placeholders
 * ({@code :legacy0}, {@code :legacy1}, ...), so translated syntax trees look like parsed ones.
 */
final class Placeholders {
    static final String PREFIX = ":legacy";
    private int next;

    Operand.ValueOperand next(AttributeValue value) {
        return new Operand.ValueOperand(PREFIX + next++, value);
    }
}
