package dev.weir.protocol.expr.eval;

import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.Operands;
import dev.weir.protocol.model.AttributeValue;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a condition against an item. Comparisons across types, with missing attributes
 * or of unordered types are false rather than errors, as in DynamoDB; {@code <>} is true
 * whenever {@code =} is false.
 */
public final class ConditionEvaluator implements Condition {
    private final ConditionExpr expression;
    private final Set<Path> paths;

    public ConditionEvaluator(ConditionExpr expression) {
        this.expression = expression;
        Set<Path> collected = new LinkedHashSet<>();
        Operands.collectPaths(expression, collected);
        this.paths = java.util.Collections.unmodifiableSet(collected);
    }

    @Override public boolean test(Map<String, AttributeValue> item) {
        return test(expression, item == null ? Map.of() : item);
    }

    @Override public Set<Path> paths() {
        return paths;
    }

    @Override public ConditionExpr expression() {
        return expression;
    }

    private static boolean test(ConditionExpr c, Map<String, AttributeValue> item) {
        return switch (c) {
            case ConditionExpr.And a -> test(a.left(), item) && test(a.right(), item);
            case ConditionExpr.Or o -> test(o.left(), item) || test(o.right(), item);
            case ConditionExpr.Not n -> !test(n.condition(), item);
            case ConditionExpr.Compare cmp -> compare(cmp, value(cmp.left(), item), value(cmp.right(), item));
            case ConditionExpr.Between b -> {
                AttributeValue v = value(b.operand(), item);
                AttributeValue low = value(b.low(), item);
                AttributeValue high = value(b.high(), item);
                yield Values.comparable(v, low) && Values.comparable(v, high)
                        && Values.compare(v, low) >= 0 && Values.compare(v, high) <= 0;
            }
            case ConditionExpr.In in -> {
                AttributeValue v = value(in.operand(), item);
                if (v == null) yield false;
                for (Operand candidate : in.candidates()) {
                    if (Values.equal(v, value(candidate, item))) yield true;
                }
                yield false;
            }
            case ConditionExpr.AttributeExists e -> Documents.get(item, e.path()) != null;
            case ConditionExpr.AttributeNotExists e -> Documents.get(item, e.path()) == null;
            case ConditionExpr.AttributeType t -> {
                AttributeValue v = Documents.get(item, t.path());
                yield v != null && value(t.type(), item) instanceof AttributeValue.S s && s.value().equals(v.typeTag());
            }
            case ConditionExpr.BeginsWith b -> Values.beginsWith(value(b.operand(), item), value(b.prefix(), item));
            case ConditionExpr.Contains ct -> Values.contains(value(ct.operand(), item), value(ct.element(), item));
        };
    }

    private static boolean compare(ConditionExpr.Compare cmp, AttributeValue left, AttributeValue right) {
        return switch (cmp.comparator()) {
            case EQ -> Values.equal(left, right);
            case NE -> !Values.equal(left, right);
            case LT -> Values.comparable(left, right) && Values.compare(left, right) < 0;
            case LE -> Values.comparable(left, right) && Values.compare(left, right) <= 0;
            case GT -> Values.comparable(left, right) && Values.compare(left, right) > 0;
            case GE -> Values.comparable(left, right) && Values.compare(left, right) >= 0;
        };
    }

    /** The value of a condition operand, or null when it refers to something missing. */
    static AttributeValue value(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case Operand.PathOperand p -> Documents.get(item, p.path());
            case Operand.ValueOperand v -> v.value();
            case Operand.Size s -> {
                AttributeValue v = value(s.operand(), item);
                Integer size = v == null ? null : Values.size(v);
                yield size == null ? null : new AttributeValue.N(Integer.toString(size));
            }
            default -> throw new IllegalStateException("not a condition operand: " + operand);
        };
    }
}
