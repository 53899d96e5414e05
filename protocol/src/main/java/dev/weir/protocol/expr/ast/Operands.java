package dev.weir.protocol.expr.ast;

import dev.weir.protocol.expr.Path;

import java.util.Collection;

/** Walks syntax trees for the document paths they read. */
public final class Operands {
    private Operands() {}

    /** Adds every path {@code operand} reads to {@code out}. */
    public static void collectPaths(Operand operand, Collection<Path> out) {
        switch (operand) {
            case Operand.PathOperand p -> out.add(p.path());
            case Operand.ValueOperand v -> { }
            case Operand.Size s -> collectPaths(s.operand(), out);
            case Operand.IfNotExists f -> {
                out.add(f.path());
                collectPaths(f.fallback(), out);
            }
            case Operand.ListAppend l -> {
                collectPaths(l.first(), out);
                collectPaths(l.second(), out);
            }
            case Operand.Arithmetic a -> {
                collectPaths(a.left(), out);
                collectPaths(a.right(), out);
            }
        }
    }

    /** Adds every path {@code condition} reads to {@code out}. */
    public static void collectPaths(ConditionExpr condition, Collection<Path> out) {
        switch (condition) {
            case ConditionExpr.Compare c -> {
                collectPaths(c.left(), out);
                collectPaths(c.right(), out);
            }
            case ConditionExpr.Between b -> {
                collectPaths(b.operand(), out);
                collectPaths(b.low(), out);
                collectPaths(b.high(), out);
            }
            case ConditionExpr.In in -> {
                collectPaths(in.operand(), out);
                for (Operand o : in.candidates()) collectPaths(o, out);
            }
            case ConditionExpr.AttributeExists e -> out.add(e.path());
            case ConditionExpr.AttributeNotExists e -> out.add(e.path());
            case ConditionExpr.AttributeType t -> {
                out.add(t.path());
                collectPaths(t.type(), out);
            }
            case ConditionExpr.BeginsWith b -> {
                collectPaths(b.operand(), out);
                collectPaths(b.prefix(), out);
            }
            case ConditionExpr.Contains c -> {
                collectPaths(c.operand(), out);
                collectPaths(c.element(), out);
            }
            case ConditionExpr.And a -> {
                collectPaths(a.left(), out);
                collectPaths(a.right(), out);
            }
            case ConditionExpr.Or o -> {
                collectPaths(o.left(), out);
                collectPaths(o.right(), out);
            }
            case ConditionExpr.Not n -> collectPaths(n.condition(), out);
        }
    }
}
