package dev.weir.bench.jmh;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Runs a benchmark of a measured method and its baseline per {@code kind} and prints their ratio per kind. */
final class Ratios {
    private Ratios() {}

    static void print(String[] args, Class<?> benchmark, String measured, String baseline) throws Exception {
        // The benchmark's own name always selects it (JMH runs every benchmark when no name is given).
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = benchmark.getSimpleName();
        CommandLineOptions options = new CommandLineOptions(all);
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Statistics> work = new TreeMap<>();
        Map<String, Statistics> base = new TreeMap<>();
        for (RunResult r : results) {
            String kind = r.getParams().getParam("kind");
            String method = r.getParams().getBenchmark();
            Statistics s = r.getPrimaryResult().getStatistics();
            if (method.endsWith("." + measured)) work.put(kind, s);
            else if (method.endsWith("." + baseline)) base.put(kind, s);
        }
        System.out.printf("%n%-9s %24s %24s %7s%n", "kind", measured + " ns/op (±99.9%)", baseline + " ns/op (±99.9%)", "ratio");
        for (Map.Entry<String, Statistics> e : work.entrySet()) {
            Statistics w = e.getValue();
            Statistics b = base.get(e.getKey());
            if (b == null) continue;
            System.out.printf("%-9s %12.0f ± %9.0f %12.0f ± %9.0f %6.2fx%n", e.getKey(), w.getMean(), w.getMeanErrorAt(0.999),
                    b.getMean(), b.getMeanErrorAt(0.999), w.getMean() / b.getMean());
        }
    }
}
