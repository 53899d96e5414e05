package dev.weir.proxy.metrics;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.policy.PolicySnapshot;

import java.util.List;

/**
 * The label values of request metrics, each from a set the operator bounds, never from what a
 * client chose: a caller can send any table name or {@code X-Amz-Target}, and a label value made
 * from it would let any caller grow the scrape without limit (and write its own text into the
 * operator's dashboards). A table is named only when the policy in force names it; an operation
 * only when it is one of the DynamoDB operations weir knows.
 */
public final class MetricLabels {
    /** A table the policy does not name. */
    public static final String OTHER_TABLE = "other";
    /** A request that names no table (ListTables, or one refused before its body was read). */
    public static final String NO_TABLE = "none";
    /** A request that names several tables (a batch or transaction across tables). */
    public static final String SEVERAL_TABLES = "multiple";
    /** A request whose operation weir does not know, or that names none. */
    public static final String UNKNOWN_OPERATION = "unknown";

    private MetricLabels() {}

    /** The operation's name, one of {@link Operation}'s, or {@link #UNKNOWN_OPERATION}. */
    public static String operation(Operation op) {
        return op == null ? UNKNOWN_OPERATION : op.name();
    }

    /**
     * The table label of a request naming {@code tables}: the one table when the policy names it,
     * else {@link #OTHER_TABLE}; {@link #NO_TABLE} or {@link #SEVERAL_TABLES} otherwise. A policy
     * with a wildcard rule still names only its literal tables: the others are {@code other}.
     */
    public static String table(PolicySnapshot policy, List<String> tables) {
        if (tables.isEmpty()) return NO_TABLE;
        if (tables.size() > 1) return SEVERAL_TABLES;
        String t = tables.getFirst();
        return policy != null && policy.loaded() && policy.table().tables().contains(t) ? t : OTHER_TABLE;
    }
}
