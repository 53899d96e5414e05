package dev.weir.proxy.enforce;

import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.metrics.MetricLabels;
import dev.weir.proxy.metrics.RequestMetrics;

import java.util.List;

/**
 * Records an answered request in the {@link RequestMetrics}, once, from the same stages and
 * times the audit record is made of (arrival, decision, plan, answer). Runs on the thread that
 * completes the answer (the request's event loop, or the audit writer's in sync mode); it reads
 * only what the loop already holds and looks nothing up but the label values' counters.
 */
final class AnswerMeter {
    private final RequestMetrics metrics;

    /** @param metrics where requests are counted; null records nothing */
    AnswerMeter(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Records {@code answered}; {@code forwarded} is false for a permitted request weir did not
     * send (its decision record could not be made durable), whose upstream time means nothing.
     */
    void record(Answered answered, boolean forwarded) {
        if (metrics == null) return;
        long now = System.nanoTime();
        Stage reached = answered.reached();
        Received received = reached.received();
        Parsed parsed = reached.parsed();
        ParsedRequest request = parsed == null ? null : parsed.request();
        Operation op = request != null ? request.operation()
                : Target.named(received.http().header(Target.HEADER));
        List<String> tables = request == null ? List.of() : request.tables();
        Verdict verdict = answered.verdict();
        // decided: permitted, or refused by the decision or a check after it (a request refused before,
        // unauthenticated or unreadable, was never decided)
        long decide = parsed == null ? -1 : answered.decidedNanos() - received.nanos();
        Planned planned = reached.planned();
        long upstream = forwarded && planned != null && verdict instanceof Verdict.Permitted ? now - planned.nanos() : -1;
        metrics.record(MetricLabels.operation(op), MetricLabels.table(parsed == null ? null : parsed.policy(), tables),
                verdict.auditName(), verdict.ruleIds(), now - received.nanos(), decide, upstream);
    }
}
