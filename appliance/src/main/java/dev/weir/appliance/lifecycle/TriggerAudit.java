package dev.weir.appliance.lifecycle;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.request.RequestTriggerListener;
import dev.weir.lifecycle.schedule.ScheduleListener;
import dev.weir.policy.trigger.RequestTriggerSpec;
import dev.weir.lifecycle.worker.LifecycleListener;
import dev.weir.policy.trigger.ScheduleSpec;
import dev.weir.policy.trigger.TriggerSpec;

import java.util.List;

/**
 * The audit records of the trigger worker (docs/triggers.md, "Audit"): {@code weir:TriggerCall}
 * for every call (the trigger as rule id, its role, the function's URL without its query
 * string, the event ids, the outcome, status, latency and attempt), {@code weir:TriggerDeadLetter}
 * for every record given up, and {@code weir:TriggerProblem} when a trigger cannot run. They
 * name event ids, never a record's values, and never the signing secret.
 */
public final class TriggerAudit implements LifecycleListener, ScheduleListener, RequestTriggerListener {
    public static final String CALL = "weir:TriggerCall";
    public static final String DEAD_LETTER = "weir:TriggerDeadLetter";
    public static final String PROBLEM = "weir:TriggerProblem";

    private final AuditPipeline audit;

    public TriggerAudit(AuditPipeline audit) {
        this.audit = audit;
    }

    @Override public void called(TriggerSpec t, List<String> eventIds, CallResult r, int attempt) {
        audit.publish(base(t, CALL).decision(r.ok() ? "SUCCEEDED" : "FAILED").status(r.status())
                .errorType(r.ok() ? null : "TriggerCallFailed").latencyMicros(r.latency().toNanos() / 1000)
                .note("function=" + t.functionForAudit() + "; attempt=" + attempt + "; events=" + String.join(",", eventIds)
                        + (r.ok() ? "" : "; error=" + r.error()))
                .build());
    }

    @Override public void deadLettered(TriggerSpec t, String eventId, String error, int attempts) {
        audit.publish(base(t, DEAD_LETTER).decision("DEAD_LETTER").errorType("TriggerDeadLetter")
                .note("function=" + t.functionForAudit() + "; event=" + eventId + "; attempts=" + attempts + "; error=" + error)
                .build());
    }

    @Override public void problem(TriggerSpec t, String reason) {
        audit.publish(base(t, PROBLEM).decision("WAITING").errorType("TriggerProblem").note(reason).build());
    }

    @Override public void called(ScheduleSpec s, String eventId, CallResult r, int attempt) {
        audit.publish(base(s, CALL).decision(r.ok() ? "SUCCEEDED" : "FAILED").status(r.status())
                .errorType(r.ok() ? null : "TriggerCallFailed").latencyMicros(r.latency().toNanos() / 1000)
                .note("function=" + s.functionForAudit() + "; attempt=" + attempt + "; events=" + eventId
                        + (r.ok() ? "" : "; error=" + r.error()))
                .build());
    }

    @Override public void deadLettered(ScheduleSpec s, String eventId, String error, int attempts) {
        audit.publish(base(s, DEAD_LETTER).decision("DEAD_LETTER").errorType("TriggerDeadLetter")
                .note("function=" + s.functionForAudit() + "; event=" + eventId + "; attempts=" + attempts + "; error=" + error)
                .build());
    }

    @Override public void called(RequestTriggerSpec t, String eventId, CallResult r, int attempt) {
        audit.publish(base(t, CALL).decision(r.ok() ? "SUCCEEDED" : "FAILED").status(r.status())
                .errorType(r.ok() ? null : "TriggerCallFailed").latencyMicros(r.latency().toNanos() / 1000)
                .note("function=" + t.functionForAudit() + "; attempt=" + attempt + "; events=" + eventId
                        + (r.ok() ? "" : "; error=" + r.error()))
                .build());
    }

    @Override public void deadLettered(RequestTriggerSpec t, String eventId, String error, int attempts) {
        audit.publish(base(t, DEAD_LETTER).decision("DEAD_LETTER").errorType("TriggerDeadLetter")
                .note("function=" + t.functionForAudit() + "; event=" + eventId + "; attempts=" + attempts + "; error=" + error)
                .build());
    }

    @Override public void notSent(RequestTriggerSpec t, String eventId, String reason) {
        audit.publish(base(t, PROBLEM).decision("NOT_SENT").errorType("TriggerProblem").note("event=" + eventId + "; " + reason).build());
    }

    private static AuditEvent.Builder base(RequestTriggerSpec t, String operation) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000).source("127.0.0.1", 0)
                .principal("trigger:" + t.id()).roles(List.of(t.role())).operation(operation).table(t.table())
                .ruleIds(List.of(t.id()));
    }

    /** A schedule's events name no table. */
    private static AuditEvent.Builder base(ScheduleSpec s, String operation) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000).source("127.0.0.1", 0)
                .principal("trigger:" + s.id()).roles(List.of(s.role())).operation(operation).ruleIds(List.of(s.id()));
    }

    private static AuditEvent.Builder base(TriggerSpec t, String operation) {
        return AuditEvent.builder().timeMicros(System.currentTimeMillis() * 1000).source("127.0.0.1", 0)
                .principal("trigger:" + t.id()).roles(List.of(t.role())).operation(operation).table(t.table())
                .ruleIds(List.of(t.id()));
    }
}
