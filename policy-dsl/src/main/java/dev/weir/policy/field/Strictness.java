package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;

/**
 * Which of two field actions wins: remove &gt; null &gt; hash/constant &gt; partial mask &gt; show.
 * Ties are broken so the result never depends on rule or file order:
 * <ul>
 *   <li>constant beats hash (a constant reveals nothing, a hash reveals equality);
 *       of two constants the alphabetically smaller text wins;</li>
 *   <li>of two partial masks the one revealing fewer characters wins; at equal counts
 *       {@code show_last} beats {@code show_first}.</li>
 * </ul>
 */
public final class Strictness {
    private Strictness() {}

    /** The stricter of two actions; null stands for "no action" (show). */
    public static FieldAction stricter(FieldAction a, FieldAction b) {
        if (a == null) return b;
        if (b == null) return a;
        if (a.strictness() != b.strictness()) return a.strictness() > b.strictness() ? a : b;
        return switch (a) {
            case FieldAction.Constant ca -> b instanceof FieldAction.Constant cb && cb.text().compareTo(ca.text()) < 0 ? b : a;
            case FieldAction.Hash h -> b instanceof FieldAction.Constant ? b : a;
            case FieldAction.MaskShowFirst f -> revealed(b) <= f.n() ? b : a;
            case FieldAction.MaskShowLast l -> revealed(b) < l.n() ? b : a;
            default -> a;
        };
    }

    /** Whether the action leaves the value as stored. */
    public static boolean isShow(FieldAction a) {
        return a == null || a instanceof FieldAction.Show;
    }

    private static int revealed(FieldAction partial) {
        return switch (partial) {
            case FieldAction.MaskShowFirst f -> f.n();
            case FieldAction.MaskShowLast l -> l.n();
            default -> Integer.MAX_VALUE;
        };
    }
}
