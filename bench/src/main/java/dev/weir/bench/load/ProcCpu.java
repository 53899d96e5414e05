package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
