package dev.weir.policy.decision;

import java.util.Set;

/**
 * weir's own tables in the upstream: the trigger worker's leases and checkpoints, and its dead
 * letters (records as a trigger's role saw them, which is not every caller's view). An
 * {@code allow ... on table *} does not reach them: only a rule that names one does, so a
 * policy written before triggers existed (or one that grants {@code *} for convenience) does not
 * hand them out. A {@code deny ... on table *} still applies to them: denies only take away.
 */
public final class ReservedTables {
    public static final String LIFECYCLE = "weir_lifecycle";
    public static final String DEAD_LETTERS = "weir_dead_letters";
    public static final Set<String> NAMES = Set.of(LIFECYCLE, DEAD_LETTERS);

    private ReservedTables() {}

    public static boolean reserved(String table) {
        return NAMES.contains(table);
    }
}
