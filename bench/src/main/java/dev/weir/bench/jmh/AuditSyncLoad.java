package dev.weir.bench.jmh;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.FileSink;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What {@code sync} audit costs a closed loop of requests, without the proxy around it: the
 * pipeline as the proxy drives it (a decision record made durable, then the "store", then the
 * outcome record made durable) from N connections on virtual threads, which share as many
 * carriers as the machine has cores, as the proxy's requests share its event loops. Each
 * request also burns {@code --work-us} of CPU (the proxy's own work, half before the decision
 * record and half after the store answered) and waits {@code --store-us} for the store.
 *
 * <p>Modes {@code off} (no records), {@code async} (one record, not waited for) and {@code
 * sync} run in turns, {@code --window-s} each, for {@code --rounds} rounds, so the machine's
 * other load falls on all of them alike; each has its own spool (a file sink behind it, as the
 * appliance's default). Per mode it prints the median and range over the rounds of: requests
 * per second, process CPU per request, spool forces (fsyncs) per second, records per force,
 * the writer thread's CPU per force (and its kernel share), and the wait for each durable
 * record (p50, p99), plus the response time Little's law gives ({@code N / throughput}).
 *
 * <pre>java -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)" dev.weir.bench.jmh.AuditSyncLoad
 *      [--connections 32] [--work-us 150] [--store-us 300] [--window-s 4] [--rounds 5] [--modes off,async,sync] [--dir DIR]</pre>
 */
public final class AuditSyncLoad {
    private AuditSyncLoad() {}

    /** One mode's pipeline and what its windows measured. */
    private static final class Mode {
        final String name;
        final AuditPipeline pipeline;
        final Path dir;
        final List<double[]> windows = new ArrayList<>();
        final AtomicLong requests = new AtomicLong();

        Mode(String name, AuditPipeline pipeline, Path dir) {
            this.name = name;
            this.pipeline = pipeline;
            this.dir = dir;
        }
    }

    private static final String[] FIGURES = {"req/s", "CPU us/req", "forces/s", "records/force", "writer CPU us/force",
            "writer sys us/force", "writer CPU us/req", "decision p50 us", "decision p99 us", "outcome p50 us",
            "outcome p99 us", "Little R us"};

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("connections", "32", "work-us", "150", "store-us", "300",
                "window-s", "4", "rounds", "5", "modes", "off,async,sync", "dir", System.getProperty("java.io.tmpdir")));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) throw new IllegalArgumentException("unknown option " + args[i]);
            o.put(args[i].substring(2), args[i + 1]);
        }
        int connections = Integer.parseInt(o.get("connections"));
        long workNanos = Long.parseLong(o.get("work-us")) * 1000;
        long storeNanos = Long.parseLong(o.get("store-us")) * 1000;
        long windowNanos = (long) (Double.parseDouble(o.get("window-s")) * 1e9);
        int rounds = Integer.parseInt(o.get("rounds"));
        Path root = Files.createTempDirectory(Path.of(o.get("dir")), "weir-audit-sync-load");
        List<Mode> modes = new ArrayList<>();
        for (String m : o.get("modes").split(",")) {
            if (m.equals("off")) {
                modes.add(new Mode(m, null, null));
                continue;
            }
            Path dir = root.resolve(m);
            Files.createDirectories(dir);
            AuditPipeline.Options opts = new AuditPipeline.Options("weir-bench-1", 65_536, dir.resolve("spool"), 0, 0,
                    m.equals("sync") ? AuditPipeline.Mode.SYNC : AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                    null, null, null);
            AuditPipeline p = AuditPipeline.spooled(opts, List.of(new AuditPipeline.NamedSink("file",
                    new FileSink(dir.resolve("audit.jsonl"), new EcsJsonLines()))));
            modes.add(new Mode(m, p, dir));
        }
        System.out.printf("audit sync load: %d connections, %d us work and %d us store per request, %d rounds of %.1f s per mode, spool under %s%n",
                connections, workNanos / 1000, storeNanos / 1000, rounds, windowNanos / 1e9, root);
        AuditEvent decision = AuditFormatBenchmark.event(0);
        AuditEvent outcome = AuditFormatBenchmark.event(1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // warm-up: each mode once, not counted
        for (Mode m : modes) run(m, connections, workNanos, storeNanos, windowNanos / 2, decision, outcome, threads, os);
        for (Mode m : modes) m.windows.clear();
        for (int r = 0; r < rounds; r++) {
            for (Mode m : modes) run(m, connections, workNanos, storeNanos, windowNanos, decision, outcome, threads, os);
        }
        for (Mode m : modes) {
            System.out.printf("%n%s (median of %d windows, min-max; %d requests in all):%n", m.name, m.windows.size(), m.requests.get());
            for (int f = 0; f < FIGURES.length; f++) {
                double[] v = new double[m.windows.size()];
                for (int w = 0; w < v.length; w++) v[w] = m.windows.get(w)[f];
                Arrays.sort(v);
                System.out.printf("  %-22s %10.1f  (%.1f-%.1f)%n", FIGURES[f], v[v.length / 2], v[0], v[v.length - 1]);
            }
        }
        for (Mode m : modes) if (m.pipeline != null) m.pipeline.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void run(Mode m, int connections, long workNanos, long storeNanos, long windowNanos, AuditEvent decision,
                            AuditEvent outcome, ThreadMXBean threads, com.sun.management.OperatingSystemMXBean os) throws Exception {
        AtomicLong requests = new AtomicLong();
        Recorder decisionWait = new Recorder(3);
        Recorder outcomeWait = new Recorder(3);
        long stopAt = System.nanoTime() + windowNanos + 500_000_000L;
        long measureFrom = System.nanoTime() + 500_000_000L;
        List<Thread> conns = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            conns.add(Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < stopAt) {
                        spin(workNanos / 2);
                        if (m.pipeline != null && m.pipeline.mode() == AuditPipeline.Mode.SYNC) {
                            long t = System.nanoTime();
                            m.pipeline.publishDurable(decision).get(10, TimeUnit.SECONDS);
                            decisionWait.recordValue((System.nanoTime() - t) / 1000);
                        }
                        if (storeNanos > 0) Thread.sleep(java.time.Duration.ofNanos(storeNanos));
                        spin(workNanos - workNanos / 2);
                        if (m.pipeline != null) {
                            long t = System.nanoTime();
                            m.pipeline.publishDurable(m.pipeline.mode() == AuditPipeline.Mode.SYNC ? outcome : decision).get(10, TimeUnit.SECONDS);
                            outcomeWait.recordValue((System.nanoTime() - t) / 1000);
                        }
                        requests.incrementAndGet();
                        m.requests.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        while (System.nanoTime() < measureFrom) Thread.sleep(10);
        // several pipelines each have a writer of that name; the one that works in this window is found by its CPU
        long[] writerIds = writerIds();
        long[] cpu0 = new long[writerIds.length], user0 = new long[writerIds.length];
        for (int i = 0; i < writerIds.length; i++) {
            cpu0[i] = threads.getThreadCpuTime(writerIds[i]);
            user0[i] = threads.getThreadUserTime(writerIds[i]);
        }
        AuditCounters c0 = m.pipeline == null ? null : m.pipeline.counters();
        long req0 = requests.get(), proc0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        decisionWait.getIntervalHistogram();
        outcomeWait.getIntervalHistogram();
        while (System.nanoTime() < stopAt) Thread.sleep(10);
        long t1 = System.nanoTime(), proc1 = os.getProcessCpuTime(), req1 = requests.get();
        AuditCounters c1 = m.pipeline == null ? null : m.pipeline.counters();
        Histogram dw = decisionWait.getIntervalHistogram(), ow = outcomeWait.getIntervalHistogram();
        long writerCpu = 0, writerUser = 0;
        for (int i = 0; i < writerIds.length; i++) {
            long cpu = threads.getThreadCpuTime(writerIds[i]) - cpu0[i];
            if (cpu > writerCpu) {
                writerCpu = cpu;
                writerUser = threads.getThreadUserTime(writerIds[i]) - user0[i];
            }
        }
        for (Thread t : conns) t.join();
        double secs = (t1 - t0) / 1e9;
        double reqs = req1 - req0;
        double forces = c1 == null ? 0 : c1.forces() - c0.forces();
        double records = c1 == null ? 0 : c1.written() - c0.written();
        if (m.pipeline == null) writerCpu = writerUser = 0;
        m.windows.add(new double[] {
                reqs / secs,
                (proc1 - proc0) / 1000.0 / reqs,
                forces / secs,
                forces == 0 ? 0 : records / forces,
                forces == 0 ? 0 : writerCpu / 1000.0 / forces,
                forces == 0 ? 0 : (writerCpu - writerUser) / 1000.0 / forces,
                writerCpu / 1000.0 / reqs,
                dw.getTotalCount() == 0 ? 0 : dw.getValueAtPercentile(50),
                dw.getTotalCount() == 0 ? 0 : dw.getValueAtPercentile(99),
                ow.getTotalCount() == 0 ? 0 : ow.getValueAtPercentile(50),
                ow.getTotalCount() == 0 ? 0 : ow.getValueAtPercentile(99),
                connections / (reqs / secs) * 1e6});
    }

    private static long[] writerIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("weir-audit-writer")).mapToLong(Thread::threadId).toArray();
    }

    /** Burns about {@code nanos} of CPU on the calling thread. */
    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }
}
