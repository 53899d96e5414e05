package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-CPU busy and steal time of the whole machine from {@code /proc/stat}, so a phase can show
 * how much of each CPU went to processes other than the ones it measures (on a shared machine
 * that is the noise) and how much the hypervisor took (steal).
 */
public record CpuStat(List<long[]> perCpu) {
    private static final int USER = 0, NICE = 1, SYSTEM = 2, IDLE = 3, IOWAIT = 4, IRQ = 5, SOFTIRQ = 6, STEAL = 7;

    /** Busy and steal shares of one CPU over an interval. */
    public record Use(double busy, double steal) {}

    static CpuStat read() {
        List<long[]> cpus = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu") || line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                long[] v = new long[8];
                for (int i = 0; i < 8 && i + 1 < f.length; i++) v[i] = Long.parseLong(f[i + 1]);
                cpus.add(v);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figures
        }
        return new CpuStat(cpus);
    }

    /** Per CPU ("cpu0", ...) busy and steal shares between {@code before} and this. */
    Map<String, Use> since(CpuStat before) {
        Map<String, Use> out = new LinkedHashMap<>();
        for (int c = 0; c < Math.min(perCpu.size(), before.perCpu.size()); c++) {
            long[] a = before.perCpu.get(c);
            long[] b = perCpu.get(c);
            long total = 0;
            for (int i = 0; i < 8; i++) total += b[i] - a[i];
            long idle = (b[IDLE] - a[IDLE]) + (b[IOWAIT] - a[IOWAIT]);
            long steal = b[STEAL] - a[STEAL];
            if (total <= 0) continue;
            out.put("cpu" + c, new Use(round((double) (total - idle - steal) / total), round((double) steal / total)));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
