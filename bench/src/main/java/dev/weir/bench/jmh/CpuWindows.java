package dev.weir.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Two ways of doing the same work timed against each other by the thread's CPU time, in one
 * process: each warmed up, then windows of each in turn (so that what else the machine does
 * falls on both alike). Prints the median CPU per operation of each, the windows' min and max,
 * and the ratio of the medians. On a shared machine the CPU an operation costs is steadier
 * than its wall-clock rate.
 */
public final class CpuWindows {
    private static final long WARM_UP_NANOS = 6_000_000_000L;
    private static final long WINDOW_CPU_NANOS = 1_000_000_000L;
    private static final int WINDOWS = 9;

    private CpuWindows() {}

    /** Times {@code first} and {@code second}; each call of either is one operation. */
    public static void compare(String what, String firstName, Runnable first, String secondName, Runnable second) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Runnable r : new Runnable[] {first, second, first, second}) {
            long until = System.nanoTime() + WARM_UP_NANOS / 2;
            while (System.nanoTime() < until) for (int k = 0; k < 100; k++) r.run();
        }
        double[] a = new double[WINDOWS], b = new double[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            a[w] = window(threads, first);
            b[w] = window(threads, second);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf("%s, CPU per operation, median of %d windows of %.1f s (min-max):%n", what, WINDOWS, WINDOW_CPU_NANOS / 1e9);
        System.out.printf("  %-48s %8.0f ns (%.0f-%.0f)%n", firstName, a[WINDOWS / 2], a[0], a[WINDOWS - 1]);
        System.out.printf("  %-48s %8.0f ns (%.0f-%.0f)%n", secondName, b[WINDOWS / 2], b[0], b[WINDOWS - 1]);
        System.out.printf("  ratio %.2fx%n", a[WINDOWS / 2] / b[WINDOWS / 2]);
    }

    private static double window(ThreadMXBean threads, Runnable r) {
        long start = threads.getCurrentThreadCpuTime();
        long n = 0;
        while (threads.getCurrentThreadCpuTime() - start < WINDOW_CPU_NANOS) {
            for (int k = 0; k < 100; k++) r.run();
            n += 100;
        }
        return (double) (threads.getCurrentThreadCpuTime() - start) / n;
    }
}
