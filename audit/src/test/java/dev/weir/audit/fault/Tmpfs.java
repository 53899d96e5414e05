package dev.weir.audit.fault;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test: a real file system that fills up and answers ENOSPC, as
 * a small audit disk does. Needs root (CI runs as root); without it the test is skipped with
 * a message saying so. Shared with the proxy's and the appliance's tests through this module's
 * test jar.
 */
public final class Tmpfs implements AutoCloseable {
    /** Where it is mounted. */
    public final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (as mount's {@code size=} option: {@code 256k}, {@code 16m}) at {@code dir}. */
    public static Tmpfs mount(Path dir, String size) throws Exception {
        Assumptions.assumeTrue(isRoot(), "mounting a tmpfs needs root (CI runs as root): the full-disk test is skipped");
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        return new Tmpfs(dir);
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().equals("0") && p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Writes a filler file until the file system is full, to the last byte (ever smaller writes);
     * returns it (delete it to give the space back).
     */
    public Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size = 1 << 16; size >= 1; size /= 16) {
                byte[] block = new byte[size];
                try {
                    while (true) {
                        out.write(block);
                        out.flush();
                    }
                } catch (IOException full) {
                    if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
                }
            }
        }
        return filler;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
