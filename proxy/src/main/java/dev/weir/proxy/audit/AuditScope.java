package dev.weir.proxy.audit;

import dev.weir.protocol.model.Operation;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which requests are audited. Everything is, except allowed requests that match one of the
 * configured {@link Skip} rules (for instance "allowed reads of table metrics"). A denial,
 * an unidentified caller, an invalid request or an error is always audited, whatever the
 * rules say: narrowing can only ever drop the record of something weir let through.
 */
public final class AuditScope {
    /** Audits every request. */
    public static final AuditScope ALL = new AuditScope(List.of());

    /**
     * Skips allowed requests on one of {@code tables} ({@code *}: any) whose operation is one of
     * {@code operations} or in one of {@code groups} (empty both: any operation).
     */
    public record Skip(Set<String> tables, Set<Operation> operations, Set<Operation.Group> groups) {
        public Skip {
            tables = Set.copyOf(tables);
            operations = Set.copyOf(operations);
            groups = Set.copyOf(groups);
        }

        boolean matches(Operation op, String table) {
            boolean anyOp = operations.isEmpty() && groups.isEmpty();
            boolean opMatches = anyOp || operations.contains(op) || groups.contains(op.group());
            return opMatches && (tables.contains("*") || table != null && tables.contains(table));
        }
    }

    private final List<Skip> skips;

    public AuditScope(List<Skip> skips) {
        this.skips = List.copyOf(skips);
    }

    /**
     * True if the request must be audited. Only an ALLOWED decision whose response was not
     * an error can be skipped, and a request on several tables (a batch or transaction) only
     * if every one of its tables is skipped.
     */
    public boolean audits(String decision, Operation op, Collection<String> tables, int status) {
        if (skips.isEmpty() || op == null || !"ALLOWED".equals(decision) || status >= 400) return true;
        if (tables.isEmpty()) tables = java.util.Collections.singletonList(null);
        for (String table : tables) {
            boolean skipped = false;
            for (Skip s : skips) {
                if (s.matches(op, table)) {
                    skipped = true;
                    break;
                }
            }
            if (!skipped) return true;
        }
        return false;
    }

    public boolean isAll() {
        return skips.isEmpty();
    }
}
