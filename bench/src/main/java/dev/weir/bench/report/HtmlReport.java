package dev.weir.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report as one self-contained HTML page: tables and inline SVG charts (latency
 * percentiles at the fixed rate, saturation throughput, CPU per request by process); no
 * script, no external style sheet or font, so it opens from a file anywhere and can be
 * attached to an issue as it is.
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#7f7f7f"};
    private static final int WIDTH = 760;

    private HtmlReport() {}

    public static String render(BenchReport r) {
        return render(r, List.of());
    }

    /** The report with the profiles of a {@code --jfr} run: each one's summary and flame graph. */
    public static String render(BenchReport r, List<Profile> profiles) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>weir bench ")
                .append(esc(r.startedAt())).append("</title>\n<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:64em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.na{color:#999}")
                .append(".warn{color:#b00}svg{display:block;margin:1em 0}svg text{font:12px sans-serif}")
                .append("pre{font-size:12px;overflow-x:auto}svg.flame text{font:11px monospace}")
                .append("</style></head><body>\n");
        h.append("<h1>weir bench").append(r.quick() ? " (quick)" : "").append("</h1>\n");
        h.append("<p>").append(esc(r.startedAt())).append(" to ").append(esc(r.finishedAt())).append("</p>\n");
        h.append("<h2>Machine</h2>\n<table>");
        r.machine().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(String.valueOf(v)))
                .append("</td></tr>"));
        h.append("</table>\n");
        h.append("<p>Request mix: ").append(esc(r.mix())).append(". Latency is measured open loop at ")
                .append(String.format(Locale.ROOT, "%,.0f", r.fixedRate())).append(" requests/s offered to every scenario (")
                .append(esc(r.fixedRateChosenBy()))
                .append("), from each request's intended send time (coordinated omission corrected). Throughput is closed loop "
                        + "(saturation). CPU per request is each server process's user + system time from /proc divided by "
                        + "the requests answered.</p>\n");
        for (String note : r.notes()) h.append("<p class=\"warn\">").append(esc(note)).append("</p>\n");

        h.append("<h2>Scenarios</h2>\n").append(scenarioTable(r.scenarios()));
        h.append("<h2>Comparisons</h2>\n").append(ratioTable(r.ratios()));
        h.append("<h2>Latency added by each proxy, one connection</h2>\n");
        if (r.addedLatency().isEmpty()) h.append("<p class=\"na\">not measured in this run</p>\n");
        for (AddedLatency a : r.addedLatency()) h.append("<p>").append(esc(a.sentence())).append("</p>\n");
        h.append("<h2>Latency at the fixed rate</h2>\n").append(percentileChart(r.scenarios()));
        h.append("<h2>Saturation throughput</h2>\n").append(throughputChart(r.scenarios()));
        h.append("<h2>CPU per request at saturation, by process</h2>\n").append(cpuChart(r.scenarios()));
        h.append("<h2>100 Gb/s line rate</h2>\n");
        if (r.lineRate().isEmpty()) h.append("<p class=\"na\">not measured in this run</p>\n");
        for (LineRate l : r.lineRate()) h.append("<p>").append(esc(l.sentence())).append("</p>\n");
        h.append("<h2>Stream reads (stream-read)</h2>\n");
        if (r.streams().isEmpty()) h.append("<p class=\"na\">not measured in this run</p>\n");
        else h.append(streamTable(r.streams()));
        if (!profiles.isEmpty()) {
            h.append("<h2>Where the time goes (JFR, measured windows only)</h2>\n<p>Each weir scenario's Java samples "
                    + "by step, then its flame graph: callers above callees, width = share of samples; hover a frame for "
                    + "its name and share. Frames under 0.2% are left out. The folded stacks are beside this file "
                    + "(&lt;scenario&gt;-jfr.folded) for other flame-graph tools.</p>\n");
            for (Profile p : profiles) {
                h.append("<h3>").append(esc(p.scenario())).append("</h3>\n<pre>").append(esc(p.summary())).append("</pre>\n")
                        .append(p.flame().svg(WIDTH + 200, 0.002));
            }
        }
        h.append("<p>Full figures, every phase and its histogram: results.json beside this file.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String scenarioTable(List<ScenarioFigures> scenarios) {
        StringBuilder t = new StringBuilder("<table><tr><th>scenario</th><th>saturation ops/s</th><th>achieved ops/s</th>"
                + "<th>p50 µs</th><th>p99 µs</th><th>p99.9 µs</th><th>CPU µs/req (sat.)</th><th>CPU µs/req (fixed)</th></tr>\n");
        for (ScenarioFigures s : scenarios) {
            t.append("<tr><td title=\"").append(esc(s.name())).append("\">").append(esc(s.title())).append("</td>");
            if (!s.available()) {
                t.append("<td colspan=\"7\" class=\"na\">unavailable: ").append(esc(s.unavailableReason())).append("</td></tr>\n");
                continue;
            }
            t.append(cell("%,.0f", s.saturation())).append(cell("%,.0f", s.fixedAchieved())).append(cell("%,.1f", s.p50()))
                    .append(cell("%,.1f", s.p99())).append(cell("%,.1f", s.p999()))
                    .append("<td>").append(esc(perProcess(s.cpuPerRequestSaturated()))).append("</td>")
                    .append("<td>").append(esc(perProcess(s.cpuPerRequestFixed()))).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String perProcess(Map<String, Double> cpu) {
        StringBuilder sb = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : cpu.entrySet()) {
            if (!sb.isEmpty()) sb.append(" + ");
            sb.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f", e.getValue()));
            total += e.getValue();
        }
        if (cpu.size() > 1) sb.append(String.format(Locale.ROOT, " = %.1f", total));
        return sb.toString();
    }

    private static String ratioTable(List<Ratio> ratios) {
        StringBuilder t = new StringBuilder("<table><tr><th>comparison</th><th>metric</th><th>ratio</th></tr>\n");
        for (Ratio r : ratios) {
            t.append("<tr><td>").append(esc(r.comparison())).append("</td><td>").append(esc(r.metric())).append("</td><td")
                    .append(r.value() == null ? " class=\"na\">" : ">").append(esc(r.formatted())).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /**
     * Latency (log scale) against percentile, with the percentile axis stretched toward the
     * tail as HdrHistogram's plots do: x = log10(1 / (1 - p)), so 90%, 99%, 99.9% are evenly spaced.
     */
    static String percentileChart(List<ScenarioFigures> scenarios) {
        List<ScenarioFigures> drawn = scenarios.stream().filter(s -> s.available() && !s.percentiles().isEmpty()).toList();
        if (drawn.isEmpty()) return "<p class=\"na\">no latency measured</p>\n";
        int left = 60, top = 10, plotW = WIDTH - left - 200, plotH = 300, height = plotH + 60;
        double maxX = 5; // 99.999%
        double minY = Double.MAX_VALUE, maxY = 0;
        for (ScenarioFigures s : drawn) {
            for (ScenarioFigures.PercentilePoint p : s.percentiles()) {
                if (p.micros() > 0) minY = Math.min(minY, p.micros());
                maxY = Math.max(maxY, p.micros());
            }
        }
        double lo = Math.floor(Math.log10(Math.max(1, minY)));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(10, maxY))));
        StringBuilder g = svgOpen(WIDTH, height, "latency percentiles at the fixed rate");
        for (int k = 0; k <= 5; k++) {
            double x = left + plotW * k / maxX;
            g.append(line(x, top, x, top + plotH, "#eee"));
            String label = switch (k) { case 0 -> "0%"; case 1 -> "90%"; case 2 -> "99%"; case 3 -> "99.9%"; case 4 -> "99.99%"; default -> "99.999%"; };
            g.append(text(x, top + plotH + 16, label, "middle"));
        }
        for (double e = lo; e <= hi; e++) {
            double y = top + plotH - plotH * (e - lo) / (hi - lo);
            g.append(line(left, y, left + plotW, y, "#eee"));
            g.append(text(left - 6, y + 4, formatMicros(Math.pow(10, e)), "end"));
        }
        g.append(text(left + plotW / 2.0, top + plotH + 36, "percentile", "middle"));
        g.append(text(14, top + plotH / 2.0, "latency", "middle"));
        for (int i = 0; i < drawn.size(); i++) {
            ScenarioFigures s = drawn.get(i);
            StringBuilder points = new StringBuilder();
            for (ScenarioFigures.PercentilePoint p : s.percentiles()) {
                double xv = Math.min(maxX, p.percentile() >= 100 ? maxX : Math.log10(100 / (100 - p.percentile())));
                double yv = Math.log10(Math.max(p.micros(), Math.pow(10, lo)));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * xv / maxX,
                        top + plotH - plotH * (yv - lo) / (hi - lo)));
            }
            String colour = COLOURS[i % COLOURS.length];
            g.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(points.toString().trim()).append("\"><title>").append(esc(s.title())).append("</title></polyline>\n");
            double ly = top + 14 + 18 * i;
            g.append(line(left + plotW + 12, ly - 4, left + plotW + 32, ly - 4, colour));
            g.append(text(left + plotW + 36, ly, s.name(), "start"));
        }
        return g.append("</svg>\n").toString();
    }

    static String throughputChart(List<ScenarioFigures> scenarios) {
        List<Bar> bars = new ArrayList<>();
        for (ScenarioFigures s : scenarios) {
            bars.add(new Bar(s.name(), s.available() ? List.of(new Segment("throughput", s.saturation())) : List.of(),
                    s.available() ? String.format(Locale.ROOT, "%,.0f ops/s", s.saturation()) : "unavailable"));
        }
        return barChart(bars, "saturation throughput, requests per second");
    }

    static String cpuChart(List<ScenarioFigures> scenarios) {
        List<Bar> bars = new ArrayList<>();
        for (ScenarioFigures s : scenarios) {
            List<Segment> segments = new ArrayList<>();
            if (s.available()) s.cpuPerRequestSaturated().forEach((process, micros) -> segments.add(new Segment(process, micros)));
            bars.add(new Bar(s.name(), segments, s.available()
                    ? String.format(Locale.ROOT, "%.1f µs", s.totalCpuSaturated()) : "unavailable"));
        }
        return barChart(bars, "CPU microseconds per request, by server process");
    }

    private record Segment(String label, double value) {}

    private record Bar(String label, List<Segment> segments, String caption) {}

    /** Horizontal bars, each made of coloured segments (one colour per segment label across bars). */
    private static String barChart(List<Bar> bars, String title) {
        int left = 170, top = 10, rowH = 26, plotW = WIDTH - left - 130;
        Set<String> labels = new LinkedHashSet<>();
        double max = 0;
        for (Bar b : bars) {
            b.segments().forEach(s -> labels.add(s.label()));
            max = Math.max(max, b.segments().stream().mapToDouble(Segment::value).sum());
        }
        List<String> legend = new ArrayList<>(labels);
        int height = top + rowH * bars.size() + (legend.size() > 1 ? 30 : 10);
        StringBuilder g = svgOpen(WIDTH, height, title);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = top + rowH * i;
            g.append(text(left - 8, y + 16, b.label(), "end"));
            double x = left;
            for (Segment s : b.segments()) {
                double w = max > 0 ? plotW * s.value() / max : 0;
                g.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\">", x,
                        y + 3, w, rowH - 8, COLOURS[legend.indexOf(s.label()) % COLOURS.length]));
                g.append("<title>").append(esc(s.label())).append(String.format(Locale.ROOT, " %.1f", s.value()))
                        .append("</title></rect>\n");
                x += w;
            }
            g.append(text(x + 6, y + 16, b.caption(), "start"));
        }
        if (legend.size() > 1) {
            double y = top + rowH * bars.size() + 16;
            double x = left;
            for (String l : legend) {
                g.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
                        COLOURS[legend.indexOf(l) % COLOURS.length]));
                g.append(text(x + 16, y, l, "start"));
                x += 24 + 7 * l.length();
            }
        }
        return g.append("</svg>\n").toString();
    }

    private static StringBuilder svgOpen(int width, int height, String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
                        + "<title>%s</title>\n", width, height, width, height, esc(title)));
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1, x2, y2,
                colour);
    }

    private static String text(double x, double y, String s, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor, esc(s));
    }

    /** One row per endpoint the stream was read through; records/s and CPU count the stream's records, returned or not. */
    static String streamTable(List<StreamFigures> streams) {
        StringBuilder t = new StringBuilder("<p>The whole stream of a table with a NEW_AND_OLD_IMAGES stream, read pass after pass "
                + "from TRIM_HORIZON (GetShardIterator, then GetRecords with Limit 1000, one connection per shard). Records per "
                + "second and CPU per record count the stream's records each pass covered, so a restricted view (which returns "
                + "fewer) is measured on the same work.</p>\n<table><tr><th>read through</th><th>view</th><th>records/s</th>"
                + "<th>returned per pass</th><th>CPU µs/record</th><th>reader cores</th><th>records/s ÷ store</th><th>CPU/record ÷ store</th></tr>\n");
        for (StreamFigures f : streams) {
            t.append("<tr><td>").append(esc(f.scenario())).append("</td><td>").append(esc(f.view())).append("</td>");
            if (f.recordsPerSecond() <= 0) {
                t.append("<td colspan=\"6\" class=\"na\">").append(esc(f.problem() == null ? "not measured" : f.problem()))
                        .append("</td></tr>\n");
                continue;
            }
            StringBuilder cpu = new StringBuilder();
            f.cpuPerRecord().forEach((p, v) -> cpu.append(cpu.isEmpty() ? "" : " + ").append(p)
                    .append(String.format(Locale.ROOT, " %.2f", v)));
            if (f.cpuPerRecord().size() > 1) cpu.append(String.format(Locale.ROOT, " = %.2f", f.totalCpuPerRecord()));
            t.append(cell("%,.0f", f.recordsPerSecond()))
                    .append("<td>").append(String.format(Locale.ROOT, "%,d of %,d", f.returnedPerPass(), f.streamRecords())).append("</td>")
                    .append("<td").append(f.problem() == null ? ">" : " class=\"warn\" title=\"" + esc(f.problem()) + "\">")
                    .append(esc(cpu.toString())).append("</td>").append(cell("%.2f", f.clientCores()))
                    .append(f.storeRatio() == null ? "<td class=\"na\">-</td>" : cell("%.2f×", f.storeRatio()))
                    .append(f.cpuRatio() == null ? "<td class=\"na\">-</td>" : cell("%.2f×", f.cpuRatio())).append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String cell(String format, double v) {
        return "<td>" + String.format(Locale.ROOT, format, v) + "</td>";
    }

    static String formatMicros(double micros) {
        if (micros >= 1_000_000) return String.format(Locale.ROOT, "%.0f s", micros / 1e6);
        if (micros >= 1_000) return String.format(Locale.ROOT, "%.0f ms", micros / 1e3);
        return String.format(Locale.ROOT, "%.0f µs", micros);
    }

    /** HTML-escapes text and attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
