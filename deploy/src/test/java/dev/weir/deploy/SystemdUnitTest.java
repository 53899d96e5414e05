package dev.weir.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/systemd/weir.service: hardened as docs/operations.md says (a dynamic user, no
 * capabilities, the file system read-only but weir's home), and accepted by systemd's own
 * checker, {@code systemd-analyze verify}, which names every unknown key and every value it
 * cannot parse.
 */
class SystemdUnitTest {
    /** The [Service] section: each key with its values in order (a key may repeat). */
    private static Map<String, List<String>> service() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(DeployFiles.UNIT, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            if (!section.equals("[Service]")) continue;
            int eq = l.indexOf('=');
            keys.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
        }
        return keys;
    }

    @Test
    void theServiceRunsWeirUnprivilegedWithOnlyItsHomeWritable() throws Exception {
        Map<String, List<String>> s = service();
        assertEquals(List.of("/opt/weir/bin/weir up --home /var/lib/weir --config /etc/weir/weir.yaml"), s.get("ExecStart"));
        assertEquals(List.of("yes"), s.get("DynamicUser"));
        assertEquals(List.of("yes"), s.get("NoNewPrivileges"));
        assertEquals(List.of(""), s.get("CapabilityBoundingSet"), "no capability (transparent mode adds CAP_NET_ADMIN in a drop-in)");
        assertEquals(List.of(""), s.get("AmbientCapabilities"));
        assertEquals(List.of("strict"), s.get("ProtectSystem"));
        assertEquals(List.of("/var/lib/weir"), s.get("ReadWritePaths"));
        assertEquals(List.of("weir"), s.get("StateDirectory"));
        assertEquals(List.of("yes"), s.get("PrivateTmp"), "Netty and RocksDB unpack native code into /tmp");
        assertEquals(List.of("SIGTERM"), s.get("KillSignal"), "weir shuts down in order (listener, then audit) on SIGTERM");
        assertFalse(s.containsKey("MemoryDenyWriteExecute"), "the JIT writes code: MemoryDenyWriteExecute would stop the JVM");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        Path unit = Files.copy(DeployFiles.UNIT, dir.resolve("weir.service"));
        assertEquals(List.of(), complaints(unit));
        // the check is not blind: a misspelled key and a value systemd cannot parse are named
        Files.writeString(unit, Files.readString(unit).replace("NoNewPrivileges=yes", "NoNewPrivilege=yes")
                .replace("ProtectSystem=strict", "ProtectSystem=strictly"));
        List<String> broken = complaints(unit);
        assertEquals(2, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains("Unknown key 'NoNewPrivilege'") || broken.get(1).contains("Unknown key 'NoNewPrivilege'"),
                broken.toString());
    }

    /**
     * What {@code systemd-analyze verify} says about {@code unit}, less the one line it prints when
     * the runtime image is not installed at /opt/weir on this machine (it checks that ExecStart's
     * program exists).
     */
    private static List<String> complaints(Path unit) throws Exception {
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.getFileName().toString())
                .directory(unit.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            if (!Files.exists(Path.of("/opt/weir/bin/weir"))
                    && line.equals("weir.service: Command /opt/weir/bin/weir is not executable: No such file or directory")) {
                continue;
            }
            lines.add(line);
        }
        return lines;
    }
}
