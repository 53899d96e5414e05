package dev.weir.appliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real appliance as a separate process (a JVM running {@code weir up}) on free loopback
 * ports, with the repository's sample principals and policies. Its output is kept so tests
 * can check what it logged.
 */
final class ApplianceProcess implements AutoCloseable {
    static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();
    /** The upstream key pair of the repository's conf/weir.yaml and of every test configuration here. */
    static final String UPSTREAM_KEY = "WEIRUPSTREAM00000001", UPSTREAM_SECRET = "weir-upstream-sample-secret";

    final Path home;
    final int proxyPort;
    final int storePort;
    private final Process process;
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

    private ApplianceProcess(Path home, int proxyPort, int storePort, Process process) {
        this.home = home;
        this.proxyPort = proxyPort;
        this.storePort = storePort;
        this.process = process;
        Thread.ofPlatform().daemon().start(this::pump);
    }

    /** Starts weir with the repository's sample policies and principals, on free ports under {@code home}. */
    static ApplianceProcess start(Path home, String... extraArgs) throws Exception {
        return startWith(home, CONF.resolve("policies"), CONF.resolve("principals.yaml"), extraArgs);
    }

    /** Starts weir (bundled store included) on free ports under {@code home} with these policies and principals. */
    static ApplianceProcess startWith(Path home, Path policies, Path principals, String... extraArgs) throws Exception {
        return startWith(home, policies, principals, java.util.Map.of(), extraArgs);
    }

    /** As {@link #startWith(Path, Path, Path, String...)}, with these environment variables (hmac keys, say) for weir. */
    static ApplianceProcess startWith(Path home, Path policies, Path principals, java.util.Map<String, String> env,
                                      String... extraArgs) throws Exception {
        int proxyPort = freePort(), storePort;
        do storePort = freePort(); while (storePort == proxyPort);
        Files.createDirectories(home);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                """.formatted(storePort, proxyPort, policies, principals));
        return start(home, config, proxyPort, storePort, env, extraArgs);
    }

    /** Starts weir with the bundled store off, in front of another DynamoDB-compatible endpoint. */
    static ApplianceProcess startInFrontOf(Path home, String upstream) throws Exception {
        return startInFrontOf(home, upstream, CONF.resolve("policies"), CONF.resolve("principals.yaml"));
    }

    /** As {@link #startInFrontOf(Path, String)}, with these policies and principals. */
    static ApplianceProcess startInFrontOf(Path home, String upstream, Path policies, Path principals) throws Exception {
        int proxyPort = freePort();
        Files.createDirectories(home);
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {endpoint: '%s', region: us-east-1, access_key_id: %s, secret_access_key: %s}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                """.formatted(proxyPort, upstream, UPSTREAM_KEY, UPSTREAM_SECRET, policies, principals));
        return start(home, config, proxyPort, -1);
    }

    static ApplianceProcess start(Path home, Path config, int proxyPort, int storePort, String... extraArgs) throws Exception {
        return start(home, config, proxyPort, storePort, java.util.Map.of(), extraArgs);
    }

    static ApplianceProcess start(Path home, Path config, int proxyPort, int storePort, java.util.Map<String, String> env,
                                  String... extraArgs) throws Exception {
        List<String> cmd = java();
        cmd.addAll(List.of(Main.class.getName(), "up", "--home", home.toString(), "--config", config.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        ApplianceProcess a = new ApplianceProcess(home, proxyPort, storePort, p);
        try {
            a.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            a.close();
            throw new IllegalStateException("weir did not become ready:\n" + String.join("\n", a.output()), e);
        }
        return a;
    }

    /**
     * The command line of a weir JVM up to its main class: this JVM's java and class path, weir's
     * flags, and {@code weir.test.child.jvm.flags} (set by the module's POM: the classes that run in
     * two forks start weir with C1 only, {@code -XX:TieredStopAtLevel=1}, which halves the CPU a
     * start takes on two cores; docs/testing.md). Netty's leak detector stays at its own default
     * level in tests ({@link Main} turns it off for production unless asked for it).
     */
    static List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-D" + Main.LEAK_DETECTION + "=simple"));
        for (String flag : System.getProperty("weir.test.child.jvm.flags", "").trim().split("\\s+")) {
            if (!flag.isEmpty()) cmd.add(flag);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return cmd;
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxyPort;
    }

    Path auditFile() {
        return home.resolve("audit/audit.jsonl");
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Sends SIGTERM and waits for a clean stop; returns the exit code. */
    int stop() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of the
        // child's output pipe, losing what it prints while it shuts down.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("weir did not stop within 30 s of SIGTERM");
        }
        try {
            outputEnded.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("weir's output did not end", e);
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("weir did not die on SIGKILL");
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    /**
     * Starts {@code weir store} alone on a free port, with the upstream key pair of the
     * repository's conf/weir.yaml unless {@code extraArgs} say otherwise; its ready line is
     * "weir store ready: URL".
     */
    static ApplianceProcess startStoreAlone(Path home, String... extraArgs) throws Exception {
        int port = freePort();
        List<String> cmd = java();
        cmd.addAll(List.of(Main.class.getName(), "store", "--home", home.toString(), "--port", Integer.toString(port),
                "--config", CONF.resolve("weir.yaml").toString()));
        cmd.addAll(List.of(extraArgs));
        ApplianceProcess a = new ApplianceProcess(home, port, port, new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            a.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            a.close();
            throw new IllegalStateException("weir store did not become ready:\n" + String.join("\n", a.output()), e);
        }
        return a;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (line.startsWith("weir ready: ") || line.startsWith("weir store ready: ")) ready.complete(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
        outputEnded.complete(null);
        ready.completeExceptionally(new IllegalStateException("weir exited before it was ready"));
    }

    /**
     * A port nothing listens on, for a process the test is about to start. A port the kernel
     * picks for a bind to port 0 is free again once the probe closes, so another test JVM (the
     * suite runs two, docs/testing.md) or an outgoing connection could take it before the new
     * process binds it. So ports come from below the kernel's ephemeral range (which bind(0) and
     * connect() draw from), in a block of {@value #BLOCK} per surefire fork ({@code weir.test.fork},
     * set to surefire's fork number), handed out in turn from a random start: no other fork of the
     * run and no later call in this JVM gets the same one. Each is probed before it is given out.
     * Without a fork number, or with no room below the ephemeral range, the kernel picks.
     */
    static int freePort() throws IOException {
        int fork = Integer.getInteger("weir.test.fork", 0);
        int base = ephemeralLow() - BLOCK * fork;
        if (fork > 0 && base >= 1024) {
            synchronized (ApplianceProcess.class) {
                if (nextPort < 0) nextPort = java.util.concurrent.ThreadLocalRandom.current().nextInt(BLOCK);
                for (int tries = 0; tries < BLOCK; tries++) {
                    int port = base + nextPort;
                    nextPort = (nextPort + 1) % BLOCK;
                    if (free(port)) return port;
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final int BLOCK = 2000;
    private static int nextPort = -1;

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The lowest port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read). */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
