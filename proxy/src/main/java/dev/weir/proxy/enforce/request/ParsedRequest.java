package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request as weir understands it, before anything is decided: its operation, its tables
 * made canonical, every expression parsed ({@link Part#expressions()}), and the body as the
 * client sent it. Immutable by contract: nothing changes {@link #body()} (a rewritten request
 * is built anew from the plan).
 *
 * @param table       the table a single-table request names (canonical), or null: none, or a batch or transaction
 * @param parts       one per part of a batch or transaction; one standing for the whole request otherwise
 * @param namesAsSent for each table the client named by its ARN, canonical name → the ARN as sent (empty: none)
 */
public record ParsedRequest(Operation operation, String table, ObjectNode body, List<Part> parts,
                            Map<String, String> namesAsSent) {
    /** The operations whose parts are decided one by one, per table. */
    public static final Set<Operation> MULTI_PART = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            Operation.BatchGetItem, Operation.BatchWriteItem, Operation.TransactGetItems, Operation.TransactWriteItems));

    public ParsedRequest {
        parts = List.copyOf(parts);
        namesAsSent = Map.copyOf(namesAsSent);
    }

    /** The table name policies match against; operations on no table match only {@code *}. */
    public String policyTable() {
        return table == null ? "*" : table;
    }

    public boolean isMultiPart() {
        return MULTI_PART.contains(operation);
    }

    /** The request itself as its one part (single-table and table-less requests). */
    public Part single() {
        if (isMultiPart()) throw new IllegalStateException(operation + " has several parts");
        return parts.getFirst();
    }

    /** The tables the request names, canonical, each once, in the order named. */
    public List<String> tables() {
        if (!isMultiPart()) return table == null ? List.of() : List.of(table);
        Set<String> out = new LinkedHashSet<>();
        for (Part p : parts) out.add(p.table());
        return new ArrayList<>(out);
    }

    /** The secondary index a Query or Scan reads, or null. */
    public String indexName() {
        return isMultiPart() ? null : parts.getFirst().text("IndexName");
    }
}
