package dev.weir.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * {@link PagedReadBenchmark}'s methods timed by the thread's CPU time instead of the wall
 * clock: on a machine other work keeps busy, JMH's scores move by 2x between runs while the
 * CPU a page costs stays within a few tens of percent. Each method is warmed up for 8 s, then
 * run in 7 windows of 1.5 s of CPU; prints the median CPU per page, the windows' min and max,
 * and pages per CPU-second. Run with the bench class path:
 * {@code java -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)" dev.weir.bench.jmh.PagedReadCpu [method...]}.
 */
public final class PagedReadCpu {
    private PagedReadCpu() {}

    public static void main(String[] args) throws Exception {
        String[] names = args.length > 0 ? args
                : new String[] {"weirPagedRead", "weirPagedReadDecoded", "weirPagedReadDemo", "weirPagedReadDemoDecoded",
                        "weirPagedReadTreeParse", "baselineJacksonParseAndCopy", "baselineJacksonStreamingCopy"};
        PagedReadBenchmark bench = new PagedReadBenchmark();
        bench.setup();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String name : names) {
            Method m = PagedReadBenchmark.class.getMethod(name);
            long warm = System.nanoTime() + 8_000_000_000L;
            while (System.nanoTime() < warm) m.invoke(bench);
            double[] msPerPage = new double[7];
            for (int w = 0; w < msPerPage.length; w++) {
                long start = threads.getCurrentThreadCpuTime();
                int pages = 0;
                while (threads.getCurrentThreadCpuTime() - start < 1_500_000_000L) {
                    m.invoke(bench);
                    pages++;
                }
                msPerPage[w] = (threads.getCurrentThreadCpuTime() - start) / 1e6 / pages;
            }
            Arrays.sort(msPerPage);
            int bytes = name.contains("Demo") ? bench.demoPage.length : bench.page.length;
            System.out.printf("%-30s CPU per page %.2f ms (min %.2f, max %.2f): %.0f pages per CPU-second, %.2f GB/s of store page%n",
                    name, msPerPage[3], msPerPage[0], msPerPage[6], 1000 / msPerPage[3], bytes / msPerPage[3] / 1e6);
        }
    }
}
