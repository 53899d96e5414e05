package dev.weir.proxy.upstream;

import io.netty.util.concurrent.EventExecutorGroup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Deadlines of the waits on weir's lookups (table tags, key schemas), on the event loop that owns
 * the request; the store exchanges' own deadlines are {@link LoopDeadlines}' lists, one timed
 * task per loop instead of one per request. A deadline here is a task scheduled on
 * that loop ({@link EventExecutorGroup#schedule}): armed and cancelled on the loop itself, which
 * is where nearly every request is sent and answered, it is an insert into and a removal from
 * the loop's own queue of timed tasks, with no other thread, lock or atomic counter involved;
 * and a loop with no deadline pending sleeps until its sockets need it. (The timer before was
 * one hashed wheel for the process: its thread woke every 10 ms for as long as weir ran, busy or
 * idle, and every deadline crossed to it and back through shared queues, issue 16.)
 *
 * <p>Any other executor (a test's, or a loop that no longer takes tasks because it is shutting
 * down) gets its deadlines from one JDK scheduler thread, which sleeps while none is pending and
 * hands the action to the executor, or runs it itself when the executor refuses it.
 */
public final class DeadlineTimer {
    private DeadlineTimer() {}

    /** For executors that are not event loops: made on first use, one daemon thread, cancelled deadlines removed at once. */
    private static final class Fallback {
        static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

        private static ScheduledThreadPoolExecutor scheduler() {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "weir-deadlines");
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            return s;
        }
    }

    /**
     * Runs {@code action} on {@code executor} at {@code deadlineNanos} (on {@link System#nanoTime()})
     * unless the returned future is cancelled first ({@code cancel(false)}). On an event loop (or
     * group) the deadline is one of its scheduled tasks; an executor that does not take it (shutting
     * down), or that is not an event loop, gets it from the fallback scheduler, which runs the
     * action on its own thread when the executor refuses it then.
     */
    public static Future<?> at(long deadlineNanos, Executor executor, Runnable action) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        if (executor instanceof EventExecutorGroup loop && !loop.isShuttingDown()) {
            try {
                return loop.schedule(action, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the loop stopped taking tasks between the check and the schedule: the fallback arms it
            }
        }
        return Fallback.SCHEDULER.schedule(() -> {
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
        Future<?> timer = at(deadlineNanos, executor, () -> bounded.completeExceptionally(timeout.get()));
        future.whenComplete((v, e) -> {
            timer.cancel(false);
            if (e != null) bounded.completeExceptionally(e);
            else bounded.complete(v);
        });
        return bounded;
    }
}
