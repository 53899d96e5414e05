package dev.weir.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jlink runtime image that {@code ./weir package} builds (deploy/target/weir-runtime): only
 * the JDK modules jdeps found (no compiler, no shell), its launcher {@code bin/weir}, and weir on
 * it serving requests through the firewall into the bundled store. Run by {@code ./weir package}.
 */
@Tag("package")
class RuntimeImageTest {
    static final Path IMAGE = Path.of(System.getProperty("weir.image", "target/weir-runtime"));

    @Test
    void theImageHoldsOnlyTheModulesWeirUses() throws Exception {
        assertTrue(Files.isExecutable(IMAGE.resolve("bin/weir")), "the launcher");
        assertTrue(Files.isRegularFile(IMAGE.resolve("app/weir.jar")));
        Process p = new ProcessBuilder(IMAGE.resolve("bin/java").toString(), "--list-modules").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Set<String> modules = out.lines().map(l -> l.split("@")[0]).collect(Collectors.toSet());
        assertTrue(modules.containsAll(List.of("java.base", "java.net.http", "java.management", "jdk.unsupported")), modules.toString());
        for (String absent : List.of("jdk.compiler", "jdk.jshell", "jdk.jdi", "java.compiler", "jdk.jlink")) {
            assertFalse(modules.contains(absent), absent + " is not needed at run time");
        }
        assertTrue(modules.size() < 20, "a trimmed runtime: " + modules);
    }

    @Test
    void weirRunsOnTheImageThroughItsLauncher(@TempDir Path dir) throws Exception {
        try (WeirRun weir = WeirRun.start(dir, List.of(IMAGE.resolve("bin/weir").toString()), p -> p)) {
            PackagedWeirChecks.servesThroughTheFirewall(weir.proxyPort);
            // SIGTERM: the shutdown hook closes everything in order, then the JVM exits (0, or 128 + 15)
            int exit = weir.stop();
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + String.join("\n", weir.output()));
            assertTrue(weir.output().contains("weir: stopped"), String.join("\n", weir.output()));
        }
    }
}
