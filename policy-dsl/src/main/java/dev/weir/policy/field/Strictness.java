package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;

/**
 * Which of two field actions wins: remove &gt; null &gt; hash / hmac / unkeyed_sha256 / constant
 * &gt; partial mask (show_first, show_last, pattern, round, bucket) &gt; show. Within a level
 * the order is total, so the result never depends on rule or file order:
 * <ul>
 *   <li>level 2: constant beats hmac beats hash beats unkeyed_sha256 (a constant reveals
 *       nothing; hmac and hash reveal equality, each under a key; an unkeyed digest reveals
 *       equality and yields to a dictionary); a numeric constant beats a text one; of two
 *       constants the smaller wins, of two hmacs the alphabetically first key;</li>
 *   <li>level 1: bucket beats round beats the text masks; a wider bucket or step beats a
 *       narrower one; of show_first / show_last the one revealing fewer characters wins, at
 *       equal counts show_last; show_first / show_last beat pattern; of two patterns the
 *       alphabetically first (regex, then replacement).</li>
 * </ul>
 * Conflicting masks of one level on one path are reported by the checker.
 */
public final class Strictness {
    private Strictness() {}

    /** The stricter of two actions; null stands for "no action" (show). */
    public static FieldAction stricter(FieldAction a, FieldAction b) {
        if (a == null) return b;
        if (b == null) return a;
        return compare(a, b) >= 0 ? a : b;
    }

    /** Positive when {@code a} is stricter, negative when {@code b} is, 0 only when equal. */
    public static int compare(FieldAction a, FieldAction b) {
        int c = Integer.compare(a.strictness(), b.strictness());
        if (c != 0) return c;
        c = Integer.compare(rank(a), rank(b));
        if (c != 0) return c;
        return switch (a) {
            case FieldAction.Constant x -> ((FieldAction.Constant) b).text().compareTo(x.text());
            case FieldAction.ConstantNumber x -> ((FieldAction.ConstantNumber) b).value().compareTo(x.value());
            case FieldAction.Hmac x -> ((FieldAction.Hmac) b).key().compareTo(x.key());
            case FieldAction.Bucket x -> x.width().compareTo(((FieldAction.Bucket) b).width());
            case FieldAction.Round x -> x.step().compareTo(((FieldAction.Round) b).step());
            case FieldAction.MaskShowFirst x -> partial(x, b);
            case FieldAction.MaskShowLast x -> partial(x, b);
            case FieldAction.Pattern x -> {
                FieldAction.Pattern y = (FieldAction.Pattern) b;
                int r = y.regex().compareTo(x.regex());
                yield r != 0 ? r : y.replacement().compareTo(x.replacement());
            }
            default -> 0;
        };
    }

    /** Fewer revealed characters is stricter; at equal counts show_last beats show_first. */
    private static int partial(FieldAction a, FieldAction b) {
        int c = Integer.compare(revealed(b), revealed(a));
        if (c != 0) return c;
        return Integer.compare(a instanceof FieldAction.MaskShowLast ? 1 : 0, b instanceof FieldAction.MaskShowLast ? 1 : 0);
    }

    private static int rank(FieldAction a) {
        return switch (a) {
            case FieldAction.UnkeyedSha256 u -> 0;
            case FieldAction.Hash h -> 1;
            case FieldAction.Hmac h -> 2;
            case FieldAction.Constant k -> 3;
            case FieldAction.ConstantNumber k -> 4;
            case FieldAction.Pattern p -> 0;
            case FieldAction.MaskShowFirst f -> 1;
            case FieldAction.MaskShowLast l -> 1;
            case FieldAction.Round r -> 2;
            case FieldAction.Bucket b -> 3;
            default -> 0;
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
