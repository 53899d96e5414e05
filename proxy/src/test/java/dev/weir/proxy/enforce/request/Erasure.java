package dev.weir.proxy.enforce.request;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.value.ItemValidator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Trees compared "modulo placeholder names": every value operand's placeholder ({@code :v},
 * {@code :policy}, {@code :v0}) is erased, so two trees are equal when they test the same
 * paths against the same values in the same shape, however the values were spelled. With
 * {@link #canonical}, values are also taken in the store's canonical form (numbers as the
 * store keeps them: {@code 01.50} is {@code 1.5}), as the store canonicalises its own.
 */
final class Erasure {
    private final UnaryOperator<AttributeValue> value;

    private Erasure(UnaryOperator<AttributeValue> value) {
        this.value = value;
    }

    /** Placeholders erased, values as they are. */
    static final Erasure EXACT = new Erasure(v -> v);
    /** Placeholders erased, values canonical (a value the store refuses stays as it is). */
    static final Erasure CANONICAL = new Erasure(Erasure::canonicalValue);

    ExpressionTrees of(ExpressionTrees t) {
        return new ExpressionTrees(of(t.keyCondition()), of(t.filter()), of(t.condition()), of(t.update()), t.projection());
    }

    ConditionExpr of(ConditionExpr c) {
        if (c == null) return null;
        return switch (c) {
            case ConditionExpr.Compare x -> new ConditionExpr.Compare(x.comparator(), of(x.left()), of(x.right()));
            case ConditionExpr.Between x -> new ConditionExpr.Between(of(x.operand()), of(x.low()), of(x.high()));
            case ConditionExpr.In x -> new ConditionExpr.In(of(x.operand()), x.candidates().stream().map(this::of).toList());
            case ConditionExpr.AttributeExists x -> x;
            case ConditionExpr.AttributeNotExists x -> x;
            case ConditionExpr.AttributeType x -> new ConditionExpr.AttributeType(x.path(), of(x.type()));
            case ConditionExpr.BeginsWith x -> new ConditionExpr.BeginsWith(of(x.operand()), of(x.prefix()));
            case ConditionExpr.Contains x -> new ConditionExpr.Contains(of(x.operand()), of(x.element()));
            case ConditionExpr.And x -> new ConditionExpr.And(of(x.left()), of(x.right()));
            case ConditionExpr.Or x -> new ConditionExpr.Or(of(x.left()), of(x.right()));
            case ConditionExpr.Not x -> new ConditionExpr.Not(of(x.condition()));
        };
    }

    UpdateExpr of(UpdateExpr u) {
        if (u == null) return null;
        List<UpdateAction> actions = new ArrayList<>();
        for (UpdateAction a : u.actions()) {
            actions.add(switch (a) {
                case UpdateAction.Set s -> new UpdateAction.Set(s.path(), of(s.value()));
                case UpdateAction.Remove r -> r;
                case UpdateAction.Add x -> new UpdateAction.Add(x.path(), (Operand.ValueOperand) of(x.value()));
                case UpdateAction.Delete x -> new UpdateAction.Delete(x.path(), (Operand.ValueOperand) of(x.value()));
            });
        }
        return new UpdateExpr(actions);
    }

    Operand of(Operand o) {
        return switch (o) {
            case Operand.PathOperand p -> p;
            case Operand.ValueOperand v -> new Operand.ValueOperand("", value.apply(v.value()));
            case Operand.Size s -> new Operand.Size(of(s.operand()));
            case Operand.IfNotExists f -> new Operand.IfNotExists(f.path(), of(f.fallback()));
            case Operand.ListAppend l -> new Operand.ListAppend(of(l.first()), of(l.second()));
            case Operand.Arithmetic a -> new Operand.Arithmetic(of(a.left()), a.operator(), of(a.right()));
        };
    }

    /**
     * The update with its actions grouped by section (SET, REMOVE, ADD, DELETE), each keeping
     * its order: the form ExpressionWriter writes, which means the same update.
     */
    static UpdateExpr bySection(UpdateExpr u) {
        if (u == null) return null;
        List<UpdateAction> actions = new ArrayList<>(u.actions());
        actions.sort(Comparator.comparingInt(a -> switch (a) {
            case UpdateAction.Set s -> 0;
            case UpdateAction.Remove r -> 1;
            case UpdateAction.Add x -> 2;
            case UpdateAction.Delete x -> 3;
        }));
        return new UpdateExpr(actions);
    }

    private static AttributeValue canonicalValue(AttributeValue v) {
        try {
            return ItemValidator.canonical(v);
        } catch (DynamoException invalid) {
            return v;
        }
    }
}
