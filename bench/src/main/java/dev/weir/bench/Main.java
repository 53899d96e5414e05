package dev.weir.bench;

import dev.weir.bench.load.StoreVsDynalite;

import java.util.Arrays;
import java.util.List;

/**
 * {@code ./weir bench}: the load benchmarks and the JMH micro-benchmarks.
 *
 * <pre>
 *   store-vs-dynalite [--quick] [options]   the bundled store against dynalite (issue 3)
 *   proxy-vs-direct [--quick] [--no-pin]     the store direct, and through weir (allow-all, masking)
 *   jmh [JMH ARGS]                           the JMH micro-benchmarks (org.openjdk.jmh.Main)
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (command) {
            case "store-vs-dynalite" -> {
                try {
                    System.exit(StoreVsDynalite.run(rest));
                } catch (IllegalArgumentException e) {
                    System.err.println("weir bench: " + e.getMessage());
                    usage();
                    System.exit(2);
                }
            }
            case "proxy-vs-direct" -> System.exit(dev.weir.bench.load.ProxyVsDirect.run(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            case "", "-h", "--help", "help" -> usage();
            default -> {
                System.err.println("weir bench: unknown benchmark " + command);
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: ./weir bench store-vs-dynalite [--quick] [--items N] [--connections N]
                                         [--rate OPS | --rate-fraction F] [--repeat N] [--no-pin]
                                         [--jfr] [--store-jvm ARG]... [--out DIR]
                                         [--mix GetItem=60,PutItem=30,Query=10]
                                         [--only store|dynalite] [--store-data DIR]
                       ./weir bench proxy-vs-direct [--quick] [--no-pin]
                       ./weir bench jmh [JMH ARGS]     (e.g. -l to list, or a benchmark regex)
                results go to bench/results/<timestamp>/ (results.json, table.txt, server logs)""");
    }
}
