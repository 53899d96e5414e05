package dev.weir.policy.trigger;

import dev.weir.policy.ast.SourcePos;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A compiled, checked scheduled trigger ({@code trigger every "CRON" call ... as role R}): the
 * lifecycle worker calls the function once per due minute, whichever instance claims that
 * minute first (docs/triggers.md, "Schedules").
 *
 * @param id      the trigger's {@code @id}; claims and dead letters are stored under it
 * @param cron    when it fires, in UTC
 * @param role    the role it runs as (its calls are audited under it; the payload holds no data)
 * @param retries failed calls of a minute before it goes to the dead letters, 0..100
 */
public record ScheduleSpec(String id, Cron cron, URI url, String role, int retries, Duration backoffLow,
                           Duration backoffHigh, SourcePos pos) {
    public ScheduleSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(role, "role");
        if (retries < 0 || retries > 100) throw new IllegalArgumentException("retries " + retries);
    }

    /** The function's URL without its query string, as audit records name it. */
    public String functionForAudit() {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override public String toString() {
        return "trigger " + id + " every \"" + cron + "\" as " + role + " → " + functionForAudit();
    }
}
