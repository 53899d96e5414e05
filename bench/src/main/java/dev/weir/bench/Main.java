package dev.weir.bench;

import dev.weir.bench.load.AllScenarios;
import dev.weir.bench.load.StoreVsDynalite;

import java.util.Arrays;
import java.util.List;

/**
 * {@code ./weir bench}: the load benchmarks and the JMH micro-benchmarks.
 *
 * <pre>
 *   [--quick] [options]                      every scenario in one run, with the HTML report (issue 7)
 *   store-vs-dynalite [--quick] [options]   the bundled store against dynalite (issue 3)
 *   proxy-vs-direct [--quick] [--no-pin]     the store direct, and through weir (allow-all, masking)
 *   dpdk [--quick] [--spin] [--rounds N]     proxy.transport dpdk against epoll, alternating (issue 17; root)
 *   jmh [JMH ARGS]                           the JMH micro-benchmarks (org.openjdk.jmh.Main)
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        if (command.isEmpty() || command.startsWith("--") && !command.equals("--help") || command.equals("all")) {
            List<String> options = command.equals("all") ? rest : Arrays.asList(args);
            try {
                System.exit(AllScenarios.run(options));
            } catch (IllegalArgumentException e) {
                System.err.println("weir bench: " + e.getMessage());
                usage();
                System.exit(2);
            }
        }
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
            case "limits" -> System.exit(dev.weir.bench.load.PhysicalLimits.run(rest));
            case "dpdk" -> {
                try {
                    System.exit(dev.weir.bench.load.DpdkBench.run(rest));
                } catch (IllegalArgumentException e) {
                    System.err.println("weir bench: " + e.getMessage());
                    usage();
                    System.exit(2);
                }
            }
            case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            case "-h", "--help", "help" -> usage();
            default -> {
                System.err.println("weir bench: unknown benchmark " + command);
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: ./weir bench [--quick] [--only|--skip SCENARIO,...] [--items N] [--connections N]
                                    [--rate OPS | --rate-fraction F] [--repeat N] [--no-pin] [--no-line-rate]
                                    [--jfr] [--mix GetItem=50,Query=15,Scan=5,PutItem=20,UpdateItem=10] [--out DIR]
                                    [--weir-jvm ARG]... [--alt-jvm ARG]...
                         --weir-jvm: an option for every weir's JVM; --alt-jvm: one for weir-allow-all-alt's only
                         (an extra scenario: --only store-direct,weir-allow-all,weir-allow-all-alt,haproxy compares
                         JVM options in one run)
                         every scenario in one run (store-direct, weir-allow-all, weir-demo-audit-off,
                         weir-demo-audit-async, weir-demo-audit-sync, haproxy, dynalite) with report.html
                       ./weir bench store-vs-dynalite [--quick] [--items N] [--connections N]
                                         [--rate OPS | --rate-fraction F] [--repeat N] [--no-pin]
                                         [--jfr] [--store-jvm ARG]... [--out DIR]
                                         [--mix GetItem=60,PutItem=30,Query=10]
                                         [--only store|dynalite] [--store-data DIR]
                       ./weir bench proxy-vs-direct [--quick] [--no-pin]
                       ./weir bench limits [--quick]   memcpy and a loopback TCP exchange: the floor under a proxy
                       ./weir bench dpdk [--quick] [--spin] [--rounds N] [--items N] [--connections N] [--rate OPS]
                                         [--measure SECONDS]
                                         proxy.transport dpdk against epoll in one run, the client in a network
                                         namespace (root; docs/benchmarks.md "The dpdk transport")
                       ./weir bench jmh [JMH ARGS]     (e.g. -l to list, or a benchmark regex)
                results go to bench/results/<timestamp>/ (results.json, table.txt, report.html, server logs)""");
    }
}
