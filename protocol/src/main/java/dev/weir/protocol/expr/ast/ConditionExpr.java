package dev.weir.protocol.expr.ast;

import dev.weir.protocol.expr.Path;

import java.util.List;

/** The syntax tree of a condition, names and values resolved. */
public sealed interface ConditionExpr {

    record Compare(Comparator comparator, Operand left, Operand right) implements ConditionExpr {}

    record Between(Operand operand, Operand low, Operand high) implements ConditionExpr {}

    record In(Operand operand, List<Operand> candidates) implements ConditionExpr {
        public In { candidates = List.copyOf(candidates); }
    }

    record AttributeExists(Path path) implements ConditionExpr {}

    record AttributeNotExists(Path path) implements ConditionExpr {}

    record AttributeType(Path path, Operand type) implements ConditionExpr {}

    record BeginsWith(Operand operand, Operand prefix) implements ConditionExpr {}

    record Contains(Operand operand, Operand element) implements ConditionExpr {}

    record And(ConditionExpr left, ConditionExpr right) implements ConditionExpr {}

    record Or(ConditionExpr left, ConditionExpr right) implements ConditionExpr {}

    record Not(ConditionExpr condition) implements ConditionExpr {}
}
