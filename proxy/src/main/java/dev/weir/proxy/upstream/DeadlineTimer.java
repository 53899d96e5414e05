package dev.weir.proxy.upstream;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Request deadlines, on one timer for the process. Nearly every deadline is cancelled because
 * its request was answered in time, so the timer is a hashed wheel: arming and cancelling cost
 * a queue insert each, where a scheduled task on an event loop or a JDK scheduler costs a
 * priority-queue insert and removal (or keeps the cancelled task queued until it would fire).
 * It fires within {@link #TICK_MILLIS} after the deadline and hands the action to the
 * executor it was given (the event loop that owns the request), so that what a deadline sets
 * off (an answer, an audit event) never delays the other deadlines.
 */
public final class DeadlineTimer {
    /** The wheel's resolution: a deadline fires at most this late. */
    public static final long TICK_MILLIS = 10;
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(
            new DefaultThreadFactory("weir-deadlines", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 1024);

    private DeadlineTimer() {}

    /**
     * Runs {@code action} on {@code executor} at {@code deadlineNanos} (on {@link System#nanoTime()})
     * unless the returned timeout is cancelled first. An executor that no longer takes tasks
     * (shutting down) gets the action run on the timer's thread.
     */
    public static Timeout at(long deadlineNanos, Executor executor, Runnable action) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        return TIMER.newTimeout(t -> {
            try {
                executor.execute(action);
            } catch (RejectedExecutionException shuttingDown) {
                action.run();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code future}, or a failure with {@code timeout}'s exception (on {@code executor}) if it
     * is not complete by {@code deadlineNanos}. The future itself is left alone (others may share it): a future
     * completed already is returned as it is, without a timer.
     */
    public static <T> CompletableFuture<T> bound(CompletableFuture<T> future, long deadlineNanos, Executor executor,
                                                 Supplier<TimeoutException> timeout) {
        if (future.isDone()) return future;
        CompletableFuture<T> bounded = new CompletableFuture<>();
        Timeout timer = at(deadlineNanos, executor, () -> bounded.completeExceptionally(timeout.get()));
        future.whenComplete((v, e) -> {
            timer.cancel();
            if (e != null) bounded.completeExceptionally(e);
            else bounded.complete(v);
        });
        return bounded;
    }
}
