package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine a benchmark ran on, recorded with every result. */
public record Machine(String cpuModel, int cpus, String kernel, String jdk, String node, String memory,
                      String loadAverageAtStart) {

    public static Machine describe() {
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(),
                read("/proc/sys/kernel/osrelease"),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                command("node", "--version"), memTotal(), read("/proc/loadavg"));
    }

    /** "AMD EPYC, 2 CPUs, Linux 6.18, JDK 25". */
    public String oneLine() {
        return cpuModel + ", " + cpus + " CPUs, Linux " + kernel + ", JDK " + Runtime.version().feature()
                + ", " + memory + " RAM";
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return Math.round(kb / 1024.0 / 1024.0) + " GiB";
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String command(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unavailable";
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable";
        }
    }
}
