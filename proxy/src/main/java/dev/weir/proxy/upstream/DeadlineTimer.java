package dev.weir.proxy.upstream;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Request deadlines, on one timer for the process. Nearly every deadline is cancelled because
 * its request was answered in time, so the timer is a hashed wheel: arming and cancelling cost
 * a queue insert each, where a scheduled task on an event loop or a JDK scheduler costs a
 * priority-queue insert and removal (or keeps the cancelled task queued until it would fire).
 * It fires within {@link #TICK_MILLIS} after the deadline, on the timer's own thread: what
 * runs there must be short and must not block.
 */
public final class DeadlineTimer {
    /** The wheel's resolution: a deadline fires at most this late. */
    public static final long TICK_MILLIS = 10;
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(
            new DefaultThreadFactory("weir-deadlines", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 1024);

    private DeadlineTimer() {}

    /** Runs {@code action} at {@code deadlineNanos} (on {@link System#nanoTime()}) unless the returned timeout is cancelled first. */
    public static Timeout at(long deadlineNanos, Runnable action) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        return TIMER.newTimeout(t -> action.run(), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code future}, or a failure with {@code timeout}'s exception if it is not complete by
     * {@code deadlineNanos}. The future itself is left alone (others may share it): a future
     * completed already is returned as it is, without a timer.
     */
    public static <T> CompletableFuture<T> bound(CompletableFuture<T> future, long deadlineNanos,
                                                 Supplier<TimeoutException> timeout) {
        if (future.isDone()) return future;
        CompletableFuture<T> bounded = new CompletableFuture<>();
        Timeout timer = at(deadlineNanos, () -> bounded.completeExceptionally(timeout.get()));
        future.whenComplete((v, e) -> {
            timer.cancel();
            if (e != null) bounded.completeExceptionally(e);
            else bounded.complete(v);
        });
        return bounded;
    }
}
