package dev.weir.policy.trigger;

import dev.weir.policy.ast.SourcePos;
import dev.weir.protocol.model.Operation;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled, checked API-call trigger ({@code trigger on request op [..] on table T call ... as
 * role R}): after weir permitted and forwarded such a request (whatever the store answered), the
 * lifecycle queue calls the function once with every key the request names in the table, as role
 * R reads them (docs/triggers.md, "API-call triggers").
 *
 * @param table      canonical table name
 * @param operations the requests' own operations (a batch or transaction by its name, not its parts')
 * @param role       whose read view ({@code GetItem}) cuts the key in the payload
 */
public record RequestTriggerSpec(String id, String table, Set<Operation> operations, URI url, String role, int retries,
                                 Duration backoffLow, Duration backoffHigh, SourcePos pos) {
    public RequestTriggerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        operations = Set.copyOf(operations);
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(role, "role");
        if (retries < 0 || retries > 100) throw new IllegalArgumentException("retries " + retries);
    }

    /** Whether a permitted request of this operation naming this table fires the trigger. */
    public boolean matches(String requestTable, Operation operation) {
        return table.equals(requestTable) && operations.contains(operation);
    }

    /** The function's URL without its query string, as audit records name it. */
    public String functionForAudit() {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override public String toString() {
        return "trigger " + id + " on request " + operations + " on table " + table + " as " + role + " → " + functionForAudit();
    }
}
