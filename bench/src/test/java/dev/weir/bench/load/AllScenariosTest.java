package dev.weir.bench.load;

import dev.weir.bench.report.Ratios;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllScenariosTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void theScenarioPoliciesCompile() {
        for (String policy : List.of(AllScenarios.ALLOW_ALL_POLICY, AllScenarios.DEMO_POLICY)) {
            LoadResult r = PolicyLoader.load(List.of(new PolicySource("bench.weir", policy)));
            assertTrue(r.ok(), () -> r.errors().toString());
        }
    }

    @Test
    void optionsChooseScenariosAndRefuseWhatTheyDoNotKnow() {
        AllScenarios.Options all = AllScenarios.Options.parse(List.of("--quick"), ROOT);
        assertEquals(AllScenarios.ALL, List.copyOf(all.scenarios()));
        assertEquals(1, all.repeat());
        assertTrue(all.out().startsWith(ROOT.resolve("bench/results")));
        AllScenarios.Options some = AllScenarios.Options.parse(List.of("--skip", "dynalite,haproxy", "--rate", "500"), ROOT);
        assertFalse(some.scenarios().contains(Ratios.DYNALITE) || some.scenarios().contains(Ratios.HAPROXY));
        assertEquals(500.0, some.rate());
        assertEquals(3, some.repeat());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllScenarios.Options.parse(List.of("--only", "store-direct,nginx"), ROOT));
        assertTrue(e.getMessage().contains("unknown scenario nginx"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllScenarios.Options.parse(List.of("--rate", "-3"), ROOT));
        assertThrows(IllegalArgumentException.class, () -> AllScenarios.Options.parse(List.of("--rate-fraction", "1.5"), ROOT));
        assertThrows(IllegalArgumentException.class, () -> AllScenarios.Options.parse(List.of("--items"), ROOT));
        assertThrows(IllegalArgumentException.class, () -> AllScenarios.Options.parse(List.of("--mix", "DeleteTable=1"), ROOT));
    }

    @Test
    void jvmOptionsGoToEveryWeirOrToTheAltScenarioAlone() {
        AllScenarios.Options o = AllScenarios.Options.parse(List.of("--only", "weir-allow-all,weir-allow-all-alt",
                "--weir-jvm", "-Xmx1g", "--alt-jvm", "-XX:+UseCompactObjectHeaders", "--alt-jvm", "-XX:+UseTransparentHugePages"), ROOT);
        assertEquals(List.of("-Xmx1g"), o.weirJvm());
        assertEquals(List.of("-XX:+UseCompactObjectHeaders", "-XX:+UseTransparentHugePages"), o.altJvm());
        assertFalse(AllScenarios.Options.parse(List.of("--quick"), ROOT).scenarios().contains(AllScenarios.ALLOW_ALL_ALT),
                "the alt scenario runs only when named");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllScenarios.Options.parse(List.of("--alt-jvm", "-XX:+UseSerialGC"), ROOT));
        assertTrue(e.getMessage().contains("weir-allow-all-alt"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllScenarios.Options.parse(List.of("--weir-jvm"), ROOT));
    }

    @Test
    void aQuickRunPrintsTheSpreadOfItsSaturationRuns() {
        List<AllScenarios.Measured> runs = new java.util.ArrayList<>();
        double[] weir = {130, 100, 120};
        for (int r = 0; r < 3; r++) {
            runs.add(new AllScenarios.Measured("weir-allow-all", "saturation", r + 1, saturation(Map.of("weir-allow-all", weir[r],
                    "store", 150.0)), Map.of()));
            runs.add(new AllScenarios.Measured("store-direct", "saturation", r + 1, saturation(Map.of("store", 140.0 + r)), Map.of()));
        }
        runs.add(new AllScenarios.Measured("haproxy", "saturation", 1, saturation(Map.of("haproxy", 40.0, "store", 150.0)), Map.of()));
        List<String> lines = AllScenarios.spreads(runs, List.of("weir-allow-all", "store-direct", "haproxy"));
        assertEquals(List.of(
                "weir-allow-all: CPU µs/req of weir-allow-all over 3 saturation runs: median 120.0, lowest 100.0, highest 130.0 (spread 30%)",
                "store-direct: CPU µs/req of store over 3 saturation runs: median 141.0, lowest 140.0, highest 142.0 (spread 1%)"),
                lines, "one run (haproxy) has no spread");
    }

    @Test
    void aRunPrintsTheMedianShareOfEachGroupOfAWeirsThreads() {
        List<AllScenarios.Measured> runs = new java.util.ArrayList<>();
        double[][] loopsAndWriter = {{0.80, 0.12}, {0.90, 0.06}, {0.85, 0.10}};
        for (int r = 0; r < 3; r++) {
            Map<String, Double> threads = new java.util.LinkedHashMap<>();
            threads.put("event loops", loopsAndWriter[r][0]);
            threads.put("audit writer", loopsAndWriter[r][1]);
            if (r == 0) threads.put("JIT compiler", 0.08);
            runs.add(new AllScenarios.Measured("weir-demo-audit-async", "saturation", r + 1, saturation(Map.of("weir-demo-audit-async",
                    70.0)), Map.of(), threads));
            runs.add(new AllScenarios.Measured("weir-demo-audit-async", "fixed-rate", r + 1, saturation(Map.of("weir-demo-audit-async",
                    70.0)), Map.of(), Map.of("other", 1.0)));
        }
        runs.add(new AllScenarios.Measured("store-direct", "saturation", 1, saturation(Map.of("store", 140.0)), Map.of()));
        assertEquals(List.of("weir-demo-audit-async: its threads' shares of its CPU at saturation (median of 3 runs): "
                        + "event loops 85.0%, audit writer 10.0%"),
                AllScenarios.threadShares(runs, List.of("weir-demo-audit-async", "store-direct")),
                "medians over the saturation runs only; a group used in one run of three has a median of 0 and is left out");
    }

    @Test
    void threadsAreGroupedByTheirNamesAndTheirSharesAddUp() throws Exception {
        assertEquals("event loops", ProcCpu.threadGroup("multiThreadIoEv"));
        assertEquals("event loops", ProcCpu.threadGroup("epollEventLoop-"));
        assertEquals("audit writer", ProcCpu.threadGroup("weir-audit-writ"));
        assertEquals("audit shipper", ProcCpu.threadGroup("weir-audit-ship"));
        assertEquals("JIT compiler", ProcCpu.threadGroup("C2 CompilerThre"));
        assertEquals("GC and VM", ProcCpu.threadGroup("VM Thread"));
        assertEquals("other", ProcCpu.threadGroup("weir-reload-pri"));
        Map<String, Double> shares = ProcCpu.shares(Map.of("event loops", 1_000L, "audit writer", 500L),
                Map.of("event loops", 4_000L, "audit writer", 1_500L, "other", 1_000L));
        assertEquals(Map.of("event loops", 0.6, "audit writer", 0.2, "other", 0.2), shares);
        assertEquals(Map.of(), ProcCpu.shares(Map.of("other", 5L), Map.of("other", 5L)), "no CPU used: no shares");

        // this process's own threads, read from /proc: a busy thread named as the audit writer is found in its group
        if (!ProcCpu.available()) return;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread busy = new Thread(() -> {
            long x = 0;
            while (!stop.get()) x += System.nanoTime() % 7;
            if (x == 42) System.out.println(x);
        }, "weir-audit-writer");
        Map<String, Long> before = ProcCpu.threadGroups(ProcessHandle.current().pid());
        busy.start();
        try {
            long until = System.nanoTime() + 3_000_000_000L;
            Map<String, Double> now;
            do {
                Thread.sleep(100);
                now = ProcCpu.shares(before, ProcCpu.threadGroups(ProcessHandle.current().pid()));
            } while (now.getOrDefault("audit writer", 0.0) == 0 && System.nanoTime() < until);
            assertTrue(now.getOrDefault("audit writer", 0.0) > 0, "the busy thread's CPU: " + now);
        } finally {
            stop.set(true);
            busy.join();
        }
    }

    private static PhaseResult saturation(Map<String, Double> cpu) {
        return saturation(cpu, PhaseResult.NOT_MEASURED);
    }

    private static PhaseResult saturation(Map<String, Double> cpu, double heapBytesPerRequest) {
        Map<String, CpuUse> use = new java.util.LinkedHashMap<>();
        cpu.forEach((p, v) -> use.put(p, new CpuUse(1, v, 0)));
        return new PhaseResult("e", "saturation", 32, 0, 4, 1000, 4000, 0, List.of(), null, null, null, Map.of(), use,
                new CpuUse(0.1, 1, 0), Map.of(), null, null, null, 0, 0, heapBytesPerRequest);
    }

    @Test
    void aRunPrintsEachWeirsHeapAllocationPerRequest() {
        List<AllScenarios.Measured> runs = new java.util.ArrayList<>();
        double[] bytes = {21_500, 19_800.4, 20_100};
        for (int r = 0; r < 3; r++) {
            runs.add(new AllScenarios.Measured("weir-allow-all", "saturation", r + 1,
                    saturation(Map.of("weir-allow-all", 100.0), bytes[r]), Map.of()));
        }
        runs.add(new AllScenarios.Measured("weir-allow-all", "fixed-rate", 1, saturation(Map.of("weir-allow-all", 100.0), 99_999), Map.of()));
        runs.add(new AllScenarios.Measured("haproxy", "saturation", 1, saturation(Map.of("haproxy", 40.0)), Map.of()));
        assertEquals(List.of("weir-allow-all: heap allocated per request at saturation (median of 3 runs): 20,100 bytes "
                        + "(21,500, 19,800, 20,100)"),
                AllScenarios.heapAllocation(runs, List.of("weir-allow-all", "haproxy")),
                "saturation runs only; none for a scenario without the figure");
    }

    @Test
    void weirConfigNamesTheAuditModeOnlyWhenTheScenarioHasOne() {
        String withMode = AllScenarios.weirConfig(8000, 8001, Path.of("/p"), Path.of("/pr.yaml"), "sync", null);
        assertTrue(withMode.contains("audit: {mode: sync}"), withMode);
        assertTrue(withMode.contains("store: {enabled: false}") && withMode.contains("http://127.0.0.1:8001"), withMode);
        assertFalse(AllScenarios.weirConfig(8000, 8001, Path.of("/p"), Path.of("/pr.yaml"), null, null).contains("audit"));
    }

    @Test
    void weirConfigNamesTheTransportOnlyForTheIoUringScenario() {
        assertTrue(AllScenarios.weirConfig(8000, 8001, Path.of("/p"), Path.of("/pr.yaml"), null, "io_uring")
                .contains("proxy: {port: 8000, transport: io_uring}"));
        assertTrue(AllScenarios.weirConfig(8000, 8001, Path.of("/p"), Path.of("/pr.yaml"), null, null)
                .contains("proxy: {port: 8000}\n"));
    }

    /** The store answers one key pair only: weir's upstream credentials must be the ones StoreMain starts it with. */
    @Test
    void weirSignsUpstreamWithTheKeyPairTheStoreAnswers() {
        String config = AllScenarios.weirConfig(8000, 8001, Path.of("/p"), Path.of("/pr.yaml"), null, null);
        assertTrue(config.contains("access_key_id: " + StoreMain.UPSTREAM.accessKeyId() + ", secret_access_key: "
                + StoreMain.UPSTREAM.secretAccessKey() + ", streams_reveal_counts: accept}"), config);
        List<String> args = StoreMain.arguments(Path.of("/data"), "127.0.0.1", 8001);
        assertEquals(List.of("/data", "127.0.0.1", "8001", StoreMain.UPSTREAM.accessKeyId(), StoreMain.UPSTREAM.secretAccessKey()),
                args);
    }

    @Test
    void haproxyIsAPlainHttpProxyOnLoopbackInFrontOfTheStore() {
        String cfg = AllScenarios.haproxyConfig(9000, 9001, 1);
        assertTrue(cfg.contains("mode http") && cfg.contains("bind 127.0.0.1:9000") && cfg.contains("server store 127.0.0.1:9001")
                && cfg.contains("nbthread 1"), cfg);
    }
}
