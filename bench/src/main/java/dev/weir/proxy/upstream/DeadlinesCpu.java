package dev.weir.proxy.upstream;

import dev.weir.bench.jmh.CpuWindows;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * CPU per store exchange of its deadline, on the event loop that owns it, with 32 exchanges in
 * flight on the loop (a saturated weir's share): before, a timed task of the loop's own per
 * exchange ({@code schedule}, then {@code cancel} when the answer came: an insert into and a
 * removal from the loop's heap of timed tasks), and after, {@link LoopDeadlines} (a link and an
 * unlink in one list sorted by deadline, behind one timed task). Both run on a loop's thread, as
 * weir's do, timed by {@link CpuWindows}; the 10 s deadlines never come during the run. Run with
 * the bench class path: {@code java -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)"
 * dev.weir.proxy.upstream.DeadlinesCpu}.
 */
public final class DeadlinesCpu {
    private static final int IN_FLIGHT = 32;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private DeadlinesCpu() {}

    private static final class Exchange extends LoopDeadlines.Node {
        @Override
        void expire() {
            throw new IllegalStateException("a deadline came during the run");
        }
    }

    public static void main(String[] args) throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            loop.submit(() -> compare(loop)).get();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void compare(EventLoop loop) {
        Runnable expire = () -> {
            throw new IllegalStateException("a deadline came during the run");
        };
        ScheduledFuture<?>[] tasks = new ScheduledFuture<?>[IN_FLIGHT];
        LoopDeadlines deadlines = new LoopDeadlines(loop);
        Exchange[] nodes = new Exchange[IN_FLIGHT];
        for (int k = 0; k < IN_FLIGHT; k++) nodes[k] = new Exchange();
        int[] next = new int[2];
        CpuWindows.compare("an exchange's deadline, " + IN_FLIGHT + " in flight on the loop",
                "before (a timed task per exchange)", () -> {
                    int slot = next[0]++ & (IN_FLIGHT - 1);
                    if (tasks[slot] != null) tasks[slot].cancel(false);
                    tasks[slot] = loop.schedule(expire, DEADLINE_NANOS, TimeUnit.NANOSECONDS);
                },
                "after (LoopDeadlines)", () -> {
                    int slot = next[1]++ & (IN_FLIGHT - 1);
                    Exchange n = nodes[slot];
                    deadlines.disarm(n);
                    deadlines.arm(n, System.nanoTime() + DEADLINE_NANOS);
                });
        for (ScheduledFuture<?> t : tasks) if (t != null) t.cancel(false);
        for (Exchange n : nodes) deadlines.disarm(n);
        System.out.printf("  LoopDeadlines scheduled %d timed task(s) for %,d exchanges%n", deadlines.schedules(), next[1]);
    }
}
