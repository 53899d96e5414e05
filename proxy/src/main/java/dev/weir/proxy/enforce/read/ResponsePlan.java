package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.Operation;

import java.util.Map;

/**
 * What each member of a read's answer is, for a caller whose view is restricted: every member
 * the operation answers with is classified, and the answer shown to the caller is built from
 * the classified members only. There is no default that passes a member through: a member the
 * store sends that the plan does not name (a new field of a newer store, say) is
 * {@link Role#WITHHELD}.
 *
 * <ul>
 *   <li>GetItem: {@code Item} one item;</li>
 *   <li>Query, Scan: {@code Items}, {@code Count} and {@code ScannedCount},
 *       {@code LastEvaluatedKey} (weir builds this answer itself, {@link Page});</li>
 *   <li>BatchGetItem: {@code Responses} items by table, {@code UnprocessedKeys} keys by table
 *       (weir asks again for them until none remain, {@link BatchGetRounds});</li>
 *   <li>TransactGetItems: {@code Responses} one entry per requested item;</li>
 *   <li>each: {@code ConsumedCapacity} metadata ({@link Metadata}: withheld from a restricted view).</li>
 * </ul>
 */
public final class ResponsePlan {
    /** What a member of an answer is. */
    public enum Role {
        /** One item, shown through the view (a row it does not admit: the member is left out). */
        ITEM,
        /** A list of items, each shown through the view (rows it does not admit are left out). */
        ITEMS,
        /** Table name to a list of items, each table's through its view. */
        ITEMS_BY_TABLE,
        /** A list of entries each holding at most one {@code Item}, in the request's order (a hidden row: an empty entry). */
        ENTRIES,
        /** A key naming a position, a function of the items shown. */
        KEY,
        /** Table name to the keys (and read parameters) of reads left undone. */
        KEYS_BY_TABLE,
        /** A count of the items shown or evaluated. */
        COUNT,
        /** Capacity and collection figures ({@link Metadata}). */
        METADATA,
        /** Not shown. */
        WITHHELD
    }

    private static final Map<Operation, Map<String, Role>> PLANS = Map.of(
            Operation.GetItem, Map.of("Item", Role.ITEM, "ConsumedCapacity", Role.METADATA),
            Operation.Query, paged(),
            Operation.Scan, paged(),
            Operation.BatchGetItem, Map.of("Responses", Role.ITEMS_BY_TABLE, "UnprocessedKeys", Role.KEYS_BY_TABLE,
                    "ConsumedCapacity", Role.METADATA),
            Operation.TransactGetItems, Map.of("Responses", Role.ENTRIES, "ConsumedCapacity", Role.METADATA));

    private final Operation op;
    private final Map<String, Role> roles;

    private ResponsePlan(Operation op, Map<String, Role> roles) {
        this.op = op;
        this.roles = roles;
    }

    /**
     * The plan of a read's answer.
     *
     * @throws IllegalArgumentException for an operation that is not a read (GetItem, Query, Scan, BatchGetItem, TransactGetItems)
     */
    public static ResponsePlan of(Operation op) {
        Map<String, Role> roles = PLANS.get(op);
        if (roles == null) throw new IllegalArgumentException(op + " has no read response plan");
        return new ResponsePlan(op, roles);
    }

    /** The member's role; {@link Role#WITHHELD} for any member the plan does not name. */
    public Role role(String member) {
        return roles.getOrDefault(member, Role.WITHHELD);
    }

    /** The members the plan names, with their roles. */
    public Map<String, Role> members() {
        return roles;
    }

    public Operation operation() {
        return op;
    }

    private static Map<String, Role> paged() {
        return Map.of("Items", Role.ITEMS, "Count", Role.COUNT, "ScannedCount", Role.COUNT, "LastEvaluatedKey", Role.KEY,
                "ConsumedCapacity", Role.METADATA);
    }
}
