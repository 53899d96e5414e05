package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of some threads of a process, picked by name ({@code /proc/<pid>/task/<tid>/comm},
 * which Linux cuts to 15 characters): a part of a server's CPU, such as the dpdk-bridge's poller
 * ({@code weir-dpdk}) or lwIP's timer thread ({@code weir-lwip}). Zero when none is alive.
 */
public record ThreadCpu(String name, long pid, String threadName) implements CpuSource {
    @Override
    public CpuTime cpuTime() {
        long user = 0, system = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.equals(threadName)) continue;
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    user += Long.parseLong(f[11]);
                    system += Long.parseLong(f[12]);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return CpuTime.ZERO;
        }
        return new CpuTime(user * 1_000_000L / ProcCpu.CLOCK_TICKS, system * 1_000_000L / ProcCpu.CLOCK_TICKS);
    }
}
