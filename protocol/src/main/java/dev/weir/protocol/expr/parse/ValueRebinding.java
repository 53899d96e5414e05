package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;

import java.util.ArrayList;
import java.util.List;

/**
 * A syntax tree with the value of every {@code ValueOperand} replaced by the one its
 * placeholder maps to, all else the same: how a {@link BuildTemplate} is made into a request's
 * tree. Every placeholder in the tree has a value (a template's have, by construction).
 */
final class ValueRebinding {
    private ValueRebinding() {}

    static ConditionExpr condition(ConditionExpr c, BuildTemplate.Values values) {
        return switch (c) {
            case ConditionExpr.Compare cmp -> new ConditionExpr.Compare(cmp.comparator(), operand(cmp.left(), values),
                    operand(cmp.right(), values));
            case ConditionExpr.Between b -> new ConditionExpr.Between(operand(b.operand(), values), operand(b.low(), values),
                    operand(b.high(), values));
            case ConditionExpr.In in -> {
                List<Operand> candidates = new ArrayList<>(in.candidates().size());
                for (Operand o : in.candidates()) candidates.add(operand(o, values));
                yield new ConditionExpr.In(operand(in.operand(), values), candidates);
            }
            case ConditionExpr.AttributeExists e -> e;
            case ConditionExpr.AttributeNotExists e -> e;
            case ConditionExpr.AttributeType t -> new ConditionExpr.AttributeType(t.path(), operand(t.type(), values));
            case ConditionExpr.BeginsWith b -> new ConditionExpr.BeginsWith(operand(b.operand(), values), operand(b.prefix(), values));
            case ConditionExpr.Contains ct -> new ConditionExpr.Contains(operand(ct.operand(), values), operand(ct.element(), values));
            case ConditionExpr.And a -> new ConditionExpr.And(condition(a.left(), values), condition(a.right(), values));
            case ConditionExpr.Or o -> new ConditionExpr.Or(condition(o.left(), values), condition(o.right(), values));
            case ConditionExpr.Not n -> new ConditionExpr.Not(condition(n.condition(), values));
        };
    }

    static UpdateExpr update(UpdateExpr u, BuildTemplate.Values values) {
        List<UpdateAction> actions = new ArrayList<>(u.actions().size());
        for (UpdateAction a : u.actions()) {
            actions.add(switch (a) {
                case UpdateAction.Set s -> new UpdateAction.Set(s.path(), operand(s.value(), values));
                case UpdateAction.Remove r -> r;
                case UpdateAction.Add add -> new UpdateAction.Add(add.path(), value(add.value(), values));
                case UpdateAction.Delete d -> new UpdateAction.Delete(d.path(), value(d.value(), values));
            });
        }
        return new UpdateExpr(actions);
    }

    private static Operand operand(Operand o, BuildTemplate.Values values) {
        return switch (o) {
            case Operand.PathOperand p -> p;
            case Operand.ValueOperand v -> value(v, values);
            case Operand.Size s -> new Operand.Size(operand(s.operand(), values));
            case Operand.IfNotExists f -> new Operand.IfNotExists(f.path(), operand(f.fallback(), values));
            case Operand.ListAppend l -> new Operand.ListAppend(operand(l.first(), values), operand(l.second(), values));
            case Operand.Arithmetic a -> new Operand.Arithmetic(operand(a.left(), values), a.operator(), operand(a.right(), values));
        };
    }

    private static Operand.ValueOperand value(Operand.ValueOperand v, BuildTemplate.Values values) {
        return new Operand.ValueOperand(v.placeholder(), values.of(v.placeholder()));
    }
}
