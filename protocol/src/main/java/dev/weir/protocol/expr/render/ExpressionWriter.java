package dev.weir.protocol.expr.render;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Syntax trees to expression text: the only way weir makes the text of an expression it
 * sends, so that no client text is ever spliced into (or out of) one. A client's expression
 * is parsed into a tree, the policy's part joins it as a node, and the result is written here.
 *
 * <p>The text is canonical and is read back by the store's own grammar as exactly the tree
 * written:
 * <ul>
 *   <li>every attribute name goes through a name placeholder ({@code #n0}, {@code #n1}, ...;
 *       list indexes are written as they are), every value through a value placeholder
 *       ({@code :v0}, ...), so no name or value is ever part of the syntax;</li>
 *   <li>parentheses only where the grammar's precedence needs them (OR below AND below NOT
 *       below a predicate). And and Or nested to the left print flat ({@code a AND b AND c}
 *       is the left-nested tree the parser builds); a right child of the same operator is
 *       parenthesised, so parsing gives back the same shape;</li>
 *   <li>never two opening parentheses in a row: the store and DynamoDB refuse {@code ((} as
 *       "redundant parentheses", so a group that starts with a group is written {@code ( (};</li>
 *   <li>keywords in capitals, functions as DynamoDB spells them ({@code attribute_exists},
 *       {@code size}, {@code if_not_exists}, {@code list_append}, ...).</li>
 * </ul>
 *
 * <p>One writer per request: all expressions of a request (condition, update, projection,
 * key condition, filter) share one namespace, and {@link #names()} and {@link #values()}
 * hold exactly the placeholders the texts written so far use (DynamoDB refuses unused ones;
 * it also refuses empty maps, so a caller sends a map only when it is not empty). A name or
 * a value used twice gets one placeholder. A tree that no text can express (an update
 * operand in a condition, arithmetic inside a function, an empty update or projection)
 * throws {@link IllegalArgumentException} and leaves the writer as it was. Not thread-safe.
 */
public final class ExpressionWriter {
    private static final int OR = 0;
    private static final int AND = 1;
    private static final int NOT = 2;
    private static final int PREDICATE = 3;

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> nameRefs = new HashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private final Map<AttributeValue, String> valueRefs = new HashMap<>();

    /** A ConditionExpression, KeyConditionExpression or FilterExpression. */
    public String condition(ConditionExpr condition) {
        return guarded(out -> condition(condition, out));
    }

    /**
     * An UpdateExpression: each section ({@code SET}, {@code REMOVE}, {@code ADD},
     * {@code DELETE}) once, in that order, with its actions in their order in the tree.
     * Regrouping actions of interleaved sections does not change the update: every right-hand
     * side is evaluated on the item as it was before the update, list indexes refer to the
     * list as it was, and the paths of one update never overlap (see
     * {@link dev.weir.protocol.expr.eval.UpdateApplier}), so the actions commute. Only which
     * error a doubly-broken update reports first can depend on the order.
     */
    public String update(UpdateExpr update) {
        if (update.actions().isEmpty()) throw new IllegalArgumentException("an update expression needs an action");
        return guarded(out -> {
            section(out, "SET", update, UpdateAction.Set.class);
            section(out, "REMOVE", update, UpdateAction.Remove.class);
            section(out, "ADD", update, UpdateAction.Add.class);
            section(out, "DELETE", update, UpdateAction.Delete.class);
        });
    }

    /** A ProjectionExpression: the paths in their order. */
    public String projection(List<Path> paths) {
        if (paths.isEmpty()) throw new IllegalArgumentException("a projection expression needs a path");
        return guarded(out -> {
            for (int i = 0; i < paths.size(); i++) {
                if (i > 0) out.append(", ");
                path(paths.get(i), out);
            }
        });
    }

    /** Name placeholder ({@code #n0}) → attribute name, for ExpressionAttributeNames. */
    public Map<String, String> names() {
        return Collections.unmodifiableMap(names);
    }

    /** Value placeholder ({@code :v0}) → value, for ExpressionAttributeValues. */
    public Map<String, AttributeValue> values() {
        return Collections.unmodifiableMap(values);
    }

    // ------------------------------------------------------------------------------ conditions

    private void condition(ConditionExpr c, StringBuilder out) {
        switch (c) {
            case ConditionExpr.Or o -> {
                condition(o.left(), OR, out);
                out.append(" OR ");
                condition(o.right(), AND, out);
            }
            case ConditionExpr.And a -> {
                condition(a.left(), AND, out);
                out.append(" AND ");
                condition(a.right(), NOT, out);
            }
            case ConditionExpr.Not n -> {
                out.append("NOT ");
                condition(n.condition(), NOT, out);
            }
            case ConditionExpr.Compare cmp -> {
                operand(cmp.left(), out);
                out.append(' ').append(cmp.comparator().symbol()).append(' ');
                operand(cmp.right(), out);
            }
            case ConditionExpr.Between b -> {
                operand(b.operand(), out);
                out.append(" BETWEEN ");
                operand(b.low(), out);
                out.append(" AND ");
                operand(b.high(), out);
            }
            case ConditionExpr.In in -> {
                if (in.candidates().isEmpty()) throw new IllegalArgumentException("IN needs at least one candidate");
                operand(in.operand(), out);
                out.append(" IN (");
                for (int i = 0; i < in.candidates().size(); i++) {
                    if (i > 0) out.append(", ");
                    operand(in.candidates().get(i), out);
                }
                out.append(')');
            }
            case ConditionExpr.AttributeExists e -> {
                out.append("attribute_exists(");
                path(e.path(), out);
                out.append(')');
            }
            case ConditionExpr.AttributeNotExists e -> {
                out.append("attribute_not_exists(");
                path(e.path(), out);
                out.append(')');
            }
            case ConditionExpr.AttributeType t -> {
                out.append("attribute_type(");
                path(t.path(), out);
                out.append(", ");
                operand(t.type(), out);
                out.append(')');
            }
            case ConditionExpr.BeginsWith b -> function("begins_with", b.operand(), b.prefix(), out);
            case ConditionExpr.Contains ct -> function("contains", ct.operand(), ct.element(), out);
        }
    }

    /** Writes {@code c} where the context binds at least as tightly as {@code level}, in parentheses if it binds looser. */
    private void condition(ConditionExpr c, int level, StringBuilder out) {
        if (level(c) >= level) {
            condition(c, out);
            return;
        }
        StringBuilder inner = new StringBuilder();
        condition(c, inner);
        out.append(inner.charAt(0) == '(' ? "( " : "(").append(inner).append(')');
    }

    private static int level(ConditionExpr c) {
        return switch (c) {
            case ConditionExpr.Or o -> OR;
            case ConditionExpr.And a -> AND;
            case ConditionExpr.Not n -> NOT;
            default -> PREDICATE;
        };
    }

    private void function(String name, Operand first, Operand second, StringBuilder out) {
        out.append(name).append('(');
        operand(first, out);
        out.append(", ");
        operand(second, out);
        out.append(')');
    }

    /** A condition operand: a path, a value or {@code size()}. */
    private void operand(Operand operand, StringBuilder out) {
        switch (operand) {
            case Operand.PathOperand p -> path(p.path(), out);
            case Operand.ValueOperand v -> value(v.value(), out);
            case Operand.Size s -> {
                out.append("size(");
                operand(s.operand(), out);
                out.append(')');
            }
            default -> throw new IllegalArgumentException("not a condition operand: " + operand.getClass().getSimpleName());
        }
    }

    // ------------------------------------------------------------------------------ updates

    private void section(StringBuilder out, String keyword, UpdateExpr update, Class<? extends UpdateAction> kind) {
        boolean first = true;
        for (UpdateAction action : update.actions()) {
            if (!kind.isInstance(action)) continue;
            if (first) {
                if (!out.isEmpty()) out.append(' ');
                out.append(keyword).append(' ');
                first = false;
            } else {
                out.append(", ");
            }
            path(action.path(), out);
            switch (action) {
                case UpdateAction.Set set -> {
                    out.append(" = ");
                    if (set.value() instanceof Operand.Arithmetic a) {
                        setOperand(a.left(), out);
                        out.append(' ').append(a.operator().symbol()).append(' ');
                        setOperand(a.right(), out);
                    } else {
                        setOperand(set.value(), out);
                    }
                }
                case UpdateAction.Remove remove -> { }
                case UpdateAction.Add add -> value(add.value().value(), out.append(' '));
                case UpdateAction.Delete delete -> value(delete.value().value(), out.append(' '));
            }
        }
    }

    /** A SET operand below the top: a path, a value, {@code if_not_exists} or {@code list_append}. */
    private void setOperand(Operand operand, StringBuilder out) {
        switch (operand) {
            case Operand.PathOperand p -> path(p.path(), out);
            case Operand.ValueOperand v -> value(v.value(), out);
            case Operand.IfNotExists f -> {
                out.append("if_not_exists(");
                path(f.path(), out);
                out.append(", ");
                setOperand(f.fallback(), out);
                out.append(')');
            }
            case Operand.ListAppend l -> {
                out.append("list_append(");
                setOperand(l.first(), out);
                out.append(", ");
                setOperand(l.second(), out);
                out.append(')');
            }
            case Operand.Arithmetic a -> throw new IllegalArgumentException("arithmetic is only allowed at the top of a SET value");
            case Operand.Size s -> throw new IllegalArgumentException("size() is not an update operand");
        }
    }

    // ------------------------------------------------------------------------------ placeholders

    private void path(Path path, StringBuilder out) {
        boolean first = true;
        for (PathElement e : path.elements()) {
            switch (e) {
                case PathElement.Name n -> {
                    if (!first) out.append('.');
                    out.append(nameRefs.computeIfAbsent(n.name(), name -> {
                        String ref = "#n" + names.size();
                        names.put(ref, name);
                        return ref;
                    }));
                }
                case PathElement.Index i -> out.append('[').append(i.index()).append(']');
            }
            first = false;
        }
    }

    private void value(AttributeValue value, StringBuilder out) {
        out.append(valueRefs.computeIfAbsent(value, v -> {
            String ref = ":v" + values.size();
            values.put(ref, v);
            return ref;
        }));
    }

    /** Runs one rendering; if it fails, forgets the placeholders it added. */
    private String guarded(java.util.function.Consumer<StringBuilder> render) {
        int namesBefore = names.size();
        int valuesBefore = values.size();
        StringBuilder out = new StringBuilder();
        try {
            render.accept(out);
            return out.toString();
        } catch (RuntimeException e) {
            forget(names, nameRefs, namesBefore);
            forget(values, valueRefs, valuesBefore);
            throw e;
        }
    }

    private static <T> void forget(Map<String, T> byRef, Map<T, String> refs, int keep) {
        List<String> added = new ArrayList<>(byRef.keySet()).subList(keep, byRef.size());
        for (String ref : List.copyOf(added)) refs.remove(byRef.remove(ref));
    }
}
