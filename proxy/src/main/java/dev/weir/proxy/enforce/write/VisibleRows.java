package dev.weir.proxy.enforce.write;

import dev.weir.policy.predicate.Residual;
import dev.weir.policy.predicate.Unexpressible;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

/**
 * Conditions see only visible rows (docs/threat-model.md): a write or ConditionCheck that has a
 * condition of its own, or that reads the stored item (the right-hand side of a SET, an ADD or
 * DELETE, a path below which it writes), is evaluated by the store only on an item the
 * caller's view shows, or on no item. weir adds {@code attribute_not_exists(key) OR <view's
 * rows on the stored item>}: on a hidden item the condition fails (whether an item is stored
 * under a key the caller names is declassified), so the hidden item's values never decide it,
 * and an update that reads them never runs on it (the store tests the condition before it
 * applies the update, so a value computed from a hidden attribute never decides an error
 * either).
 *
 * <p>A condition that reads only the attributes of the {@code Key} the part names decides
 * nothing but that existence bit, so it needs no such condition; nor does a part whose view
 * shows every row.
 */
public final class VisibleRows {
    private VisibleRows() {}

    /** The condition the part needs ({@link Residual#TRUE}: none). */
    public static Residual of(Part part, ReadView view, Refusals refuse) {
        if (!view.isEmpty() && view.rows().isAll()) return Residual.TRUE;
        boolean reads = !FlowCheck.conditionReads(part).isEmpty();
        for (var u : FlowCheck.updates(part.expressions())) reads |= !FlowCheck.updateReads(u).isEmpty();
        if (!reads) return Residual.TRUE;
        return Absent.of(part).or(rows(view, refuse));
    }

    /** The view's rows on the stored item ({@link Residual#FALSE} for the empty view). */
    static Residual rows(ReadView view, Refusals refuse) {
        if (view.isEmpty()) return Residual.FALSE;
        try {
            return Residual.of(view.rows(), view.request());
        } catch (Unexpressible e) {
            throw refuse.cannotState(e.getMessage());
        }
    }
}
