package dev.weir.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OCI image tarball that {@code ./weir package} builds with Jib (deploy/target/weir-oci.tar):
 * its configuration (entry point, arguments, user, ports), and its layers unpacked into a
 * directory where weir runs under {@code chroot} (with /proc mounted, as a container runtime
 * does), so only the image's own files (the runtime, the shared libraries, /tmp) are there,
 * serving requests as the runtime image does. Run by {@code ./weir package}; the chroot part
 * needs root.
 */
@Tag("package")
class OciImageTest {
    static final Path TAR = Path.of(System.getProperty("weir.oci.tar", "target/weir-oci.tar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static Path unpacked;
    static JsonNode config;
    static List<Path> layers = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TAR), TAR + " was not built");
        unpacked = Files.createDirectories(work.resolve("tarball"));
        run(List.of("tar", "-xf", TAR.toString(), "-C", unpacked.toString()));
        JsonNode manifest;
        if (Files.exists(unpacked.resolve("index.json"))) {
            // OCI layout: index → manifest → config and layers, each a blob named by its digest
            JsonNode index = JSON.readTree(unpacked.resolve("index.json").toFile());
            manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()).toFile());
            config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
            for (JsonNode l : manifest.path("layers")) layers.add(blob(l.path("digest").asText()));
        } else {
            // docker-archive: manifest.json names the config and the layers by path
            manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
            config = JSON.readTree(unpacked.resolve(manifest.path("Config").asText()).toFile());
            for (JsonNode l : manifest.path("Layers")) layers.add(unpacked.resolve(l.asText()));
        }
    }

    private static Path blob(String digest) {
        return unpacked.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    @Test
    void theImageStartsWeirUpUnprivilegedOnItsPorts() {
        JsonNode c = config.path("config");
        assertEquals("/opt/weir/bin/java", c.path("Entrypoint").get(0).asText(), c.toString());
        assertTrue(c.path("Entrypoint").toString().contains("\"-jar\",\"/opt/weir/app/weir.jar\""), c.toString());
        assertEquals("[\"up\",\"--home\",\"/var/lib/weir\",\"--config\",\"/etc/weir/weir.yaml\"]", c.path("Cmd").toString());
        assertEquals("65532:65532", c.path("User").asText());
        assertTrue(c.path("ExposedPorts").has("8000/tcp") && c.path("ExposedPorts").has("8002/tcp"), c.toString());
        assertEquals("amd64", config.path("architecture").asText());
        assertEquals("linux", config.path("os").asText());
    }

    @Test
    void weirRunsFromTheImagesOwnFiles() throws Exception {
        Path root = Files.createDirectories(work.resolve("rootfs"));
        for (Path layer : layers) run(List.of("tar", "-xzf", layer.toString(), "-C", root.toString()));
        for (String f : List.of("opt/weir/bin/java", "opt/weir/app/weir.jar", "lib64/ld-linux-x86-64.so.2",
                "lib/x86_64-linux-gnu/libc.so.6")) {
            assertTrue(Files.exists(root.resolve(f)), f + " is in the image");
        }
        assertTrue(Files.isDirectory(root.resolve("tmp")) && Files.isDirectory(root.resolve("var/lib/weir")));
        assertTrue(Files.notExists(root.resolve("bin/sh")), "no shell in the image");
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/chroot"))
                && Files.isExecutable(Path.of("/usr/bin/unshare")), "running the image's files under chroot needs root");
        Path dir = Files.createDirectories(root.resolve("work"));
        String rootText = root.toString();
        // As a container runtime would: /proc mounted (the loader finds the runtime's libraries through
        // /proc/self/exe), in a mount namespace of its own, so the mount goes when the process does.
        Files.createDirectories(root.resolve("proc"));
        List<String> entrypoint = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t proc proc \"$0/proc\" && exec /usr/sbin/chroot \"$0\" \"$@\"", rootText));
        for (JsonNode a : config.path("config").path("Entrypoint")) entrypoint.add(a.asText());
        try (WeirRun weir = WeirRun.start(dir, entrypoint, p -> p.substring(rootText.length()))) {
            PackagedWeirChecks.servesThroughTheFirewall(weir.proxyPort);
            // SIGTERM: the shutdown hook closes everything in order, then the JVM exits (0, or 128 + 15)
            int exit = weir.stop();
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + String.join("\n", weir.output()));
            assertTrue(weir.output().contains("weir: stopped"), String.join("\n", weir.output()));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not end");
        assertEquals(0, p.exitValue(), command + ": " + out);
    }
}
