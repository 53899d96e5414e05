package dev.weir.policy.ast;

import java.util.List;
import java.util.Optional;

/**
 * {@code trigger on table TABLE clause*}: a data-lifecycle trigger (docs/triggers.md). A change
 * to the table's items, as the trigger's role sees it through its read view, calls an HTTP
 * function; the completion mark the worker then writes keeps one version of an item from
 * completing twice. A trigger with an {@code every "CRON"} source calls its function on a schedule
 * instead.
 *
 * @param id      from {@code @id("...")} (required: checkpoints and leases are stored under it),
 *                or {@code <file>:<line>} when missing (the checker refuses that)
 * @param clauses in source order; the order carries no meaning
 */
public record Trigger(RuleId id, TriggerSource source, List<TriggerClause> clauses, SourcePos pos) implements Declaration {
    public Trigger {
        clauses = List.copyOf(clauses);
    }

    /** The table of a stream trigger, or null for a schedule. */
    public Name table() {
        return source instanceof TriggerSource.Stream s ? s.table() : null;
    }

    /** The first clause of this kind, if any (the checker rejects a second one). */
    public <C extends TriggerClause> Optional<C> clause(Class<C> kind) {
        return clauses.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }
}
