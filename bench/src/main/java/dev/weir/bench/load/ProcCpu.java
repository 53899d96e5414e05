package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** CPU time of a process from {@code /proc/<pid>/stat} (utime + stime), in microseconds. */
final class ProcCpu {
    static final long CLOCK_TICKS = clockTicks();

    private ProcCpu() {}

    /** CPU time of {@code pid} (and of its live descendants if asked); zero for a process that is gone. */
    static CpuTime of(long pid, boolean withDescendants) {
        CpuTime t = ticks(pid);
        if (withDescendants) {
            t = ProcessHandle.of(pid).stream()
                    .flatMap(ProcessHandle::descendants)
                    .map(p -> ticks(p.pid()))
                    .reduce(t, CpuTime::plus);
        }
        return new CpuTime(t.userMicros() * 1_000_000L / CLOCK_TICKS, t.systemMicros() * 1_000_000L / CLOCK_TICKS);
    }

    /**
     * CPU time of the JIT compiler threads of {@code pid} and its live descendants (HotSpot's
     * "C1 CompilerThread" and "C2 CompilerThread", whose names /proc cuts to 15 characters); zero
     * for processes that are not JVMs. A JVM still compiling spends much of its CPU there, which a
     * warm-up must outlast.
     */
    static CpuTime jit(long pid) {
        CpuTime t = ProcessHandle.of(pid).stream().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                p.descendants())).map(p -> compilerTicks(p.pid())).reduce(CpuTime.ZERO, CpuTime::plus);
        return new CpuTime(t.userMicros() * 1_000_000L / CLOCK_TICKS, t.systemMicros() * 1_000_000L / CLOCK_TICKS);
    }

    private static CpuTime compilerTicks(long pid) {
        CpuTime sum = CpuTime.ZERO;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum = sum.plus(new CpuTime(Long.parseLong(f[11]), Long.parseLong(f[12])));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return CpuTime.ZERO;
        }
        return sum;
    }

    /** The groups {@link #threadGroups} sorts a weir's threads into, in the order they are reported. */
    static final List<String> THREAD_GROUPS = List.of("event loops", "audit writer", "audit shipper", "JIT compiler", "GC and VM",
            "other");

    /**
     * The group of a JVM thread by its name as {@code /proc} gives it (cut to 15 characters):
     * Netty's event loops, weir's audit writer and shipper, HotSpot's compilers, its collector and
     * VM threads, and the rest.
     */
    static String threadGroup(String comm) {
        if (comm.startsWith("multiThreadIoEv") || comm.startsWith("epollEventLoop") || comm.startsWith("ioUringEventLo")
                || comm.startsWith("nioEventLoopGro")) return "event loops";
        if (comm.startsWith("weir-audit-writ")) return "audit writer";
        if (comm.startsWith("weir-audit-ship")) return "audit shipper";
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) return "JIT compiler";
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread") || comm.startsWith("VM Periodic")) {
            return "GC and VM";
        }
        return "other";
    }

    /**
     * CPU time (user + system, microseconds) of {@code pid}'s live threads by {@link #threadGroup}:
     * where a server's CPU goes by thread, which a sampling profiler misses for threads that run in
     * short bursts between sleeps (JFR gave weir's audit threads a tenth of the share {@code /proc}
     * does). Empty for a process that is gone. Threads that ended between two readings drop out
     * of the later one, so a difference can undercount a group whose threads come and go.
     */
    static Map<String, Long> threadGroups(long pid) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(threadGroup(comm), ticks * 1_000_000L / CLOCK_TICKS, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** Each group's share of the CPU used between two {@link #threadGroups} readings (groups that used none left out). */
    static Map<String, Double> shares(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        long total = 0;
        for (String g : THREAD_GROUPS) total += Math.max(0, after.getOrDefault(g, 0L) - before.getOrDefault(g, 0L));
        if (total <= 0) return out;
        for (String g : THREAD_GROUPS) {
            long used = Math.max(0, after.getOrDefault(g, 0L) - before.getOrDefault(g, 0L));
            if (used > 0) out.put(g, Math.round(1000.0 * used / total) / 1000.0);
        }
        return out;
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** utime and stime in clock ticks (as a CpuTime of ticks). */
    private static CpuTime ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: split after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTime(Long.parseLong(f[11]), Long.parseLong(f[12])); // fields 14 (utime) and 15 (stime)
        } catch (IOException | RuntimeException e) {
            return CpuTime.ZERO;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            // fall through to Linux's usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
