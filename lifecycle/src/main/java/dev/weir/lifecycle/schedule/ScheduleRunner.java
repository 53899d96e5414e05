package dev.weir.lifecycle.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.call.Retries;
import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.store.DeadLetters;
import dev.weir.lifecycle.store.Json;
import dev.weir.lifecycle.store.LeaseTable;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.lifecycle.worker.Backoff;
import dev.weir.policy.trigger.ScheduleSpec;
import dev.weir.protocol.wire.JsonBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs scheduled triggers ({@code trigger every "CRON"}): at each step it finds the minutes that
 * fell due since the last step and, for each, claims it with a conditional {@code PutItem} of
 * {@code pk = schedule#<id>#<minute>} in {@code weir_lifecycle}
 * ({@code attribute_not_exists(pk)}). Only the instance whose claim succeeds calls the
 * function, so a due minute is called once however many instances run. The call is signed as
 * any trigger's, with the idempotency key {@code <id>:<minute>}, retried with the trigger's
 * back-off, and dead-lettered after its retries.
 *
 * <p>Minutes that fell due while no instance ran are not replayed: a schedule first seen by an
 * instance starts with the current minute, and a step looks back at most {@link #CATCH_UP}
 * (a clock jump or a long pause skips the rest).
 */
public final class ScheduleRunner implements AutoCloseable {
    /** How far back a step looks for due minutes it has not handled. */
    public static final Duration CATCH_UP = Duration.ofMinutes(60);
    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private final StoreClient store;
    private final Supplier<List<ScheduleSpec>> schedules;
    private final FunctionClient functions;
    private final ScheduleListener listener;
    private final String instanceId;
    private final Clock clock;
    private final Duration poll;
    private final RandomGenerator random;
    private final DeadLetters deadLetters;
    private final LeaseTable leases;
    /** Per schedule id (and cron text): the last minute this instance has looked at. */
    private final Map<String, Instant> lastLooked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean tablesReady;
    private volatile boolean closed;

    public ScheduleRunner(StoreClient store, Supplier<List<ScheduleSpec>> schedules, FunctionClient functions,
                          ScheduleListener listener, String instanceId, Clock clock, Duration poll, RandomGenerator random) {
        this.store = Objects.requireNonNull(store);
        this.schedules = Objects.requireNonNull(schedules);
        this.functions = Objects.requireNonNull(functions);
        this.listener = Objects.requireNonNull(listener);
        this.instanceId = Objects.requireNonNull(instanceId);
        this.clock = Objects.requireNonNull(clock);
        this.poll = Objects.requireNonNull(poll);
        this.random = Objects.requireNonNull(random);
        this.deadLetters = new DeadLetters(store);
        this.leases = new LeaseTable(store);
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weir-schedules").factory());
    }

    /** Steps every {@code poll} until {@link #close()}. */
    public ScheduleRunner start() {
        ticker.scheduleWithFixedDelay(this::stepQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void stepQuietly() {
        try {
            step();
        } catch (RuntimeException e) {
            log.warn("schedule step failed: {}", e.toString());
        }
    }

    /** How long a claim row is kept: well past the 60 minutes an instance looks back, so a swept claim is never due again. */
    static final java.time.Duration CLAIM_LIFETIME = java.time.Duration.ofHours(3);

    /** The claim row of one due minute. */
    public static String claimKey(String id, Instant minute) {
        return "schedule#" + id + "#" + minute;
    }

    /** One step: claims every minute that fell due since the last step, and calls each claimed one in a virtual thread. */
    public void step() {
        if (closed) return;
        List<ScheduleSpec> specs = schedules.get();
        if (specs.isEmpty()) return;
        Instant now = clock.instant();
        Instant thisMinute = now.truncatedTo(ChronoUnit.MINUTES);
        try {
            if (!tablesReady) {
                leases.ensure();
                deadLetters.ensure();
                tablesReady = true;
            }
        } catch (StoreException e) {
            log.warn("schedules: the store failed: {}", e.getMessage());
            return;
        }
        for (ScheduleSpec spec : specs) {
            String state = spec.id() + "\u0000" + spec.cron().text();
            Instant from = lastLooked.getOrDefault(state, thisMinute.minus(1, ChronoUnit.MINUTES));
            Instant floor = thisMinute.minus(CATCH_UP);
            if (from.isBefore(floor)) from = floor;
            Instant due = spec.cron().next(from, Duration.between(from, thisMinute).toMinutes());
            boolean failed = false;
            while (due != null && !closed) {
                try {
                    if (claim(spec, due)) {
                        Instant minute = due;
                        Thread.ofVirtual().name("weir-schedule-" + spec.id()).start(() -> fire(spec, minute));
                    }
                } catch (StoreException e) {
                    log.warn("schedule {}: claiming {} failed: {}", spec.id(), due, e.getMessage());
                    failed = true; // look at this minute again at the next step
                    break;
                }
                from = due;
                due = spec.cron().next(from, Duration.between(from, thisMinute).toMinutes());
            }
            lastLooked.put(state, failed || closed ? from : thisMinute);
        }
    }

    private boolean claim(ScheduleSpec spec, Instant minute) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", LeaseTable.NAME);
        ObjectNode item = req.putObject("Item");
        item.set("pk", Json.s(claimKey(spec.id(), minute)));
        item.set("owner", Json.s(instanceId));
        item.set("claimed", Json.n(clock.millis()));
        // swept by the table's time to live once no instance can look back to it (at most 60 minutes)
        item.set(LeaseTable.EXPIRES, Json.n(minute.getEpochSecond() + CLAIM_LIFETIME.toSeconds()));
        req.put("ConditionExpression", "attribute_not_exists(pk)");
        try {
            store.dynamo("PutItem", req);
            return true;
        } catch (StoreException e) {
            if (e.is("ConditionalCheckFailedException")) return false;
            throw e;
        }
    }

    private void fire(ScheduleSpec spec, Instant minute) {
        String eventId = spec.id() + ":" + minute;
        ObjectNode payload = JSON.createObjectNode();
        payload.put("trigger", spec.id());
        payload.put("eventId", eventId);
        payload.put("scheduledFor", minute.toString());
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Retries r = Retries.run(spec.retries(), new Backoff(spec.backoffLow(), spec.backoffHigh()), random, () -> closed, n -> {
            CallResult result = functions.send(spec.url(), spec.id(), eventId, body);
            listener.called(spec, eventId, result, n);
            return result;
        });
        if (r == null || !r.failed()) return;
        CallResult result = r.last();
        int attempt = r.attempts();
        try {
            deadLetters.put(spec.id(), eventId, payload.toString(), result.error(), attempt, clock.instant());
            listener.deadLettered(spec, eventId, result.error(), attempt);
        } catch (StoreException e) {
            log.warn("schedule {}: could not store the dead letter of {}: {}", spec.id(), eventId, e.getMessage());
        }
    }

    @Override public void close() {
        closed = true;
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
