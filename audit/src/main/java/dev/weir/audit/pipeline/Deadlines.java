package dev.weir.audit.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails a waiting {@code publishDurable} future with a {@link TimeoutException} once its
 * {@code blockTimeout} has passed, from one thread of its own. It replaces a timer task per
 * event ({@code CompletableFuture.orTimeout}), which in {@code sync} mode cost every request
 * two schedulings and a cancellation on the JDK's delay scheduler, and the wake-ups of its
 * thread: at saturation that thread used a third as much CPU as the writer, nearly all of it
 * in the kernel.
 *
 * <p>Every waiter has the same timeout and is added when it is published, so the oldest one is
 * always the first to expire: the thread sleeps until the first waiter's deadline, drops it if it
 * completed meanwhile, fails it if not, and looks at the next. Adding a waiter is one lock-free
 * queue insert and never wakes the thread (a new waiter expires after every waiter already
 * there, and an idle thread wakes at least once per timeout). It runs on its own thread, not
 * the writer's, because the writer may be what is stuck (a force that does not return).
 */
final class Deadlines implements AutoCloseable {
    private record Waiter(CompletableFuture<Long> done, long deadline) {}

    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;
    private final Thread thread;
    private volatile boolean running = true;

    Deadlines(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        this.thread = Thread.ofPlatform().name("weir-audit-deadlines").daemon(true).start(this::run);
    }

    /** Fails {@code done} with a TimeoutException if it has not completed within the timeout; returns it. */
    CompletableFuture<Long> bound(CompletableFuture<Long> done) {
        if (done.isDone()) return done;
        if (!running) return done.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        waiters.add(new Waiter(done, System.nanoTime() + timeoutNanos));
        // closed meanwhile: the thread may already have ended, so the JDK's timer keeps this deadline
        if (!running) done.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        return done;
    }

    private void run() {
        while (true) {
            Waiter w = waiters.peek();
            if (w == null) {
                if (!running) return;
                LockSupport.parkNanos(timeoutNanos);
                continue;
            }
            if (w.done().isDone()) {
                waiters.poll();
                continue;
            }
            long left = w.deadline() - System.nanoTime();
            if (left <= 0) {
                waiters.poll();
                w.done().completeExceptionally(new TimeoutException());
                continue;
            }
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Lets the thread end once no waiter is left. A future published after the pipeline closed
     * (nothing can make it durable) still fails after the timeout: the JDK's timer keeps its
     * deadline, as before this class.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
