package dev.weir.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    static BenchReport report() {
        List<ScenarioFigures> scenarios = new ArrayList<>(RatiosTest.sample().values());
        scenarios.add(ScenarioFigures.unavailable("x<script>", "evil <b>title</b>", null, "reason with <tags> & \"quotes\""));
        return new BenchReport("2026-01-01T00:00:00Z", "2026-01-01T00:03:00Z", true,
                Map.of("cpuModel", "Test CPU <1>", "cpus", 2), Map.of("items", 100), "GetItem 100%", 500,
                "--rate", scenarios, Ratios.compute(RatiosTest.sample()),
                List.of(new AddedLatency(Ratios.ALLOW_ALL, Ratios.STORE, 100, 180, 400, 95, 250)),
                List.of(LineRate.of(Ratios.DEMO_ASYNC, "25 items", 5, 1_000_000, 9_000_000, 0.5, 100)), streams(), List.of("a note"), List.of());
    }

    /** The store direct, weir against it (ratios computed), and a weir that failed. */
    static List<StreamFigures> streams() {
        StreamFigures store = new StreamFigures(Ratios.STORE, "whole", 10_000, 10_000, 2, 24, 10, 5, 20_000, 0.5,
                Map.of("store", 40.0), null, null, null);
        StreamFigures weir = new StreamFigures(Ratios.DEMO_OFF, "demo view", 10_000, 2_500, 2, 8, 4, 5, 8_000, 0.3,
                Map.of(Ratios.DEMO_OFF, 60.0, "store", 40.0), null, null, null).against(store);
        return List.of(store, weir, StreamFigures.failed(Ratios.ALLOW_ALL, "whole", "weir <did not> start"));
    }

    @Test
    void theReportIsSelfContainedAndEscapesWhatItShows() {
        String html = HtmlReport.render(report());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("<script"), "no script, and names are escaped");
        assertFalse(Pattern.compile("(src|href)\\s*=").matcher(html).find(), "nothing loaded from elsewhere");
        assertFalse(html.contains("<b>title</b>"));
        assertTrue(html.contains("evil &lt;b&gt;title&lt;/b&gt;"));
        assertTrue(html.contains("reason with &lt;tags&gt; &amp; &quot;quotes&quot;"));
        assertTrue(html.contains("Test CPU &lt;1&gt;"));
        assertEquals(3, count(html, "<svg "), "percentiles, throughput and CPU charts");
        assertTrue(html.contains("0.020 GB/s per core"), "the line-rate sentence: 10 MB per 0.5 CPU s");
        assertTrue(html.contains("weir-allow-all adds 85.0 µs at p50 (180.0 against 95.0 µs) and 150.0 µs at p99"), html);
        assertTrue(html.contains("weir &lt;did not&gt; start"), "a failed stream read says why, escaped");
    }

    @Test
    void streamFiguresCarryTheirRatiosToTheStoreDirect() {
        List<StreamFigures> s = streams();
        StreamFigures weir = s.get(1);
        assertEquals(0.4, weir.storeRatio(), 1e-9, "8,000 ÷ 20,000 records/s");
        assertEquals(2.5, weir.cpuRatio(), 1e-9, "100 ÷ 40 µs per record, all processes");
        assertEquals(100.0, weir.totalCpuPerRecord(), 1e-9);
        assertEquals(null, s.getFirst().storeRatio(), "no ratio of the store to itself");
        assertEquals(weir, weir.against(s.get(2)), "no ratio to a store that was not measured");
        String table = HtmlReport.streamTable(s);
        assertTrue(table.contains("<td>2,500 of 10,000</td>") && table.contains("<td>0.40×</td>") && table.contains("<td>2.50×</td>"),
                table);
        assertTrue(weir.line().contains("÷ store-direct: records/s 0.40×, CPU/record 2.50×"), weir.line());
        assertTrue(weir.line().indexOf(Ratios.DEMO_OFF + " 60.00") < weir.line().indexOf("store 40.00"), "weir first, then the store");
    }

    @Test
    void barsAreProportionalToTheFigures() {
        List<ScenarioFigures> s = List.copyOf(RatiosTest.sample().values());
        String svg = HtmlReport.throughputChart(s);
        Map<String, Double> widths = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("width=\"([0-9.]+)\" height=\"\\d+\" fill=\"[^\"]+\"><title>throughput ([0-9.]+)").matcher(svg);
        List<Double> w = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        while (m.find()) {
            w.add(Double.parseDouble(m.group(1)));
            v.add(Double.parseDouble(m.group(2)));
        }
        assertEquals(6, w.size(), "one bar per available scenario: " + widths);
        for (int i = 0; i < w.size(); i++) {
            assertEquals(v.get(i) / 10_000, w.get(i) / w.get(0), 0.01, "bar " + i + " against the largest (store, first)");
        }
        assertTrue(svg.contains("unavailable"), "the unavailable scenario is listed without a bar");
        String cpu = HtmlReport.cpuChart(s);
        assertTrue(cpu.contains("<title>store 50.0</title>") && cpu.contains("<title>weir-allow-all 30.0</title>"),
                "a segment per process");
    }

    @Test
    void percentileCurvesComeFromTheEncodedHistogram() {
        Histogram h = new Histogram(1_000, 120_000_000_000L, 3);
        for (int i = 1; i <= 10_000; i++) h.recordValue(i * 1_000L); // 1 µs .. 10 ms, uniform
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        Histogram back = Percentiles.decode(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n)));
        List<ScenarioFigures.PercentilePoint> curve = Percentiles.curve(Percentiles.merge(List.of(back, back)));
        assertEquals(0.0, curve.getFirst().percentile());
        assertEquals(100.0, curve.getLast().percentile());
        assertEquals(10_000, curve.getLast().micros(), 10);
        ScenarioFigures.PercentilePoint p90 = curve.stream().filter(p -> p.percentile() == 90.0).findFirst().orElseThrow();
        assertEquals(9_000, p90.micros(), 10);
        // 20,000 samples: the curve goes to 99.99% (1 in 10,000) but no further than 1 in 20,000, then the maximum.
        assertTrue(curve.stream().anyMatch(p -> p.percentile() == 99.99));
        double lastBeforeMax = curve.get(curve.size() - 2).percentile();
        assertTrue(lastBeforeMax >= 99.99 && lastBeforeMax <= 99.995, "last percentile before the maximum: " + lastBeforeMax);
        for (int i = 1; i < curve.size(); i++) assertTrue(curve.get(i).micros() >= curve.get(i - 1).micros(), "monotonic");
        String svg = HtmlReport.percentileChart(List.of(RatiosTest.scenario("s", null, 1, 10, 100, Map.of("s", 1.0))));
        assertTrue(svg.contains("<polyline"), svg);
    }

    @Test
    void theReportSerialisesToJsonWithItsFigures() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(mapper.writeValueAsString(report()));
        assertEquals(500.0, json.path("fixedRate").asDouble());
        JsonNode store = json.path("scenarios").get(0);
        assertEquals(Ratios.STORE, store.path("name").asText());
        assertEquals(10_000.0, store.path("saturation").asDouble());
        assertEquals(50.0, store.path("cpuPerRequestSaturated").path("store").asDouble());
        assertEquals(50.0, store.path("totalCpuSaturated").asDouble());
        assertTrue(json.path("lineRate").get(0).path("coresFor100Gbps").asDouble() > 0);
        assertTrue(json.path("ratios").isArray() && json.path("ratios").size() > 10);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
