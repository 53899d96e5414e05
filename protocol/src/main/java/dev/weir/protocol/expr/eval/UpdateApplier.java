package dev.weir.protocol.expr.eval;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.Operands;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies an UpdateExpression to an item as DynamoDB does: every right-hand side is evaluated
 * against the item as it was before the update, list indexes refer to the list as it was (so
 * {@code REMOVE a[0], a[1]} removes two original elements), and setting an index past the end
 * of a list appends.
 */
public final class UpdateApplier implements Update {
    static final String MISSING = "The provided expression refers to an attribute that does not exist in the item";
    static final String WRONG_TYPE = "An operand in the update expression has an incorrect data type";
    static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";

    private final UpdateExpr expression;
    private final Set<Path> readPaths;
    private final Set<Path> writePaths;

    public UpdateApplier(UpdateExpr expression) {
        this.expression = expression;
        Set<Path> reads = new LinkedHashSet<>();
        Set<Path> writes = new LinkedHashSet<>();
        for (UpdateAction action : expression.actions()) {
            writes.add(action.path());
            if (action instanceof UpdateAction.Set set) Operands.collectPaths(set.value(), reads);
        }
        this.readPaths = Collections.unmodifiableSet(reads);
        this.writePaths = Collections.unmodifiableSet(writes);
    }

    @Override public Set<Path> readPaths() { return readPaths; }

    @Override public Set<Path> writePaths() { return writePaths; }

    @Override public UpdateExpr expression() { return expression; }

    @Override public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> before = item == null ? Map.of() : item;
        Map<UpdateAction, AttributeValue> setValues = new IdentityHashMap<>();
        for (UpdateAction action : expression.actions()) {
            if (action instanceof UpdateAction.Set set) setValues.put(action, evaluate(set.value(), before));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        before.forEach((k, v) -> root.put(k, Mutable.of(v)));
        for (UpdateAction action : expression.actions()) {
            Object parent = parent(root, action.path());
            PathElement last = action.path().last();
            switch (action) {
                case UpdateAction.Set set -> Mutable.put(parent, last, Mutable.of(setValues.get(set)));
                case UpdateAction.Remove remove -> Mutable.remove(parent, last);
                case UpdateAction.Add add -> add(parent, last, add.value().value());
                case UpdateAction.Delete delete -> delete(parent, last, delete.value().value());
            }
        }
        Map<String, AttributeValue> after = new LinkedHashMap<>();
        root.forEach((k, v) -> after.put(k, Mutable.freeze(v)));
        return after;
    }

    /** The container holding the path's last element; DynamoDB's error when there is none of the right kind. */
    private static Object parent(Map<String, Object> root, Path path) {
        Object current = root;
        List<PathElement> elements = path.elements();
        for (int i = 0; i < elements.size() - 1; i++) {
            current = Mutable.child(current, elements.get(i));
            if (current == null) throw DynamoException.validation(INVALID_PATH);
        }
        PathElement last = path.last();
        boolean fits = last instanceof PathElement.Name ? current instanceof Map : current instanceof Mutable.MList;
        if (!fits) throw DynamoException.validation(INVALID_PATH);
        return current;
    }

    private static void add(Object parent, PathElement last, AttributeValue operand) {
        AttributeValue existing = Mutable.freezeOrNull(Mutable.child(parent, last));
        AttributeValue result;
        if (existing == null) {
            result = switch (operand) {
                case AttributeValue.N n -> new AttributeValue.N(DynamoNumber.canonical(n.value()));
                default -> SetAlgebra.union(null, operand);
            };
        } else if (!existing.typeTag().equals(operand.typeTag())) {
            throw DynamoException.validation(WRONG_TYPE);
        } else if (operand instanceof AttributeValue.N n) {
            result = arithmetic(Values.number(((AttributeValue.N) existing).value()).add(Values.number(n.value())));
        } else {
            result = SetAlgebra.union(existing, operand);
        }
        Mutable.put(parent, last, result);
    }

    private static void delete(Object parent, PathElement last, AttributeValue operand) {
        AttributeValue existing = Mutable.freezeOrNull(Mutable.child(parent, last));
        if (existing == null) return;
        if (!existing.typeTag().equals(operand.typeTag())) throw DynamoException.validation(WRONG_TYPE);
        AttributeValue rest = SetAlgebra.difference(existing, operand);
        if (rest == null) Mutable.remove(parent, last);
        else Mutable.put(parent, last, rest);
    }

    /** The value of a SET right-hand side against the item before the update. */
    static AttributeValue evaluate(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case Operand.ValueOperand v -> v.value() instanceof AttributeValue.N n
                    ? new AttributeValue.N(DynamoNumber.canonical(n.value())) : v.value();
            case Operand.PathOperand p -> {
                AttributeValue v = Documents.get(item, p.path());
                if (v == null) throw DynamoException.validation(MISSING);
                yield v;
            }
            case Operand.IfNotExists f -> {
                AttributeValue v = Documents.get(item, f.path());
                yield v != null ? v : evaluate(f.fallback(), item);
            }
            case Operand.ListAppend l -> {
                AttributeValue first = evaluate(l.first(), item);
                AttributeValue second = evaluate(l.second(), item);
                if (!(first instanceof AttributeValue.L a) || !(second instanceof AttributeValue.L b)) {
                    throw DynamoException.validation(WRONG_TYPE);
                }
                List<AttributeValue> joined = new ArrayList<>(a.value().size() + b.value().size());
                joined.addAll(a.value());
                joined.addAll(b.value());
                yield new AttributeValue.L(joined);
            }
            case Operand.Arithmetic a -> {
                AttributeValue left = evaluate(a.left(), item);
                AttributeValue right = evaluate(a.right(), item);
                if (!(left instanceof AttributeValue.N l) || !(right instanceof AttributeValue.N r)) {
                    throw DynamoException.validation(WRONG_TYPE);
                }
                BigDecimal x = Values.number(l.value());
                BigDecimal y = Values.number(r.value());
                yield arithmetic(a.operator() == Operand.Operator.PLUS ? x.add(y) : x.subtract(y));
            }
            case Operand.Size s -> throw new IllegalStateException("size() is not an update operand");
        };
    }

    private static AttributeValue arithmetic(BigDecimal result) {
        return new AttributeValue.N(DynamoNumber.canonical(result.toPlainString()));
    }
}
