package dev.weir.appliance.leakhunt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The model-based, multi-principal leak hunt of issue 13: random tables, principals, policies,
 * stores and request sequences; each sequence runs against two stores that differ only in what
 * the acting principals' read views hide (docs/threat-model.md, "The guarantee"), and every
 * answer must be the same in both, and no write may leave its actor's write scope.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code leakhunt.seed=S}: replay one sequence (the seed a report names).</li>
 *   <li>{@code leakhunt.sequences=N}: how many sequences (default 2,000).</li>
 *   <li>{@code leakhunt.minutes=M}: the long mode; run until M minutes are up (random base seed).</li>
 *   <li>{@code leakhunt.base=B}: the base seed sequence seeds derive from (default fixed).</li>
 *   <li>{@code leakhunt.collect=K}: keep hunting until K distinct failures (operation and kind)
 *       are found, reporting each (default 1: stop at the first).</li>
 *   <li>{@code leakhunt.requests=MIN..MAX}: requests per sequence (default 10..30).</li>
 *   <li>{@code leakhunt.lanes=N}: sequences run side by side, each lane with its own two worlds
 *       (default twice the cores: a sequence mostly waits on loopback round trips).</li>
 *   <li>{@code leakhunt.identical=true}: D2 is D1 (checks the harness itself: any difference is
 *       nondeterminism, never a leak; integrity is still checked).</li>
 * </ul>
 * Reports are printed and written under {@code target/leakhunt/}.
 */
class LeakHuntTest {
    private static final long DEFAULT_BASE = 0x13_13_2025L;

    @Test
    void everyAnswerIsTheSameInBothWorldsAndEveryWriteStaysInScope() throws Exception {
        Long replay = Long.getLong("leakhunt.seed");
        int minutes = Integer.getInteger("leakhunt.minutes", 0);
        int sequences = replay != null ? 1 : Integer.getInteger("leakhunt.sequences", 2000);
        int collect = Integer.getInteger("leakhunt.collect", 1);
        int lanes = replay != null ? 1 : Integer.getInteger("leakhunt.lanes", 2 * Runtime.getRuntime().availableProcessors());
        boolean identical = Boolean.getBoolean("leakhunt.identical");
        long base = Long.getLong("leakhunt.base", minutes > 0 ? System.nanoTime() : DEFAULT_BASE);
        String[] range = System.getProperty("leakhunt.requests", "10..30").split("\\.\\.");
        int minRequests = Integer.parseInt(range[0]), maxRequests = Integer.parseInt(range[1]);
        long deadline = minutes > 0 ? System.nanoTime() + minutes * 60_000_000_000L : Long.MAX_VALUE;

        Map<String, String> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        AtomicLong requests = new AtomicLong(), generating = new AtomicLong(), streamReads = new AtomicLong(),
                streamRequests = new AtomicLong();
        long[] spent = new long[4];
        long started = System.nanoTime();
        java.time.Duration cpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        List<String> unreproduced = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            running.add(pool.submit(() -> {
                try (Hunt hunt = new Hunt()) {
                    while (failures.size() < collect) {
                        int i = next.getAndIncrement();
                        if (minutes > 0 ? System.nanoTime() > deadline : i >= sequences) break;
                        long seed = replay != null ? replay : seedOf(base, i);
                        long g = System.nanoTime();
                        Scenario s = Scenario.generate(seed, "hunt" + i + "t", minRequests, maxRequests, identical);
                        generating.addAndGet(System.nanoTime() - g);
                        List<Integer> all = IntStream.range(0, s.requests().size()).boxed().toList();
                        Hunt.Outcome outcome = hunt.run(s, all);
                        done.incrementAndGet();
                        requests.addAndGet(outcome.exchanges().size());
                        java.util.Set<Integer> reads = new java.util.HashSet<>();
                        for (Hunt.Exchange e : outcome.exchanges()) {
                            if (!World.STREAM_OPS.contains(e.req().op())) continue;
                            streamRequests.incrementAndGet();
                            if (s.requests().get(e.index()).op().equals(StreamRead.OP)) reads.add(e.index());
                        }
                        streamReads.addAndGet(reads.size());
                        if (outcome.failure() == null) continue;
                        Hunt.Failure first = outcome.failure();
                        if (failures.containsKey(first.signature())) continue;
                        String report = minimise(hunt, s, first, all.subList(0, first.index() + 1));
                        if (report == null) {
                            // the difference did not come back when the same requests ran again from fresh stores:
                            // nondeterminism of the run (a deadline missed on an overloaded machine), not a function
                            // of the data; counted and printed, never silently dropped
                            String note = "leak hunt: unreproduced " + first.signature() + " at request #" + first.index()
                                    + " of seed " + seed + " (" + first.detail() + "); three reruns agreed in both worlds";
                            unreproduced.add(note);
                            System.out.println(note);
                            continue;
                        }
                        if (failures.putIfAbsent(first.signature(), report) == null) {
                            System.out.println(report);
                            write(seed, report);
                        }
                    }
                    synchronized (spent) {
                        for (int k = 0; k < spent.length; k++) spent[k] += hunt.spent[k];
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : running) f.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO).toNanos()
                - cpuBefore.toNanos()) / 1e9;
        System.out.printf("leak hunt: %d sequences, %d requests (each in both worlds), %.1f s (%.1f s of CPU), %d lanes, "
                        + "base seed %d, %d failures %s, %d unreproduced%n", done.get(), requests.get(), seconds, cpu, lanes, base,
                failures.size(), failures.keySet(), unreproduced.size());
        System.out.printf("leak hunt: %d stream reads, %d Streams requests (ListStreams, DescribeStream, GetShardIterator, "
                + "GetRecords) among the requests%n", streamReads.get(), streamRequests.get());
        System.out.printf("leak hunt: lane-seconds generating %.1f, tables %.1f, seeding %.1f, requests %.1f, integrity %.1f%n",
                generating.get() / 1e9, spent[0] / 1e9, spent[1] / 1e9, spent[2] / 1e9, spent[3] / 1e9);
        if (!failures.isEmpty()) {
            fail(failures.size() + " invariant(s) broken " + failures.keySet() + "; the first:\n" + failures.values().iterator().next());
        }
    }

    /**
     * Shrinks the failing sequence to the fewest requests that break the same invariant at the
     * same operation; null when the failure does not come back in three runs of the whole prefix
     * (it was no function of the two worlds' data).
     */
    private static String minimise(Hunt hunt, Scenario s, Hunt.Failure first, List<Integer> prefix) {
        Hunt.Outcome again = null;
        for (int tries = 0; tries < 3 && (again == null || again.failure() == null); tries++) again = hunt.run(s, prefix);
        if (again.failure() == null) return null;
        List<Integer> minimal = Minimiser.minimise(prefix, subset -> {
            Hunt.Failure f = hunt.run(s, subset).failure();
            return f != null && f.signature().equals(first.signature());
        }, 200);
        Hunt.Outcome outcome = hunt.run(s, minimal);
        if (outcome.failure() == null) outcome = again;
        return Report.of(s, outcome, s.requests().size());
    }

    static long seedOf(long base, int i) {
        long z = base + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    private static void write(long seed, String report) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "leakhunt"));
            Files.writeString(dir.resolve(seed + ".txt"), report);
        } catch (IOException e) {
            System.err.println("leak hunt: could not write the report: " + e);
        }
    }
}
