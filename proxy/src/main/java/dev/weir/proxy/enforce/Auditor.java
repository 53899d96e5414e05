package dev.weir.proxy.enforce;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.PendingEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The audit step. In {@code sync} mode a permitted request is recorded twice: its
 * {@link AuditEvent#DECISION} record (who, what, the decision, what it will touch) must be durable
 * before the request is forwarded ({@link #beforeForwarding}); if it cannot be made durable the
 * request is not forwarded and the client gets a 500 ({@link #notForwarded}): no access without a
 * record. After the store answers, the {@link AuditEvent#OUTCOME} record (the same fields again,
 * with the answer) must be durable too before the response is released ({@link #audit}), so a
 * client never gets an answer whose outcome is not recorded; if it cannot be, the client gets a 500.
 *
 * <p>A refused request (never forwarded), and every request in {@code async} mode, has one
 * {@link AuditEvent#COMPLETE} record, read from the last stage it reached and its verdict. In
 * {@code async} mode the response is released as soon as that record is queued.
 *
 * <p>A record leaves the event loop as a {@link RequestRecord}: references to the stages and the
 * answer, made into the event on the audit writer's thread, so the loop builds no event.
 */
final class Auditor {
    private static final Logger log = LoggerFactory.getLogger(Auditor.class);

    /** What became of a request's decision record. */
    enum Before {
        /** None was needed (async mode, auditing off, narrowed away) or drop mode dropped it: one record after the answer. */
        NOT_WRITTEN,
        /** Durable: the request may be forwarded; its outcome record follows. */
        DURABLE,
        /** It could not be made durable: the request must not be forwarded. */
        FAILED
    }

    private final AuditPipeline audit;
    private final AuditScope scope;
    private final boolean beforeAccess;
    private final AnswerMeter meter;

    /**
     * @param audit where events go; null turns auditing off (benchmarks only)
     * @param meter where every answered request is counted, once, as it is recorded
     */
    Auditor(AuditPipeline audit, AuditScope scope, AnswerMeter meter) {
        this.audit = audit;
        this.scope = scope;
        this.meter = meter;
        this.beforeAccess = audit != null && audit.mode() == AuditPipeline.Mode.SYNC;
    }

    /** True when events are recorded at all (the key schemas of puts are then read for them). */
    boolean enabled() {
        return audit != null;
    }

    /**
     * In {@code sync} mode, makes the decision record of a permitted request durable before it is
     * forwarded. Completes with {@link Before#FAILED} (never exceptionally) when it could not be;
     * in {@code drop} mode a record the full spool dropped is a counted gap and the request goes on
     * ({@link Before#NOT_WRITTEN}), as drop mode promises.
     */
    CompletableFuture<Before> beforeForwarding(Planned planned) {
        ParsedRequest request = planned.parsed().request();
        if (!beforeAccess || !scope.audits("ALLOWED", request.operation(), request.tables(), 200)) {
            return CompletableFuture.completedFuture(Before.NOT_WRITTEN);
        }
        return audit.publishDurable(held(RequestRecord.decision(planned))).handle((seq, err) -> {
            if (err == null) return seq < 0 ? Before.NOT_WRITTEN : Before.DURABLE;
            log.error("the decision record of a {} request could not be recorded ({}); it is not forwarded",
                    request.operation().name(), cause(err).getClass().getSimpleName());
            return Before.FAILED;
        });
    }

    /**
     * The answer to a permitted request whose decision record could not be made durable: a 500,
     * nothing forwarded. Its outcome record is offered without waiting (the audit is failing; if
     * the decision record is written later after all, this record says the request never reached
     * the store).
     */
    ProxyResponse notForwarded(Planned planned) {
        ProxyResponse response = ProxyResponse.error(DynamoError.internalServerError(
                "weir could not record the audit event for this request, so it was not sent to the store"));
        Answered answered = new Answered(planned, new Verdict.Permitted(planned.decided().ruleIds()), response, 0, 0, 0,
                planned.nanos());
        meter.record(answered, false);
        audit.publish(held(RequestRecord.of(answered, AuditEvent.OUTCOME)
                .noted("not forwarded: its decision record could not be made durable")));
        return response;
    }

    /** The one record of a request that was never forwarded (a refusal), or of any request in async mode. */
    CompletableFuture<ProxyResponse> audit(Answered answered) {
        return audit(answered, Before.NOT_WRITTEN);
    }

    /**
     * Records a request's answer (its outcome record after a durable decision record, else its
     * only record) and releases the response: in sync mode once the record is durable (a 500 if it
     * cannot be: fail closed), in async mode at once. The record leaves the loop as references
     * ({@link RequestRecord}); its event is made on the audit writer's thread.
     */
    CompletableFuture<ProxyResponse> audit(Answered answered, Before before) {
        meter.record(answered, true);
        ProxyResponse response = answered.response();
        if (audit == null) return CompletableFuture.completedFuture(response);
        boolean linked = before == Before.DURABLE;
        if (!linked && !scope.isAll()) {
            ParsedRequest request = request(answered.reached());
            Operation op = request == null ? null : request.operation();
            List<String> tables = request == null ? List.of() : request.tables();
            if (!scope.audits(answered.verdict().auditName(), op, tables, response.status())) {
                return CompletableFuture.completedFuture(response);
            }
        }
        RequestRecord record = RequestRecord.of(answered, linked ? AuditEvent.OUTCOME : AuditEvent.COMPLETE);
        CompletableFuture<Long> published = audit.publishDurable(held(record));
        if (published.isDone() && !published.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(response);  // async mode, queued: no stage to chain
        }
        return published.handle((seq, err) -> {
            if (err == null) return response;
            log.error("the audit record of a {} request could not be recorded ({}); the response is withheld",
                    record.operationName() == null ? "unreadable" : record.operationName(), cause(err).getClass().getSimpleName());
            ProxyResponse withheld = ProxyResponse.error(DynamoError.internalServerError(linked
                    ? "weir could not record the outcome of this request; it reached the store and its decision is recorded"
                    : "weir could not record the audit event for this request; its outcome is unknown"));
            audit.publish(held(withheld(answered, withheld)));
            return withheld;
        });
    }

    /**
     * The record of what the client got when its request's record was not durable in time: in
     * {@code block} mode that record stays queued and is written once the disk takes it, and would
     * otherwise be the request's last word (the store's 200 for a client answered 500). This one
     * follows it (same request id, later sequence), so the last record of every request states the
     * status the client saw; the store's own status stays in {@code upstreamStatus}.
     */
    private static RequestRecord withheld(Answered answered, ProxyResponse sent) {
        return RequestRecord.of(answered, AuditEvent.OUTCOME).sent(sent.status(), "InternalServerError")
                .noted("answered 500: the record before this one could not be made durable in time");
    }

    /** Records weir hands over as references only while they are small and few wait: at most about 64 MB held. */
    static final long HELD_BYTES_PER_RECORD = 64 * 1024;
    static final int HELD_RECORDS = 1024;

    /**
     * The record as the writer should get it: as references (its event made on the writer) when
     * what it keeps alive is small ({@link RequestRecord#heldBytes}) and the writer is keeping
     * up; else its event, made here. A record holds the request's and the answer's bodies until
     * the writer takes it, so without this bound a writer that falls behind (a slow disk, block
     * mode) would keep up to the queue's capacity of large bodies in memory.
     */
    private PendingEvent held(RequestRecord record) {
        if (record.heldBytes() <= HELD_BYTES_PER_RECORD && audit.queued() < HELD_RECORDS) return record;
        return record.event();
    }

    private static ParsedRequest request(Stage reached) {
        return reached.parsed() == null ? null : reached.parsed().request();
    }

    private static Throwable cause(Throwable err) {
        return err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
    }
}
