package dev.weir.proxy.enforce.write;

import dev.weir.policy.predicate.Residual;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.List;
import java.util.Set;

/**
 * Moving rows (docs/threat-model.md): an update that changes a <em>row-deciding</em> path (one
 * that some read rule's {@code rows where} reads, {@link dev.weir.policy.decision.PolicyFacts#rowDecidingPaths})
 * changes who may read the item's other, untouched attributes, so it is a flow of the whole
 * item. weir lets it happen only when nothing moves, and says so as a condition on the stored
 * item, OR-ed with "no item is stored" (a new item moves nothing):
 *
 * <p>For an action writing path {@code p} and a row-deciding path {@code q}:
 * <ul>
 *   <li>neither a prefix of the other: nothing moves;</li>
 *   <li>{@code p} a prefix of (or equal to) {@code q}, the action {@code SET p = :literal}:
 *       {@code q = <the literal's value at q>}, or {@code attribute_not_exists(q)} when the
 *       literal has nothing there, tested only on an item the caller's view shows and only
 *       when the view shows {@code q} in clear (so the test tells the caller nothing it could
 *       not read; a hidden row, or a row-deciding value seen masked or not at all, is never
 *       compared with the caller's literal);</li>
 *   <li>{@code p} a prefix of (or equal to) {@code q}, the action {@code REMOVE p}:
 *       {@code attribute_not_exists(q)}, on the same terms;</li>
 *   <li>anything else (a computed value, ADD or DELETE, {@code q} a strict prefix of {@code p},
 *       an element of a list, whose neighbours shift when it is removed or appended): only a
 *       caller whose view shows every field in clear may do it, and only on an item its view
 *       shows ({@code <view's rows on the stored item>}); anyone else is refused (FORBIDDEN).</li>
 * </ul>
 * A caller that does not read every such {@code q} in clear may therefore change a
 * row-deciding path only on a new item. A caller whose view shows every field in clear may
 * also move an item its view shows
 * whatever it writes (it could read and copy all of it anyway). PutItem replaces the whole item
 * with the caller's own values and moves nothing (its write scope still decides whether it may
 * replace); a delete moves nothing.
 */
public final class RowMoves {
    private RowMoves() {}

    /**
     * The condition an update part needs ({@link Residual#TRUE}: it writes no row-deciding path).
     *
     * @param rowDeciding the table's row-deciding paths; null when they are not known (every path may decide)
     */
    public static Residual of(Part part, Set<Path> rowDeciding, ReadView view, Refusals refuse) {
        if (part.acts() != Operation.UpdateItem) return Residual.TRUE;
        boolean full = !view.isEmpty() && view.fields().isIdentity();
        Residual unchanged = Residual.TRUE;
        boolean unchangedInClear = true;
        Path needsFull = null;
        for (Update u : FlowCheck.updates(part.expressions())) {
            for (UpdateAction a : u.expression().actions()) {
                Path p = a.path();
                // an index as the last step shifts (REMOVE) or appends past (SET) the list's other elements
                boolean element = p.last() instanceof PathElement.Index;
                Path moved = element ? p.parent() : p;
                if (rowDeciding == null) {
                    needsFull = needsFull == null ? p : needsFull;
                    continue;
                }
                for (Path q : rowDeciding) {
                    if (!q.startsWith(moved) && !moved.startsWith(q)) continue;
                    Residual atom = !element && q.startsWith(p) ? unchangedBy(a, q) : null;
                    if (atom == null) needsFull = needsFull == null ? q : needsFull;
                    else {
                        unchanged = unchanged.and(atom);
                        unchangedInClear &= !view.isEmpty() && view.canReadInClear(q);
                    }
                }
            }
        }
        if (needsFull != null && !full) {
            throw refuse.forbidden("it changes '" + needsFull + "', which decides who may read the item");
        }
        if (needsFull == null && unchanged.equals(Residual.TRUE)) return Residual.TRUE;
        // "already holds what the update writes" is tested only where it reveals nothing: on a
        // row the view shows, of values the view shows in clear (never a bit of a hidden value)
        Residual seen = full || unchangedInClear ? VisibleRows.rows(view, refuse) : Residual.FALSE;
        Residual stays = full ? seen
                : needsFull == null && unchangedInClear ? unchanged.and(seen)
                : Residual.FALSE;
        if (stays.equals(Residual.TRUE)) return Residual.TRUE;
        return Absent.of(part).or(stays);
    }

    /** The condition under which action {@code a}, writing a prefix of {@code q}, leaves {@code q} as it is; null when none is known. */
    private static Residual unchangedBy(UpdateAction a, Path q) {
        return switch (a) {
            case UpdateAction.Set set when set.value() instanceof Operand.ValueOperand v -> {
                AttributeValue at = valueAt(v.value(), q.elements().subList(a.path().size(), q.size()));
                yield new Residual.Tree(at == null ? new ConditionExpr.AttributeNotExists(q)
                        : new ConditionExpr.Compare(Comparator.EQ, new Operand.PathOperand(q), new Operand.ValueOperand(":v", at)));
            }
            case UpdateAction.Remove r -> new Residual.Tree(new ConditionExpr.AttributeNotExists(q));
            default -> null;
        };
    }

    /** The part of {@code value} at the relative path {@code rest}, or null when it has nothing there. */
    private static AttributeValue valueAt(AttributeValue value, List<PathElement> rest) {
        AttributeValue v = value;
        for (PathElement e : rest) {
            v = switch (e) {
                case PathElement.Name n -> v instanceof AttributeValue.M m ? m.value().get(n.name()) : null;
                case PathElement.Index i -> v instanceof AttributeValue.L l && i.index() < l.value().size() ? l.value().get(i.index()) : null;
            };
            if (v == null) return null;
        }
        return v;
    }
}
