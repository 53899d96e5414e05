package dev.weir.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.bench.load.DpdkBenchPlan.Outcome;
import dev.weir.bench.load.DpdkBenchPlan.Outcomes;
import dev.weir.bench.load.DpdkBenchPlan.Plan;
import dev.weir.bench.load.DpdkBenchPlan.Step;
import dev.weir.bench.load.DpdkBenchPlan.Target;
import dev.weir.dpdk.lab.LabNetwork;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./weir bench dpdk} (issue 17): the same load through weir on {@code proxy.transport:
 * dpdk} and on epoll, in one run, alternating. The client is the bench's load generator in a
 * network namespace ({@link LabNetwork}); it reaches the dpdk weir over a veth pair whose near end
 * DPDK's {@code net_af_packet} drives (lwIP's TCP), and the epoll weir over a second, plain veth
 * pair (the kernel's TCP), with the same offloads off on both, so the client's side costs the
 * same. Both weirs run at once with the demo's restricted policy (rows, fields, masks) in front
 * of one bundled store; the client measures each phase's weir process CPU from /proc.
 *
 * <p>Each round runs, for each transport (the order flips every round): the request mix at
 * saturation (requests per second, CPU per request), the mix at a fixed offered rate (CPU per
 * request and latency when not saturated: where a parking poller costs most), and Scan pages of
 * up to 1 MB at saturation (answer bytes per second of weir CPU). Reported: medians and
 * min–max over the rounds, the poller's and lwIP's threads' own CPU, and what the idle dpdk
 * weir's poller burns while the epoll weir is measured. {@code --spin} adds a last stage with
 * the poller spinning ({@code idle_park_us: 0}) instead of parking.
 */
public final class DpdkBench {
    static final String EPOLL = "epoll", DPDK = "dpdk", DPDK_SPIN = "dpdk-spin";
    private static final String PREFIX = "b17";
    private static final int DPDK_SUBNET = 17, KERNEL_SUBNET = 117, PORT = 8000;
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private DpdkBench() {}

    record Options(boolean quick, int rounds, int items, int connections, double rate, int measureSeconds, boolean spin) {
        static Options parse(List<String> args) {
            boolean quick = args.contains("--quick");
            int rounds = quick ? 2 : 5, items = quick ? 2_000 : 10_000, connections = 16, measure = quick ? 5 : 8;
            double rate = 100; // light: well under saturation even on a busy 2-core machine
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--quick", "--spin" -> { }
                    case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
                    case "--items" -> items = Integer.parseInt(args.get(++i));
                    case "--connections" -> connections = Integer.parseInt(args.get(++i));
                    case "--rate" -> rate = Double.parseDouble(args.get(++i));
                    case "--measure" -> measure = Integer.parseInt(args.get(++i));
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
            if (rounds < 1 || items < 100 || connections < 1 || !(rate > 0) || measure < 1) {
                throw new IllegalArgumentException("rounds, items (at least 100), connections, rate and measure must be positive");
            }
            return new Options(quick, rounds, items, connections, rate, measure, args.contains("--spin"));
        }
    }

    public static int run(List<String> args) throws Exception {
        Options o = Options.parse(args);
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("weir bench dpdk: needs root (a network namespace, hugepages, DPDK's raw socket)");
            return 2;
        }
        Path root = Path.of(System.getenv().getOrDefault("WEIR_ROOT", System.getProperty("user.dir"))).toAbsolutePath();
        Path jar = root.resolve("appliance/target/weir.jar");
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: build with ./weir up");
        Path out = root.resolve("bench/results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-dpdk");
        Files.createDirectories(out);
        Machine machine = Machine.describe();
        System.out.printf("weir bench: dpdk vs epoll%s, %d rounds%nmachine: %s%nresults: %s%n", o.quick() ? " (quick)" : "",
                o.rounds(), machine.oneLine(), out);
        Path work = Files.createTempDirectory("weir-bench-dpdk-");
        Files.writeString(work.resolve("principals.yaml"), """
                principals:
                  - {name: bench, access_key_id: %s, secret_access_key: %s, roles: [bench], attributes: {region: eu}}
                """.formatted(StoreVsDynalite.CREDENTIALS.accessKeyId(), StoreVsDynalite.CREDENTIALS.secretAccessKey()));
        Path policies = Files.createDirectories(work.resolve("policies"));
        Files.writeString(policies.resolve("bench.weir"), AllScenarios.DEMO_POLICY);

        List<Outcome> outcomes = new ArrayList<>();
        LabNetwork lab = LabNetwork.open(root, PREFIX, DPDK_SUBNET, 128);
        List<ServerProcess> started = new ArrayList<>();
        try (lab) {
            lab.addKernelPair(KERNEL_SUBNET);
            int storePort = ServerProcess.freePort();
            List<String> storeCmd = java();
            storeCmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreMain.class.getName()));
            storeCmd.addAll(StoreMain.arguments(work.resolve("store"), "127.0.0.1", storePort));
            ServerProcess store = ServerProcess.start("store", storeCmd, out.resolve("store.log"), storePort, Duration.ofSeconds(60));
            started.add(store);
            PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), o.items());
            DynamoCalls direct = new DynamoCalls(new Endpoint("store", "127.0.0.1", storePort, StoreMain.UPSTREAM), new ObjectMapper());
            workload.createTable(direct);
            double preload = workload.preload(direct, 4);
            System.out.printf("  store: %d items preloaded in %.1f s%n", o.items(), preload);

            ServerProcess epoll = startWeir(jar, work, out, EPOLL, epollProxy(lab), storePort, policies);
            started.add(epoll);
            ServerProcess dpdk = startWeir(jar, work, out, DPDK, dpdkProxy(lab, 50), storePort, policies);
            started.add(dpdk);
            System.out.printf("  weir on epoll at %s:%d (pid %d), on dpdk at %s:%d (pid %d)%n", lab.kernelAddress(), PORT, epoll.pid(),
                    lab.bridgeAddress(), PORT, dpdk.pid());
            List<Target> targets = List.of(new Target(EPOLL, lab.kernelAddress(), PORT, epoll.pid(), false),
                    new Target(DPDK, lab.bridgeAddress(), PORT, dpdk.pid(), true));
            outcomes.addAll(client(lab, out, "alternating", new Plan(o.items(), targets, steps(o, List.of(EPOLL, DPDK)))));
            if (o.spin()) {
                dpdk.close();
                started.remove(dpdk);
                ServerProcess spin = startWeir(jar, work, out, DPDK_SPIN, dpdkProxy(lab, 0), storePort, policies);
                started.add(spin);
                System.out.printf("  weir on dpdk, poller spinning (pid %d)%n", spin.pid());
                outcomes.addAll(client(lab, out, "spin", new Plan(o.items(),
                        List.of(new Target(DPDK_SPIN, lab.bridgeAddress(), PORT, spin.pid(), true)), steps(o, List.of(DPDK_SPIN)))));
            }
        } finally {
            for (ServerProcess s : started.reversed()) s.close();
            lab.releaseHugepages();
        }
        String table = table(o, outcomes) + bridgeCounters(out);
        System.out.print(table);
        Files.writeString(out.resolve("table.txt"), table);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "dpdk-vs-epoll");
        report.put("machine", machine);
        report.put("options", o);
        report.put("outcomes", outcomes);
        Files.writeString(out.resolve("results.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        return 0;
    }

    /** Warm-up phases for each scenario (not recorded), then the rounds, the scenarios' order flipping each round. */
    static List<Step> steps(Options o, List<String> scenarios) {
        List<Step> steps = new ArrayList<>();
        long seed = 1;
        int m = o.measureSeconds(), warm = o.quick() ? 8 : 15;
        for (String s : scenarios) {
            steps.add(new Step(0, s, "mix", 0, o.connections(), 2, warm, seed++, false));
            steps.add(new Step(0, s, "scan", 0, 8, 2, warm / 2, seed++, false));
        }
        for (int r = 1; r <= o.rounds(); r++) {
            List<String> order = new ArrayList<>(scenarios);
            if (r % 2 == 0) java.util.Collections.reverse(order);
            for (String s : order) {
                steps.add(new Step(r, s, "mix", 0, o.connections(), 2, m, seed++, true));
                steps.add(new Step(r, s, "mix", o.rate(), o.connections(), 2, m, seed++, true));
                steps.add(new Step(r, s, "scan", 0, 8, 2, m, seed++, true));
            }
        }
        return steps;
    }

    private static List<Outcome> client(LabNetwork lab, Path out, String stage, Plan plan) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path planFile = out.resolve("plan-" + stage + ".json"), outcomesFile = out.resolve("outcomes-" + stage + ".json");
        Files.writeString(planFile, json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(plan));
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DpdkBenchClient.class.getName(), planFile.toString(),
                outcomesFile.toString()));
        Process p = new ProcessBuilder(lab.inClient(cmd)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        int exit = p.waitFor();
        if (exit != 0) throw new IllegalStateException("the load client in " + lab.namespace() + " exited with " + exit);
        return json.readValue(outcomesFile.toFile(), Outcomes.class).outcomes();
    }

    private static String epollProxy(LabNetwork lab) {
        return "proxy: {transport: epoll, host: %s, port: %d}".formatted(lab.kernelAddress(), PORT);
    }

    private static String dpdkProxy(LabNetwork lab, int idleParkMicros) {
        return """
                proxy:
                  transport: dpdk
                  port: %d
                  dpdk:
                    eal_args: [%s]
                    ip: %s
                    idle_park_us: %d""".formatted(PORT, String.join(", ", lab.ealArgs().stream().map(a -> "'" + a + "'").toList()),
                lab.bridgeAddress(), idleParkMicros);
    }

    private static ServerProcess startWeir(Path jar, Path work, Path out, String name, String proxy, int storePort, Path policies)
            throws Exception {
        Path home = Files.createDirectories(work.resolve(name));
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                %s
                upstream: {endpoint: 'http://127.0.0.1:%d', access_key_id: %s, secret_access_key: %s}
                policies: %s
                principals: %s
                masking: {hash_key_id: bench}
                """.formatted(proxy, storePort, StoreMain.UPSTREAM.accessKeyId(), StoreMain.UPSTREAM.secretAccessKey(), policies,
                work.resolve("principals.yaml")));
        List<String> cmd = java();
        cmd.add("-Dorg.slf4j.simpleLogger.log.dev.weir.dpdk.Bridge=info"); // its counters at exit
        cmd.addAll(List.of("-jar", jar.toString(), "up", "--home", home.toString(), "--config", config.toString()));
        return ServerProcess.startUntilLogged(name, cmd, out.resolve(name + ".log"), "weir ready: ", Duration.ofSeconds(90));
    }

    private static List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JVM_FLAGS);
        return cmd;
    }

    // ---- the report ----

    /** The dpdk weirs' shim counters, as each logged them at exit (drops on the way in or out, if any). */
    static String bridgeCounters(Path out) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of(DPDK, DPDK_SPIN)) {
            Path log = out.resolve(name + ".log");
            if (!Files.exists(log)) continue;
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("counters at exit: ");
                if (at >= 0) sb.append(name).append(" bridge: ").append(line.substring(at + "counters at exit: ".length())).append('\n');
            }
        }
        return sb.toString();
    }

    /** "median (min–max)" of {@code f} over {@code rows}. */
    static String spread(List<Outcome> rows, ToDoubleFunction<Outcome> f, String format) {
        double[] v = rows.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return "-";
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(v), v[0], v[v.length - 1]);
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) return 0;
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double median(List<Outcome> rows, ToDoubleFunction<Outcome> f) {
        return median(rows.stream().mapToDouble(f).sorted().toArray());
    }

    static List<Outcome> rows(List<Outcome> all, String scenario, String workload, boolean fixed) {
        return all.stream().filter(x -> x.step().scenario().equals(scenario) && x.step().workload().equals(workload)
                && (x.step().rate() > 0) == fixed).toList();
    }

    static String table(Options o, List<Outcome> all) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%ndpdk vs epoll: medians (min–max) of %d rounds, %d connections, demo policy "
                + "(rows, fields, masks), %d items; weir's whole process CPU%n", o.rounds(), o.connections(), o.items()));
        List<String> scenarios = all.stream().map(x -> x.step().scenario()).distinct().toList();
        t.append(String.format("%n%-10s %-26s %-24s %-24s %-22s %-10s%n", "mix, sat.", "ops/s", "weir µs/req", "poller cores",
                "lwip cores", "timeouts"));
        for (String s : scenarios) {
            List<Outcome> r = rows(all, s, "mix", false);
            t.append(String.format("%-10s %-26s %-24s %-24s %-22s %-10s%n", s, spread(r, Outcome::throughput, "%.0f"),
                    spread(r, x -> x.weir().microsPerRequest(), "%.0f"), spread(r, x -> x.poller().cores(), "%.2f"),
                    spread(r, x -> x.lwip().cores(), "%.3f"), spread(r, x -> x.clientTimeouts(), "%.0f")));
        }
        t.append(String.format(Locale.ROOT, "%n%-10s %-24s %-24s %-22s %-22s %-10s%n", "mix @" + Math.round(o.rate()) + "/s",
                "weir µs/req", "poller µs/req", "p50 µs", "p99 µs", "timeouts"));
        for (String s : scenarios) {
            List<Outcome> r = rows(all, s, "mix", true);
            t.append(String.format("%-10s %-24s %-24s %-22s %-22s %-10s%n", s, spread(r, x -> x.weir().microsPerRequest(), "%.0f"),
                    spread(r, x -> x.poller().microsPerRequest(), "%.0f"), spread(r, Outcome::p50Micros, "%.0f"),
                    spread(r, Outcome::p99Micros, "%.0f"), spread(r, x -> x.clientTimeouts(), "%.0f")));
        }
        t.append(String.format("%n%-10s %-22s %-26s %-24s %-22s %-10s%n", "scan 1 MB", "pages/s", "MB answers / weir CPU s",
                "weir cores", "poller cores", "timeouts"));
        for (String s : scenarios) {
            List<Outcome> r = rows(all, s, "scan", false);
            t.append(String.format("%-10s %-22s %-26s %-24s %-22s %-10s%n", s, spread(r, Outcome::throughput, "%.1f"),
                    spread(r, x -> x.responseBytesPerCpuSecond() / 1e6, "%.1f"), spread(r, x -> x.weir().cores(), "%.2f"),
                    spread(r, x -> x.poller().cores(), "%.2f"), spread(r, x -> x.clientTimeouts(), "%.0f")));
        }
        if (scenarios.contains(EPOLL) && scenarios.contains(DPDK)) {
            List<Outcome> idle = all.stream().filter(x -> x.step().scenario().equals(EPOLL)).toList();
            t.append(String.format(Locale.ROOT, "%nthe idle dpdk weir's poller (parking) while epoll was measured: %s cores%n",
                    spread(idle, x -> x.idleBridgePoller().cores(), "%.3f")));
            t.append(String.format(Locale.ROOT, "dpdk / epoll (medians): mix ops/s %.2fx, mix µs/req %.2fx (saturated), %.2fx (at %d/s),"
                            + " scan bytes per CPU second %.2fx%n",
                    ratio(all, DPDK, "mix", false, Outcome::throughput), ratio(all, DPDK, "mix", false, x -> x.weir().microsPerRequest()),
                    ratio(all, DPDK, "mix", true, x -> x.weir().microsPerRequest()), Math.round(o.rate()),
                    ratio(all, DPDK, "scan", false, Outcome::responseBytesPerCpuSecond)));
        }
        long errors = all.stream().mapToLong(Outcome::errors).sum();
        if (errors > 0 || all.stream().anyMatch(x -> x.failure() != null)) {
            t.append("NOTE: some phases had errors or failed; see results.json\n");
        }
        return t.toString();
    }

    private static double ratio(List<Outcome> all, String scenario, String workload, boolean fixed, ToDoubleFunction<Outcome> f) {
        double base = median(rows(all, EPOLL, workload, fixed), f);
        return base > 0 ? median(rows(all, scenario, workload, fixed), f) / base : 0;
    }
}
