package dev.weir.policy.predicate;

import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

/**
 * What is left of a policy condition (a row filter or a write requirement) once one request
 * is known: always true, always false, or a condition on the stored item as a syntax tree for
 * the store ({@link ConditionExpr} of {@code Path} and value operands), to be joined to the
 * client's own expression as a node and written by
 * {@link dev.weir.protocol.expr.render.ExpressionWriter}.
 *
 * <h2>Exact</h2>
 * For every stored item, the store's evaluation of the residual
 * ({@code new ConditionEvaluator(tree).test(item)}) equals the policy's own
 * ({@link CompiledCondition#test}) on that item with the known new values put in. Where no
 * exact form exists, {@link Unexpressible} is thrown; nothing is ever approximated. As both
 * sides are two-valued, the negation of a residual is exact too ({@link #not()}).
 *
 * <p>The principal's attributes, name and roles and the request's context become literal
 * values; a test that reads no stored attribute is decided here. <em>Known</em> new values
 * (the item a PutItem writes; an UpdateItem's key and literal {@code SET}s) replace the stored
 * attributes of the same top-level name ({@code Optional.empty()}: known to be absent).
 * What has no exact form: {@code size()} of a stored attribute (what the size of a string is
 * differs between stores: characters, UTF-16 units, UTF-8 bytes), and a stored attribute as
 * the prefix or the substring of a request value ({@code begins_with(principal.path, item.x)},
 * {@code contains("abc", item.x)}), which DynamoDB only tests with the path first.
 *
 * <p>The tree obeys DynamoDB's rules for what it accepts: never the same path on both sides,
 * literal BETWEEN bounds of one type and in order, at most 100 operands per IN (longer lists
 * become several INs), the path first in {@code begins_with} and {@code contains}. It may be
 * long (one value per principal attribute value); the caller checks the written text against
 * DynamoDB's 4 KB expression limit.
 */
public sealed interface Residual {

    /** Decided without the stored item. */
    record Always(boolean value) implements Residual {}

    /** Decided by the store on the stored item. Placeholder names inside value operands mean nothing. */
    record Tree(ConditionExpr condition) implements Residual {}

    Residual TRUE = new Always(true);
    Residual FALSE = new Always(false);

    /**
     * A row filter ({@code (a1 or a2 ...) and not (d1 or d2 ...)}) for one request.
     *
     * @param known top-level attributes whose new value is known (empty: absent); the
     *              stored item is read for every other attribute
     * @throws Unexpressible when some part that decides has no exact store form
     */
    static Residual of(RowFilter filter, DecisionRequest request, Map<String, Optional<AttributeValue>> known) {
        if (filter.isAll()) return TRUE;
        PartialEvaluation p = new PartialEvaluation(request, known);
        Residual none = FALSE;
        Unexpressible denyUnknown = null;
        for (CompiledCondition d : filter.denies()) {
            try {
                none = none.or(p.of(d));
            } catch (Unexpressible e) {
                denyUnknown = e;
            }
            if (none.equals(TRUE)) return FALSE; // a deny holds whatever the stored item is
        }
        Residual any = FALSE;
        Unexpressible allowUnknown = null;
        for (CompiledCondition a : filter.allows()) {
            try {
                any = any.or(p.of(a));
            } catch (Unexpressible e) {
                allowUnknown = e;
            }
            if (any.equals(TRUE)) break;
        }
        if (any.equals(FALSE) && allowUnknown == null) return FALSE; // no allow can hold
        if (allowUnknown != null && !any.equals(TRUE)) throw allowUnknown;
        if (denyUnknown != null) throw denyUnknown;
        return any.and(none.not());
    }

    /** A row filter for one request, every attribute read from the stored item. */
    static Residual of(RowFilter filter, DecisionRequest request) {
        return of(filter, request, Map.of());
    }

    /** One compiled condition (it must carry its {@link CompiledCondition#origin()}, as compiled ones do). */
    static Residual of(CompiledCondition condition, DecisionRequest request, Map<String, Optional<AttributeValue>> known) {
        return new PartialEvaluation(request, known).of(condition);
    }

    /** Both; folds constants. */
    default Residual and(Residual other) {
        if (this instanceof Always a) return a.value() ? other : this;
        if (other instanceof Always b) return b.value() ? this : other;
        return new Tree(new ConditionExpr.And(((Tree) this).condition(), ((Tree) other).condition()));
    }

    /** Either; folds constants. */
    default Residual or(Residual other) {
        if (this instanceof Always a) return a.value() ? this : other;
        if (other instanceof Always b) return b.value() ? other : this;
        return new Tree(new ConditionExpr.Or(((Tree) this).condition(), ((Tree) other).condition()));
    }

    /** The negation (exact, since both the policy and the store are two-valued). */
    default Residual not() {
        return switch (this) {
            case Always a -> new Always(!a.value());
            case Tree t when t.condition() instanceof ConditionExpr.Not n -> new Tree(n.condition());
            case Tree t -> new Tree(new ConditionExpr.Not(t.condition()));
        };
    }

    /** The store's verdict on a stored item (null or empty: no item). */
    default boolean test(Map<String, AttributeValue> item) {
        return switch (this) {
            case Always a -> a.value();
            case Tree t -> new ConditionEvaluator(t.condition()).test(item);
        };
    }
}
