package dev.weir.appliance.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests (the Java client library writes
 * the format but has no parser for it). It refuses what Prometheus would refuse or what a
 * well-formed exposition never has: a sample before its family's TYPE, a family declared twice,
 * a sample whose name does not fit its family's type (a counter's must end in {@code _total}), a
 * malformed label set or value, a series given twice, histogram buckets that are not cumulative
 * or whose {@code +Inf} bucket is not the count.
 *
 * @param samples every series, written {@code name{a="x",b="y"}} with labels sorted, and its value
 * @param types   each family's type
 */
public record Exposition(Map<String, Double> samples, Map<String, String> types) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "info", "untyped", "unknown");

    public static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the exposition does not end with a newline");
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, List<double[]>> buckets = new HashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                if (!NAME.matcher(p[0]).matches()) throw error(n, line, "bad metric name in HELP");
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                if (p.length != 2 || !NAME.matcher(p[0]).matches() || !TYPES.contains(p[1])) throw error(n, line, "bad TYPE line");
                if (types.put(p[0], p[1]) != null) throw error(n, line, "family declared twice");
                continue;
            }
            if (line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw error(n, line, "not a sample line");
            String name = m.group(1);
            String family = family(name, types);
            if (family == null) throw error(n, line, "sample without a TYPE before it");
            TreeMap<String, String> labels = labels(m.group(3), n, line);
            double value = value(m.group(4), n, line);
            String key = name + render(labels);
            if (samples.put(key, value) != null) throw error(n, line, "series given twice");
            if (types.get(family).equals("histogram") && name.endsWith("_bucket")) {
                String le = labels.remove("le");
                if (le == null) throw error(n, line, "bucket without le");
                buckets.computeIfAbsent(family + render(labels), k -> new ArrayList<>()).add(new double[] {value(le, n, line), value});
            }
        }
        for (Map.Entry<String, List<double[]>> e : buckets.entrySet()) {
            List<double[]> bs = e.getValue();
            for (int i = 1; i < bs.size(); i++) {
                if (bs.get(i)[0] <= bs.get(i - 1)[0] || bs.get(i)[1] < bs.get(i - 1)[1]) {
                    throw new IllegalArgumentException(e.getKey() + ": buckets not ascending and cumulative");
                }
            }
            double[] last = bs.getLast();
            if (last[0] != Double.POSITIVE_INFINITY) throw new IllegalArgumentException(e.getKey() + ": no +Inf bucket");
            String series = e.getKey();
            int brace = series.indexOf('{');
            String count = brace < 0 ? series + "_count" : series.substring(0, brace) + "_count" + series.substring(brace);
            if (!Double.valueOf(last[1]).equals(samples.get(count))) throw new IllegalArgumentException(series + ": +Inf bucket is not the count");
        }
        return new Exposition(samples, types);
    }

    /** The family a sample belongs to, by the suffixes its family's type allows. */
    private static String family(String name, Map<String, String> types) {
        String t = types.get(name);
        if (t != null && (t.equals("gauge") || t.equals("untyped") || t.equals("unknown"))) return name;
        // the 0.0.4 format names a counter's family with its _total, as its sample
        if ("counter".equals(t)) return name.endsWith("_total") ? name : null;
        for (String suffix : new String[] {"_total", "_created"}) {
            String f = strip(name, suffix);
            if (f != null && "counter".equals(types.get(f))) return f;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created"}) {
            String f = strip(name, suffix);
            if (f != null && ("histogram".equals(types.get(f)) || "summary".equals(types.get(f)))) return f;
        }
        if ("summary".equals(t)) return name;
        String f = strip(name, "_info");
        if (f != null && "info".equals(types.get(f))) return f;
        if ("info".equals(t) && name.endsWith("_info")) return name;
        return null;
    }

    private static String strip(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
    }

    private static TreeMap<String, String> labels(String text, int n, String line) {
        TreeMap<String, String> labels = new TreeMap<>();
        if (text == null || text.isEmpty()) return labels;
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) throw error(n, line, "malformed labels");
            String v = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(m.group(1), canonical(m.group(1), v, n, line)) != null) {
                throw error(n, line, "label given twice");
            }
            at = m.end();
        }
        return labels;
    }

    /** A bucket bound or quantile as one spelling ({@code 0.0001} and {@code 1.0E-4} are one bucket). */
    private static String canonical(String label, String v, int n, String line) {
        return label.equals("le") || label.equals("quantile") ? Double.toString(value(v, n, line)) : v;
    }

    private static double value(String s, int n, String line) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw error(n, line, "bad value");
                }
            }
        };
    }

    private static String render(Map<String, String> labels) {
        if (labels.isEmpty()) return "";
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }

    private static IllegalArgumentException error(int n, String line, String why) {
        return new IllegalArgumentException("line " + n + ": " + why + ": " + line);
    }

    /** The value of a series (labels in any order), or 0 when it is not there. */
    public double value(String name, String... labelPairs) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], canonical(labelPairs[i], labelPairs[i + 1], 0, ""));
        return samples.getOrDefault(name + render(labels), 0.0);
    }

    /** Whether any series of this sample name is there. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    /** Every sample name (without labels). */
    public Set<String> names() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (String k : samples.keySet()) names.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k);
        return names;
    }
}
