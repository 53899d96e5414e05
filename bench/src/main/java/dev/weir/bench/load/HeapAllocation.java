package dev.weir.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes a JVM's threads allocated on the heap between two moments, read from outside it:
 * {@code jcmd PID Thread.print -e} gives each live thread's count of allocated bytes. Bytes
 * allocated per request track the memory a request touches, and unlike CPU per request they
 * hardly move with a neighbour's load, so runs on a noisy machine can still compare builds
 * (docs/benchmarks.md, "Bytes allocated per request").
 *
 * <p>Limits: HotSpot prints a count of ten units or more in the larger unit, cut down (120M is
 * 120 to 121 MB), so each thread's count is short by less than one of its unit; a thread that
 * ended between the two readings is not counted. The thread dump is taken at a safepoint in the
 * measured JVM (a few milliseconds of its CPU), so read it outside a measured window.
 */
final class HeapAllocation {
    /** A thread's header line: {@code "name" #id [tid] ... allocated=120M ...}. */
    private static final Pattern THREAD = Pattern.compile("^\".*\" #(\\d+) .*\\ballocated=(\\d+)([BKMG])\\b");

    private HeapAllocation() {}

    /** Bytes allocated so far by each live thread of JVM {@code pid}, by thread number; null when they cannot be read. */
    static Map<Long, Long> read(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print", "-e").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            Map<Long, Long> threads = parse(out);
            return threads.isEmpty() ? null : threads;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Each thread's allocated bytes in a {@code Thread.print -e} dump, by thread number (a count in K, M or G as printed, times its unit). */
    static Map<Long, Long> parse(String dump) {
        Map<Long, Long> threads = new LinkedHashMap<>();
        for (String line : dump.split("\n")) {
            Matcher m = THREAD.matcher(line);
            if (!m.find()) continue;
            long unit = switch (m.group(3)) {
                case "K" -> 1L << 10;
                case "M" -> 1L << 20;
                case "G" -> 1L << 30;
                default -> 1L;
            };
            threads.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * unit);
        }
        return threads;
    }

    /**
     * The bytes the threads alive at {@code after} allocated since {@code before} (a thread new
     * since then, all of its count); -1 when a reading is missing.
     */
    static long between(Map<Long, Long> before, Map<Long, Long> after) {
        if (before == null || after == null) return -1;
        long sum = 0;
        for (Map.Entry<Long, Long> t : after.entrySet()) sum += Math.max(0, t.getValue() - before.getOrDefault(t.getKey(), 0L));
        return sum;
    }
}
