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

    private static PhaseResult saturation(Map<String, Double> cpu) {
        Map<String, CpuUse> use = new java.util.LinkedHashMap<>();
        cpu.forEach((p, v) -> use.put(p, new CpuUse(1, v, 0)));
        return new PhaseResult("e", "saturation", 32, 0, 4, 1000, 4000, 0, List.of(), null, null, null, Map.of(), use,
                new CpuUse(0.1, 1, 0), Map.of(), null, null, null, 0, 0);
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
