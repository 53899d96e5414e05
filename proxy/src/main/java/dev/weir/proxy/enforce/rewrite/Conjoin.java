package dev.weir.proxy.enforce.rewrite;

import dev.weir.policy.predicate.Residual;
import dev.weir.protocol.expr.ast.ConditionExpr;

/**
 * The client's condition and weir's, joined as a tree: {@code And(client, policy)}. The
 * client's expression was parsed by the store's own grammar, so whatever its text (an
 * {@code or} glued to a placeholder, unbalanced-looking parentheses), it is one node here, and
 * nothing in it can reach into weir's part; the rendered text is read back by the store as
 * exactly this tree ({@link Render}).
 */
public final class Conjoin {
    private Conjoin() {}

    /** {@code And(client, added)}; either may be null (nothing), the result is null when both are. */
    public static ConditionExpr and(ConditionExpr client, ConditionExpr added) {
        if (client == null) return added;
        if (added == null) return client;
        return new ConditionExpr.And(client, added);
    }

    /** A residual as the tree weir adds: null for {@link Residual#TRUE} (nothing to add). */
    public static ConditionExpr added(Residual residual) {
        return switch (residual) {
            case Residual.Tree t -> t.condition();
            case Residual.Always a when a.value() -> null;
            case Residual.Always a -> throw new IllegalArgumentException("a condition that never holds is refused, not added");
        };
    }
}
