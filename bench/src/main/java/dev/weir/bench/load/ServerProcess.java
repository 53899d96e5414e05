package dev.weir.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the benchmark starts as a child process (output to a log file), waits for until
 * its port accepts connections, measures the CPU of (with its descendants), and stops with
 * its descendants at the end: closing its stdin first (a polite stop for servers that watch
 * it), then SIGTERM, then SIGKILL.
 */
public final class ServerProcess implements CpuSource, AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code command} and waits until 127.0.0.1:{@code port} accepts a connection. */
    public static ServerProcess start(String name, List<String> command, Path log, int port, Duration timeout) {
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        ServerProcess server = new ServerProcess(name, process, log, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before listening; log "
                        + log + ":\n" + server.logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException(name + " did not listen on port " + port + " within " + timeout
                            + "; log " + log + ":\n" + server.logTail());
                }
                sleep(100);
            }
        }
    }

    /**
     * Starts {@code command} and waits until its log has a line starting with {@code ready}: for a
     * server that listens where this process cannot connect (another namespace, a DPDK port).
     */
    public static ServerProcess startUntilLogged(String name, List<String> command, Path log, String ready, Duration timeout) {
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        ServerProcess server = new ServerProcess(name, process, log, -1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(ready))) return server;
            } catch (IOException | UncheckedIOException notYet) {
                // not written yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; log "
                        + log + ":\n" + server.logTail());
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(name + " was not ready within " + timeout + "; log " + log + ":\n" + server.logTail());
            }
            sleep(100);
        }
    }

    /** A port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** CPU time of its JIT compiler threads so far (zero when it is no JVM). */
    public CpuTime jitCpuTime() {
        return ProcCpu.jit(process.pid());
    }

    @Override public CpuTime cpuTime() {
        return ProcCpu.of(process.pid(), true);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                descendants.forEach(ProcessHandle::destroy);
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly();
            }
            for (ProcessHandle d : descendants) {
                if (d.isAlive()) {
                    d.destroy();
                    d.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
                    if (d.isAlive()) d.destroyForcibly();
                }
            }
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
