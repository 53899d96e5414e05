package dev.weir.policy.predicate;

import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.ast.Strings;

import java.util.stream.Collectors;

/** A condition written back as canonical source text, with only the parentheses it needs. */
public final class ConditionText {
    private ConditionText() {}

    public static String of(Condition c) {
        return of(c, 0);
    }

    /** @param context 0 top, 1 inside or, 2 inside and, 3 inside not */
    private static String of(Condition c, int context) {
        return switch (c) {
            case Condition.Or o -> wrap(of(o.left(), 1) + " or " + of(o.right(), 1), context > 1);
            case Condition.And a -> wrap(of(a.left(), 2) + " and " + of(a.right(), 2), context > 2);
            case Condition.Not n -> "not " + of(n.inner(), 3);
            case Condition.Constant k -> String.valueOf(k.value());
            case Condition.Compare k -> of(k.left()) + " " + k.op().symbol() + " " + of(k.right());
            case Condition.In i -> of(i.value()) + " in " + of(i.set());
            case Condition.Between b -> of(b.value()) + " between " + of(b.low()) + " and " + of(b.high());
            case Condition.Call k -> k.function() + "(" + k.args().stream().map(ConditionText::of)
                    .collect(Collectors.joining(", ")) + ")";
        };
    }

    private static String wrap(String text, boolean parens) {
        return parens ? "(" + text + ")" : text;
    }

    public static String of(Operand o) {
        return switch (o) {
            case Operand.Str s -> Strings.quote(s.value());
            case Operand.Num n -> n.text();
            case Operand.Bool b -> String.valueOf(b.value());
            case Operand.Nul n -> "null";
            case Operand.Cidr c -> c.block().toString().contains(":") ? Strings.quote(c.block().toString()) : c.block().toString();
            case Operand.Size s -> "size(" + s.ref() + ")";
            case Operand.Ref r -> r.ref().toString();
        };
    }

    public static String of(SetExpr s) {
        return switch (s) {
            case SetExpr.Listed l -> "[" + l.elements().stream().map(ConditionText::of).collect(Collectors.joining(", ")) + "]";
            case SetExpr.TimeWindow w -> hhmm(w.from()) + ".." + hhmm(w.to()) + w.zone().map(z -> " " + Strings.quote(z)).orElse("");
            case SetExpr.OfReference r -> r.ref().toString();
            case SetExpr.Network n -> n.name().text();
        };
    }

    private static String hhmm(java.time.LocalTime t) {
        return t.equals(java.time.LocalTime.MAX) ? "24:00" : String.format("%02d:%02d", t.getHour(), t.getMinute());
    }
}
