package dev.weir.bench.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatiosTest {
    static ScenarioFigures scenario(String name, String proxy, double saturation, double p50, double p99,
                                    Map<String, Double> cpu) {
        return new ScenarioFigures(name, name + " title", proxy, true, null, saturation, saturation * 0.6, p50, p99, p99 * 2,
                p99 * 3, cpu, cpu, List.of(new ScenarioFigures.PercentilePoint(0, p50 / 2),
                new ScenarioFigures.PercentilePoint(50, p50), new ScenarioFigures.PercentilePoint(99, p99),
                new ScenarioFigures.PercentilePoint(100, p99 * 3)), true);
    }

    static Map<String, ScenarioFigures> sample() {
        Map<String, ScenarioFigures> s = new LinkedHashMap<>();
        s.put(Ratios.STORE, scenario(Ratios.STORE, null, 10_000, 100, 400, Map.of("store", 50.0)));
        s.put(Ratios.ALLOW_ALL, scenario(Ratios.ALLOW_ALL, Ratios.ALLOW_ALL, 8_000, 150, 500,
                orderedCpu(Ratios.ALLOW_ALL, 30.0, "store", 50.0)));
        s.put(Ratios.DEMO_OFF, scenario(Ratios.DEMO_OFF, Ratios.DEMO_OFF, 7_000, 160, 600, orderedCpu(Ratios.DEMO_OFF, 40.0, "store", 50.0)));
        s.put(Ratios.DEMO_ASYNC, scenario(Ratios.DEMO_ASYNC, Ratios.DEMO_ASYNC, 6_000, 170, 700,
                orderedCpu(Ratios.DEMO_ASYNC, 50.0, "store", 50.0)));
        s.put(Ratios.DEMO_SYNC, ScenarioFigures.unavailable(Ratios.DEMO_SYNC, "sync", Ratios.DEMO_SYNC, "audit.mode unknown"));
        s.put(Ratios.HAPROXY, scenario(Ratios.HAPROXY, Ratios.HAPROXY, 9_000, 120, 450, orderedCpu(Ratios.HAPROXY, 20.0, "store", 50.0)));
        s.put(Ratios.DYNALITE, scenario(Ratios.DYNALITE, null, 1_000, 300, 2_000, Map.of("dynalite", 400.0)));
        return s;
    }

    private static Map<String, Double> orderedCpu(String a, double va, String b, double vb) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(a, va);
        m.put(b, vb);
        return m;
    }

    private static Ratio find(List<Ratio> ratios, String comparison, String metric) {
        return ratios.stream().filter(r -> r.comparison().equals(comparison) && r.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no ratio " + comparison + " / " + metric + " in " + ratios));
    }

    @Test
    void ratiosDivideTheRightFiguresOfTheRightScenarios() {
        List<Ratio> ratios = Ratios.compute(sample());
        assertEquals(0.8, find(ratios, "weir-allow-all ÷ store-direct", "throughput").value());
        assertEquals(1.5, find(ratios, "weir-allow-all ÷ store-direct", "p50").value());
        // All processes: weir 30 + store 50 against the store's 50.
        assertEquals(1.6, find(ratios, "weir-allow-all ÷ store-direct", "CPU µs/req, all processes").value());
        // The proxy alone: weir 50 against haproxy 20 (the store's share is not the proxy's).
        assertEquals(2.5, find(ratios, "weir-demo-audit-async ÷ haproxy", "CPU µs/req, the proxy alone").value());
        assertEquals(10.0, find(ratios, "store-direct ÷ dynalite", "throughput").value());
        assertEquals(0.2, find(ratios, "store-direct ÷ dynalite", "p99").value());
        assertEquals(0.125, find(ratios, "store-direct ÷ dynalite", "CPU µs/req").value());
        assertEquals(1.25, find(ratios, "weir-demo-audit-async ÷ weir-demo-audit-off", "CPU µs/req, weir alone").value());
    }

    @Test
    void aComparisonWithAMissingScenarioSaysWhyInsteadOfAFigure() {
        Map<String, ScenarioFigures> s = sample();
        s.remove(Ratios.HAPROXY);
        List<Ratio> ratios = Ratios.compute(s);
        Ratio sync = find(ratios, "weir-demo-audit-sync ÷ weir-demo-audit-off", "throughput");
        assertNull(sync.value());
        assertEquals("weir-demo-audit-sync unavailable", sync.missing());
        Ratio haproxy = find(ratios, "weir-allow-all ÷ haproxy", "p99");
        assertNull(haproxy.value());
        assertEquals("haproxy was not run", haproxy.missing());
        String table = Ratios.table(ratios);
        // One "n/a" per comparison, not one per metric.
        String syncLine = table.lines().filter(l -> l.startsWith("weir-demo-audit-sync")).findFirst().orElseThrow();
        assertEquals(1, syncLine.split("n/a", -1).length - 1, syncLine);
        assertTrue(table.contains("throughput 0.80×"), table);
    }

    @Test
    void aZeroDenominatorGivesNoRatio() {
        Ratio r = Ratio.of("a ÷ b", "p99", "a", "b", 5, 0);
        assertNull(r.value());
        assertEquals("n/a (no figure for b)", r.formatted());
    }

    @Test
    void addedLatencyIsTheDifferenceAndANegativeOneIsFlagged() {
        AddedLatency a = new AddedLatency("weir", "store", 200, 130.5, 400, 100, 250);
        assertEquals(30.5, a.addedP50());
        assertEquals(150.0, a.addedP99());
        assertFalse(a.sentence().contains("negative"), a.sentence());
        assertTrue(new AddedLatency("weir", "store", 200, 90, 400, 100, 250).sentence().contains("baseline phases were disturbed"));
    }

    @Test
    void lineRateIsBytesPerCpuSecondAndTheCoresFor100Gbps() {
        // 2.5 GB moved in and out for 10 s of weir CPU: 0.25 GB/s per core; 12.5 GB/s needs 50 cores.
        LineRate l = LineRate.of("weir", "25 items", 10, 500_000_000L, 2_000_000_000L, 10, 1_000);
        assertEquals(0.25, l.gigabytesPerSecondPerCore());
        assertEquals(50.0, l.coresFor100Gbps());
        assertTrue(l.sentence().contains("50.0 cores for 100 Gb/s"), l.sentence());
        assertEquals(0, LineRate.of("weir", "25 items", 10, 100, 100, 0, 0).coresFor100Gbps());
    }

    @Test
    void aLineRateMeasuredThreeTimesIsTheMedianRunWithTheSpreadOfAll() {
        // 2.5, 3.0 and 2.0 GB for 10 s of weir CPU each: 0.25, 0.30 and 0.20 GB/s per core.
        LineRate a = LineRate.of("weir", "up to 1 MB", 10, 500_000_000L, 2_000_000_000L, 10, 30);
        LineRate b = LineRate.of("weir", "up to 1 MB", 10, 500_000_000L, 2_500_000_000L, 10, 31);
        LineRate c = LineRate.of("weir", "up to 1 MB", 10, 500_000_000L, 1_500_000_000L, 10, 29);
        LineRate m = LineRate.median(List.of(a, b, c));
        assertEquals(0.25, m.gigabytesPerSecondPerCore());
        assertEquals(30.0, m.requestsPerSecond(), "the median run's own figures");
        assertEquals(List.of(0.25, 0.30, 0.20), m.runs(), "every run, in the order run");
        assertTrue(m.sentence().endsWith("the median of 3 runs, lowest 0.200, highest 0.300 (spread 50%)"), m.sentence());
        assertEquals(List.of(0.25), a.runs());
        assertFalse(a.sentence().contains("median"), a.sentence());
        assertEquals(0.20, LineRate.median(List.of(a, c)).gigabytesPerSecondPerCore(), "of two, the lower");
    }
}
