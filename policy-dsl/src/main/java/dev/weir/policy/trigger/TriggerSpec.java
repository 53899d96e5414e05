package dev.weir.policy.trigger;

import dev.weir.policy.ast.SourcePos;
import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.protocol.expr.Path;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled, checked trigger: what the lifecycle worker runs (docs/triggers.md). Immutable.
 *
 * @param id      the trigger's {@code @id}; leases, checkpoints and dead letters are stored under it
 * @param events  the changes, as the role sees them, that fire it
 * @param rows    judged on the new image as the role sees it (the old one for a REMOVE); {@link CompiledCondition#TRUE} when absent
 * @param changed fire only if one of these values differs between the images the role sees; empty: any change
 * @param role    the role whose read view cuts every record; the function never sees more
 * @param batch   records per call, 1..1000
 * @param retries failed calls of a record before it goes to the dead letters, 0..100
 * @param mark    the top-level attribute set to the record's sequence number once it has been handled
 * @param pos     where the trigger is written
 */
public record TriggerSpec(String id, String table, Set<ChangeEvent> events, CompiledCondition rows, List<Path> changed,
                          URI url, String role, int batch, int retries, Duration backoffLow, Duration backoffHigh,
                          String mark, SourcePos pos) {
    public static final int DEFAULT_BATCH = 1;
    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_BACKOFF_LOW = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_HIGH = Duration.ofSeconds(10);

    public TriggerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        events = Set.copyOf(events);
        Objects.requireNonNull(rows, "rows");
        changed = List.copyOf(changed);
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mark, "mark");
        if (batch < 1 || batch > 1000) throw new IllegalArgumentException("batch " + batch);
        if (retries < 0 || retries > 100) throw new IllegalArgumentException("retries " + retries);
    }

    /** The function's URL without its query string, as audit records name it (a query may carry a token). */
    public String functionForAudit() {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override public String toString() {
        return "trigger " + id + " on " + table + " as " + role + " → " + functionForAudit();
    }
}
