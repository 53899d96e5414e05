package dev.weir.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU pinning with {@code taskset}: the servers on the first half of the CPUs, this process
 * (the load generator) on the rest, so client and server do not steal each other's core. On
 * two cores: servers on CPU 0, client on CPU 1. Off when taskset is missing or there is one CPU.
 */
public record Pinning(boolean enabled, String serverCpus, String clientCpus, String note) {

    public static Pinning apply(boolean wanted) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (!wanted) return new Pinning(false, null, null, "off (--no-pin)");
        String taskset = which("taskset");
        if (taskset == null) return new Pinning(false, null, null, "off (taskset not found)");
        if (cpus < 2) return new Pinning(false, null, null, "off (one CPU)");
        int serverCount = cpus / 2;
        String server = range(0, serverCount - 1);
        String client = range(serverCount, cpus - 1);
        try {
            Process p = new ProcessBuilder(taskset, "-a", "-c", "-p", client, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return new Pinning(false, null, null, "off (taskset failed: " + out + ")");
            }
        } catch (IOException e) {
            return new Pinning(false, null, null, "off (taskset failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Pinning(false, null, null, "off (interrupted)");
        }
        return new Pinning(true, server, client, "servers on CPU " + server + ", load generator on CPU " + client);
    }

    /** {@code command} prefixed with taskset for the server CPUs, when pinning is on. */
    public List<String> server(List<String> command) {
        if (!enabled) return command;
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", serverCpus));
        pinned.addAll(command);
        return pinned;
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
