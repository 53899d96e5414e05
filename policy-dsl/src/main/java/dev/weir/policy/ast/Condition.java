package dev.weir.policy.ast;

import java.util.List;

/**
 * A predicate as written in {@code when}, {@code rows where} and {@code require}. The
 * checker types it; {@link dev.weir.policy.predicate} compiles it.
 */
public sealed interface Condition extends Node {

    record And(Condition left, Condition right, SourcePos pos) implements Condition {}

    record Or(Condition left, Condition right, SourcePos pos) implements Condition {}

    record Not(Condition inner, SourcePos pos) implements Condition {}

    /** {@code true} or {@code false}. */
    record Constant(boolean value, SourcePos pos) implements Condition {}

    /** {@code left OP right}. */
    record Compare(Operand left, Comparator op, Operand right, SourcePos pos) implements Condition {}

    /** {@code value in SET}. */
    record In(Operand value, SetExpr set, SourcePos pos) implements Condition {}

    /** {@code value between low and high} (both ends included). */
    record Between(Operand value, Operand low, Operand high, SourcePos pos) implements Condition {}

    /** {@code begins_with(a, b)}, {@code contains(a, b)}, {@code exists(a)}. */
    record Call(String function, List<Operand> args, SourcePos pos) implements Condition {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** The functions a condition may call, with their arity. */
    List<String> FUNCTIONS = List.of("begins_with", "contains", "exists");
}
