package dev.weir.protocol.expr.render;

import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;

import java.util.ArrayList;
import java.util.List;

/** Tree equality up to placeholder spelling: the normal form erases the {@code :name} inside every value. */
final class Trees {
    private Trees() {}

    static ConditionExpr normal(ConditionExpr c) {
        return switch (c) {
            case ConditionExpr.Compare x -> new ConditionExpr.Compare(x.comparator(), normal(x.left()), normal(x.right()));
            case ConditionExpr.Between x -> new ConditionExpr.Between(normal(x.operand()), normal(x.low()), normal(x.high()));
            case ConditionExpr.In x -> new ConditionExpr.In(normal(x.operand()), x.candidates().stream().map(Trees::normal).toList());
            case ConditionExpr.AttributeExists x -> x;
            case ConditionExpr.AttributeNotExists x -> x;
            case ConditionExpr.AttributeType x -> new ConditionExpr.AttributeType(x.path(), normal(x.type()));
            case ConditionExpr.BeginsWith x -> new ConditionExpr.BeginsWith(normal(x.operand()), normal(x.prefix()));
            case ConditionExpr.Contains x -> new ConditionExpr.Contains(normal(x.operand()), normal(x.element()));
            case ConditionExpr.And x -> new ConditionExpr.And(normal(x.left()), normal(x.right()));
            case ConditionExpr.Or x -> new ConditionExpr.Or(normal(x.left()), normal(x.right()));
            case ConditionExpr.Not x -> new ConditionExpr.Not(normal(x.condition()));
        };
    }

    static Operand normal(Operand o) {
        return switch (o) {
            case Operand.PathOperand p -> p;
            case Operand.ValueOperand v -> value(v);
            case Operand.Size s -> new Operand.Size(normal(s.operand()));
            case Operand.IfNotExists f -> new Operand.IfNotExists(f.path(), normal(f.fallback()));
            case Operand.ListAppend l -> new Operand.ListAppend(normal(l.first()), normal(l.second()));
            case Operand.Arithmetic a -> new Operand.Arithmetic(normal(a.left()), a.operator(), normal(a.right()));
        };
    }

    static Operand.ValueOperand value(Operand.ValueOperand v) {
        return new Operand.ValueOperand("", v.value());
    }

    static UpdateExpr normal(UpdateExpr u) {
        return new UpdateExpr(u.actions().stream().map(a -> (UpdateAction) switch (a) {
            case UpdateAction.Set s -> new UpdateAction.Set(s.path(), normal(s.value()));
            case UpdateAction.Remove r -> r;
            case UpdateAction.Add x -> new UpdateAction.Add(x.path(), value(x.value()));
            case UpdateAction.Delete x -> new UpdateAction.Delete(x.path(), value(x.value()));
        }).toList());
    }

    /** The update with its actions grouped by section (SET, REMOVE, ADD, DELETE), each group in its order. */
    static UpdateExpr regrouped(UpdateExpr u) {
        List<UpdateAction> out = new ArrayList<>();
        for (Class<?> kind : List.of(UpdateAction.Set.class, UpdateAction.Remove.class, UpdateAction.Add.class,
                UpdateAction.Delete.class)) {
            for (UpdateAction a : u.actions()) if (kind.isInstance(a)) out.add(a);
        }
        return new UpdateExpr(out);
    }
}
