package dev.weir.appliance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** dynalite (npm) on a free loopback port, installed by the project's own scripts/dynalite. */
final class DynaliteProcess implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "scripts", "dynalite").toAbsolutePath().normalize();

    final int port;
    private final Process process;

    private DynaliteProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static DynaliteProcess start() throws Exception {
        // installed first, under the installers' lock (two npm installs into one folder can break it)
        Installers.exclusively(() -> {
            Process install = new ProcessBuilder("bash", SCRIPT.toString(), "install")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            install.getInputStream().readAllBytes();
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException("scripts/dynalite could not install dynalite");
            }
            return null;
        });
        int port = ApplianceProcess.freePort();
        // Tables become ACTIVE at once (DynamoDB, like dynalite by default, takes a moment).
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "run", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder out = new StringBuilder();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (line.startsWith("Dynalite listening")) ready.complete(null);
                }
            } catch (Exception ignored) {
                // process ended
            }
            ready.completeExceptionally(new IllegalStateException("dynalite exited"));
        });
        try {
            ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            synchronized (out) {
                throw new IllegalStateException("dynalite did not start:\n" + out, e);
            }
        }
        return new DynaliteProcess(port, p);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
