package dev.weir.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code weir up} as a packaged process (the runtime image's launcher, or the OCI image's entry
 * point in a chroot) with the bundled store, the repository's sample policies and principals on
 * free ports; its output kept, its ready line awaited.
 */
final class WeirRun implements AutoCloseable {
    static final Path CONF = DeployFiles.MODULE.resolve("../conf").normalize();

    final int proxyPort;
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private WeirRun(int proxyPort, Process process) {
        this.proxyPort = proxyPort;
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("weir ready: ")) ready.complete(line);
                }
            } catch (IOException ignored) {
                // ended
            }
            ready.completeExceptionally(new IllegalStateException("weir exited before it was ready"));
        });
    }

    /**
     * Writes {@code dir/weir.yaml} (the store and the proxy on free ports, the sample policies and
     * principals copied into {@code dir}), then runs {@code command} followed by
     * {@code up --home HOME --config CONFIG}, where {@code inside} turns a path under {@code dir}
     * into the path the process sees.
     */
    static WeirRun start(Path dir, List<String> command, java.util.function.UnaryOperator<String> inside) throws Exception {
        int proxy = freePort(), store;
        do store = freePort(); while (store == proxy);
        copy(CONF.resolve("policies"), dir.resolve("policies"));
        Files.copy(CONF.resolve("principals.yaml"), dir.resolve("principals.yaml"));
        Files.writeString(dir.resolve("weir.yaml"), """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: policies
                principals: principals.yaml
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                """.formatted(store, proxy));
        Files.createDirectories(dir.resolve("home"));
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("up", "--home", inside.apply(dir.resolve("home").toString()),
                "--config", inside.apply(dir.resolve("weir.yaml").toString())));
        WeirRun run = new WeirRun(proxy, new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            run.ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            run.close();
            throw new IllegalStateException("weir did not become ready:\n" + String.join("\n", run.output()), e);
        }
        return run;
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** SIGTERM, and the exit code. */
    int stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("weir did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
