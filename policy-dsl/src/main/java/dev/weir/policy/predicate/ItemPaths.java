package dev.weir.policy.predicate;

import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.protocol.expr.Path;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The item paths a condition reads ({@code item.address.city} reads {@code address.city}):
 * what an item must hold for the condition to be decided on it, so that a caller that reads
 * less (an index projection, a projection expression) knows what to fetch.
 */
public final class ItemPaths {
    private ItemPaths() {}

    /**
     * Adds the paths {@code condition} reads to {@code out}; nothing for {@link CompiledCondition#TRUE}
     * and {@link CompiledCondition#FALSE}.
     *
     * @throws IllegalStateException for a condition without its source ({@link CompiledCondition#origin()}),
     *     whose paths cannot be known
     */
    public static void collect(CompiledCondition condition, Collection<Path> out) {
        if (condition == CompiledCondition.TRUE || condition == CompiledCondition.FALSE) return;
        CompiledCondition.Origin origin = condition.origin();
        if (origin == null) throw new IllegalStateException("the condition '" + condition + "' has no source to read paths from");
        collect(origin.condition(), out);
    }

    /** Adds the paths {@code condition} reads to {@code out}. */
    public static void collect(Condition condition, Collection<Path> out) {
        List<Operand> operands = new ArrayList<>();
        switch (condition) {
            case Condition.And a -> {
                collect(a.left(), out);
                collect(a.right(), out);
            }
            case Condition.Or o -> {
                collect(o.left(), out);
                collect(o.right(), out);
            }
            case Condition.Not n -> collect(n.inner(), out);
            case Condition.Constant k -> { }
            case Condition.Compare c -> {
                operands.add(c.left());
                operands.add(c.right());
            }
            case Condition.Between b -> {
                operands.add(b.value());
                operands.add(b.low());
                operands.add(b.high());
            }
            case Condition.In in -> {
                operands.add(in.value());
                switch (in.set()) {
                    case SetExpr.Listed l -> operands.addAll(l.elements());
                    case SetExpr.OfReference r -> add(r.ref(), out);
                    case SetExpr.Network n -> { }
                    case SetExpr.TimeWindow w -> { }
                }
            }
            case Condition.Call c -> operands.addAll(c.args());
        }
        for (Operand o : operands) {
            switch (o) {
                case Operand.Ref r -> add(r.ref(), out);
                case Operand.Size s -> add(s.ref(), out);
                default -> { }
            }
        }
    }

    /** An item reference's path; none for one that names no attribute ({@code item}, {@code item[0]}: always absent). */
    private static void add(Reference ref, Collection<Path> out) {
        if (ref.root() != Reference.Root.ITEM || ref.steps().isEmpty()
                || !(ref.steps().getFirst() instanceof Reference.Step.Key)) {
            return;
        }
        out.add(PartialEvaluation.path(ref));
    }
}
