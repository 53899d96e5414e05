package dev.weir.lifecycle.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.call.Retries;
import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.lifecycle.worker.Backoff;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.trigger.RequestKeys;
import dev.weir.policy.trigger.RequestTriggerSpec;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Delivers API-call triggers ({@code trigger on request op [..] on table T}): {@link #offer}
 * matches a permitted, forwarded request (one event per table it names) against the triggers of
 * the policy in force, cuts its keys through each trigger role's read view and puts one job per
 * trigger on a bounded in-memory
 * queue, never blocking (a full queue drops the job, counted and logged). Workers call the
 * function with the signed payload
 * {@code {"trigger","eventId":<request id>,"table","operation","principal","keys":[...]}},
 * retry with the trigger's back-off and dead-letter after the retries.
 *
 * <p>The queue is memory only: a crash loses what it holds (the request's audit records remain).
 */
public final class RequestTriggerQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestTriggerQueue.class);
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private record Job(RequestTriggerSpec trigger, String eventId, byte[] body) {}

    private final Supplier<DecisionTable> policy;
    private final FunctionClient functions;
    private final RequestTriggerListener listener;
    private final DeadLetterSink deadLetters;
    private final RandomGenerator random;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param policy   the policy in force (null while none is loaded), read on every offer so reloads apply
     * @param capacity jobs the queue holds before it drops
     * @param workers  calls in flight at once
     */
    public RequestTriggerQueue(Supplier<DecisionTable> policy, FunctionClient functions, RequestTriggerListener listener,
                               DeadLetterSink deadLetters, RandomGenerator random, int capacity, int workers) {
        this.policy = Objects.requireNonNull(policy);
        this.functions = Objects.requireNonNull(functions);
        this.listener = Objects.requireNonNull(listener);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.random = Objects.requireNonNull(random);
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("weir-request-triggers-" + i).start(this::work));
        }
    }

    /** Events dropped because the queue was full, since start. */
    public long dropped() {
        return dropped.get();
    }

    /** Whether a trigger of the policy in force fires on a request of {@code operation} naming {@code table}. */
    public boolean fires(String table, Operation operation) {
        DecisionTable in = policy.get();
        if (in == null || closed) return false;
        for (RequestTriggerSpec t : in.requestTriggers()) {
            if (t.matches(table, operation)) return true;
        }
        return false;
    }

    /** Queues a call for every trigger this request fires; returns at once. */
    public void offer(RequestEvent event) {
        if (closed) return;
        DecisionTable table = policy.get();
        if (table == null) return;
        for (RequestTriggerSpec t : table.requestTriggers()) {
            if (!t.matches(event.table(), event.operation())) continue;
            if (event.unnamed() > 0) {
                log.warn("trigger {}: request {} not sent: weir could not name the key of {} item(s) it puts into {}",
                        t.id(), event.requestId(), event.unnamed(), event.table());
                listener.notSent(t, event.requestId(), "weir could not name the key of " + event.unnamed()
                        + " item(s) the request puts (the table's key schema could not be read)");
                continue;
            }
            Optional<List<ObjectNode>> keys = RequestKeys.cut(table, t, event.keys());
            if (keys.isEmpty()) {
                log.warn("trigger {}: request {} not sent: its key has an attribute role {} does not read in the clear",
                        t.id(), event.requestId(), t.role());
                listener.notSent(t, event.requestId(), "a key attribute is not readable in the clear by role " + t.role());
                continue;
            }
            if (!queue.offer(new Job(t, event.requestId(), payload(t, event, keys.get())))) {
                long n = dropped.incrementAndGet();
                log.warn("trigger {}: the queue is full, request {} dropped ({} dropped so far)", t.id(), event.requestId(), n);
                listener.notSent(t, event.requestId(), "the API-call trigger queue is full");
            }
        }
    }

    static byte[] payload(RequestTriggerSpec t, RequestEvent event, List<ObjectNode> keys) {
        ObjectNode body = JSON.createObjectNode();
        body.put("trigger", t.id());
        body.put("eventId", event.requestId());
        body.put("table", event.table());
        body.put("operation", event.operation().name());
        body.put("principal", event.principal());
        body.putArray("keys").addAll(keys);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void work() {
        while (!closed) {
            Job job;
            try {
                job = queue.take(); // close() interrupts: an idle worker sleeps until a job or the close
            } catch (InterruptedException e) {
                return;
            }
            try {
                deliver(job);
            } catch (RuntimeException e) {
                log.warn("trigger {}: delivering {} failed: {}", job.trigger().id(), job.eventId(), e.toString());
            }
        }
    }

    private void deliver(Job job) {
        RequestTriggerSpec t = job.trigger();
        Retries r = Retries.run(t.retries(), new Backoff(t.backoffLow(), t.backoffHigh()), random, () -> closed, n -> {
            CallResult result = functions.send(t.url(), t.id(), job.eventId(), job.body());
            listener.called(t, job.eventId(), result, n);
            return result;
        });
        if (r == null || !r.failed()) return;
        CallResult result = r.last();
        int attempt = r.attempts();
        try {
            deadLetters.put(t.id(), job.eventId(), new String(job.body(), java.nio.charset.StandardCharsets.UTF_8), result.error(), attempt);
            listener.deadLettered(t, job.eventId(), result.error(), attempt);
        } catch (StoreException e) {
            log.warn("trigger {}: could not store the dead letter of {}: {}", t.id(), job.eventId(), e.getMessage());
        }
    }

    @Override public void close() {
        closed = true;
        for (Thread w : workers) w.interrupt();
        for (Thread w : workers) {
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
